import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.queries import procedure_search, procedures_page, rank


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


# --- the indexed ranking is the ranking defined before the index (ADR 0004), exactly ---------------------------


def _reference_rank(query, candidates):
    """The ranking as first written (plain loops over every candidate), kept as the definition to compare to."""
    from motcua.catalog.search_index import match_score
    from motcua.core.text import fold

    words = fold(query).replace(",", " ").split()
    if not words:
        return [c[0] for c in sorted(candidates, key=lambda c: (-c[3], c[1]))]

    def best(query_word, names):
        score, position = 0.0, -1
        for index, word in enumerate(names):
            if (found := match_score(query_word, word)) > score:
                score, position = found, index
        return score, position

    needed = max(1, len(words) - (1 if len(words) >= 3 else 0))
    ranked = []
    for pk, name, text, popularity in candidates:
        name_words, other_words = name.split(), text.split()
        matched, total, positions = 0, 0.0, []
        for query_word in words:
            score, position = best(query_word, name_words)
            if score == 0:
                score = best(query_word, other_words)[0] * 0.5
            if score:
                matched += 1
                total += score
                if position >= 0:
                    positions.append(position)
        if matched < needed:
            continue
        coverage = len(set(positions)) / max(1, len(name_words))
        in_order = positions == sorted(positions)
        starts = bool(positions) and min(positions) == 0
        ranked.append(
            (-matched, -round(total, 2), -round(coverage, 3), not in_order, not starts, -popularity, name, pk)
        )
    ranked.sort()
    return [item[-1] for item in ranked]


def test_rank_orders_exactly_as_the_reference_on_random_catalogues():
    """Names drawn from a small vocabulary with near words (typos, prefixes, short words, repeats, commas), so
    that every rule and every tie-break is exercised; hundreds of queries each on several catalogues."""
    import random

    from motcua.catalog.search_index import SearchIndex, query_words
    from motcua.core.text import fold

    rng = random.Random(2026)
    base = "dang ky khai sinh tu ket hon cap lai ban sao chung thuc ho kinh doanh dat dai giay phep xay dung".split()
    near = ["ki", "dan", "danh", "sjnh", "kha", "cac", "lap", "ho,", "to,", "d", "a", "xay", "dungg", "phe"]
    vocabulary = base + near
    for _catalogue in range(3):
        candidates = []
        for pk in range(1, 101):
            name = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 9)))
            text = f"{name} {rng.choice(['ho tich', 'chung thuc', 'dat dai'])} 1.{pk:06d}"
            candidates.append((pk, name, text, rng.choice([0, 10, 50, 50, 90])))
        rng.shuffle(candidates)
        queries = ["", "1.000007", "Đăng ký khai sinh", "dang ki khai sjnh", "khai sinh dang ky, ho"]
        queries += [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 4))) for _ in range(80)]
        index = SearchIndex(candidates)
        kept = set(rng.sample(range(len(candidates)), len(candidates) // 3))  # rows a filter leaves
        filtered = [c for row, c in enumerate(candidates) if row in kept]
        for query in queries:
            assert rank(query, candidates) == _reference_rank(query, candidates), query
            words = query_words(fold(query))
            assert index.rank(words, kept) == _reference_rank(query, filtered), query


@pytest.mark.django_db
def test_search_finds_a_procedure_imported_after_a_search(catalog, catalog_data):
    from motcua.catalog import queries
    from motcua.catalog.services import catalog_import
    from motcua.core.audit import SYSTEM

    assert procedure_search(q="kết hôn") == []
    generation = queries._generation
    catalog_data["procedures"].append(
        {**catalog_data["procedures"][0], "national_code": "1.000894", "name": "Đăng ký kết hôn", "fees": []}
    )
    assert catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False).ok
    assert queries._generation > generation  # the importer told this process
    assert _names(procedure_search(q="ket hon")) == ["Đăng ký kết hôn"]


@pytest.mark.django_db
def test_search_sees_changes_written_by_another_process(catalog):
    """Another process (a worker, the admin on another server) writes without touching this process: the
    catalogue stamp changes, so the next search here rebuilds its index."""
    from motcua.catalog import queries

    assert _names(procedure_search(q="khai sinh"))[1] == "Đăng ký lại khai sinh"
    generation = queries._generation
    Procedure.objects.filter(name="Đăng ký lại khai sinh").update(active=False)
    assert "Đăng ký lại khai sinh" not in _names(procedure_search(q="khai sinh"))
    Procedure.objects.filter(name="Đăng ký khai tử").update(popularity=99)
    assert _names(procedure_search())[0] == "Đăng ký khai tử"
    assert queries._generation == generation  # nothing told this process: the stamp did


@pytest.mark.django_db
def test_search_costs_a_fixed_number_of_queries(catalog, personas, django_assert_num_queries):
    assert procedure_search(q="khai sinh")  # builds the index
    with django_assert_num_queries(2):  # the catalogue stamp, then the page
        procedures_page(procedure_search(q="dang ky", level="commune", online="yes"), 1)
    # the stamp, the field of the slug, the versions linked to the agency, the page
    with django_assert_num_queries(4):
        procedures_page(procedure_search(q="cap", field="ly-lich-tu-phap", agency=personas.agency_x.code), 1)


@pytest.mark.django_db
def test_search_filters_mean_what_the_queryset_means(catalog, personas):
    """The index applies the filters itself; they keep the meaning of procedures_filtered, also after the
    admin renames a field's slug or moves a version to another agency."""
    from motcua.catalog.models import Field, ProcedureVersion
    from motcua.catalog.queries import procedures_filtered
    from motcua.core.text import fold

    assert procedure_search(agency=personas.agency_x.code)  # the index is built before the admin's changes
    Field.objects.filter(slug="chung-thuc").update(slug="chung-thuc-ban-sao")
    version = ProcedureVersion.objects.get(procedure__national_code="1.001193")
    version.agencies.add(personas.agency_x)
    combinations = [
        {"field": "ho-tich"},
        {"field": "chung-thuc"},
        {"field": "chung-thuc-ban-sao"},
        {"field": "khong-co"},
        {"level": "province"},
        {"level": "commune", "online": "yes"},
        {"online": "none"},
        {"online": "partial"},
        {"online": "full", "field": "ho-tich"},
        {"agency": personas.agency_x.code},
        {"agency": personas.agency_x.code, "level": "commune"},
        {"agency": "000.00.99.H19"},
    ]
    for filters in combinations:
        rows = procedures_filtered(**filters).values_list("id", "name", "search_text", "popularity")
        candidates = [(pk, fold(name), text, popularity) for pk, name, text, popularity in rows]
        for query in (
            "",
            "khai",
            "dang ky",
            "cap phieu",
        ):  # as before the index: ranked over what filters leave
            assert procedure_search(q=query, **filters) == rank(query, candidates), (query, filters)
