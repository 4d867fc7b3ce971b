import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.queries import procedure_search, rank


def _names(ids):
    names = dict(Procedure.objects.values_list("id", "name"))
    return [names[i] for i in ids]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "khai sinh",
        "dang ki khai sinh",
        "khai sinh dang ky",
        "ĐĂNG KÝ KHAI SINH",
        "dang ky khai sjnh",
        "đăng kí khai sinh",
    ],
)
def test_search_puts_dang_ky_khai_sinh_first(catalog, query):
    results = _names(procedure_search(q=query))
    assert results[0] == "Đăng ký khai sinh"
    assert "Đăng ký khai tử" not in results[:3]


@pytest.mark.django_db
def test_search_d_stroke_matches_d(catalog):
    assert _names(procedure_search(q="dang ky khai tu"))[0] == "Đăng ký khai tử"


@pytest.mark.django_db
def test_search_ranks_related_procedures_after_the_exact_one(catalog):
    results = _names(procedure_search(q="khai sinh"))
    assert results == ["Đăng ký khai sinh", "Đăng ký lại khai sinh", "Đăng ký khai sinh có yếu tố nước ngoài"]


@pytest.mark.django_db
def test_search_filters_by_field_level_agency_and_online(catalog, personas):
    assert _names(procedure_search(q="", field="chung-thuc")) == [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    ]
    assert _names(procedure_search(level="province")) == ["Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"]
    assert _names(procedure_search(agency=personas.agency_x.code)) == [
        "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam"
    ]
    assert "Chứng thực bản sao từ bản chính giấy tờ, văn bản" not in _names(procedure_search(online="yes"))
    assert _names(procedure_search(online="partial")) == ["Đăng ký thành lập hộ kinh doanh"]


@pytest.mark.django_db
def test_search_without_words_lists_by_popularity(catalog):
    assert _names(procedure_search())[:2] == [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Đăng ký khai sinh",
    ]


@pytest.mark.django_db
def test_search_nonsense_finds_nothing(catalog):
    assert procedure_search(q="xyzzy qwerty") == []


def test_rank_is_pure_and_independent_of_the_database():
    candidates = [
        (1, "dang ky lai khai sinh", "dang ky lai khai sinh ho tich 1.004884", 30),
        (2, "dang ky khai sinh", "dang ky khai sinh ho tich 1.001193", 90),
        (3, "dang ky ket hon", "dang ky ket hon ho tich 1.000894", 80),
    ]
    assert rank("dang ki khai sinh", candidates) == [2, 1]
    assert rank("ket hon", candidates) == [3]
    assert rank("1.001193", candidates) == [2]
