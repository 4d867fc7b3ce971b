import copy

import pytest

from motcua.catalog.services import catalog_import
from motcua.core.audit import SYSTEM


def _procedure(code, name, field, level="commune", agency="ubnd_xa", online="full", popularity=50, **extra):
    entry = {
        "national_code": code,
        "name": name,
        "field": field,
        "level": level,
        "agency": agency,
        "online_level": online,
        "delivery": ["desk", "electronic"],
        "postal_submission": False,
        "result": "Giấy tờ kết quả",
        "legal_basis": ["Luật Hộ tịch số 60/2014/QH13"],
        "popularity": popularity,
        "cases": [
            {
                "name": name,
                "duration": 3,
                "unit": "working_days",
                "online_duration": None,
                "cutoff": None,
                "supplement_mode": "pause",
            }
        ],
        "documents": [
            {
                "name": "Tờ khai theo mẫu",
                "originals": 1,
                "certified_copies": 0,
                "copies": 0,
                "form": "Mẫu tờ khai",
            }
        ],
        "fees": [{"name": "Lệ phí", "amount": 8000, "exemption": "Miễn cho người có công"}],
    }
    entry.update(extra)
    return entry


CATALOG = {
    "format": "motcua-catalog/1",
    "decision": {"number": "1234/QĐ-UBND", "date": "2025-07-01", "title": "Công bố danh mục TTHC"},
    "procedures": [
        _procedure(
            "1.001193",
            "Đăng ký khai sinh",
            "Hộ tịch",
            popularity=90,
            fees=[
                {"name": "Lệ phí đăng ký khai sinh", "amount": 0, "exemption": "Miễn khi đăng ký đúng hạn"}
            ],
        ),
        _procedure("1.004884", "Đăng ký lại khai sinh", "Hộ tịch", popularity=30),
        _procedure("2.000528", "Đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", popularity=20),
        _procedure("1.000656", "Đăng ký khai tử", "Hộ tịch", popularity=60),
        _procedure("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", popularity=70),
        _procedure(
            "2.000815",
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            "Chứng thực",
            online="none",
            popularity=95,
            cases=[
                {
                    "name": "Chứng thực bản sao",
                    "duration": 1,
                    "unit": "working_days",
                    "cutoff": "15:00",
                    "supplement_mode": "pause",
                }
            ],
            fees=[{"name": "Phí chứng thực", "amount": 2000, "exemption": ""}],
        ),
        _procedure(
            "1.001612",
            "Đăng ký thành lập hộ kinh doanh",
            "Thành lập và hoạt động của hộ kinh doanh",
            online="partial",
            popularity=40,
            fees=[{"name": "Lệ phí", "amount": 100000, "exemption": ""}],
        ),
        _procedure(
            "3.000333",
            "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
            "Lý lịch tư pháp",
            level="province",
            agency="000.00.05",
            popularity=80,
            fees=[{"name": "Phí", "amount": 200000, "exemption": ""}],
        ),
    ],
}


@pytest.fixture
def catalog_data():
    return copy.deepcopy(CATALOG)


@pytest.fixture
def catalog(personas, catalog_data):
    """The small catalog above, imported for the agencies of the personas (agency X is 000.00.05.H19)."""
    from motcua.directory.models import Agency

    Agency.objects.get_or_create(
        code="000.00.00.H19",
        defaults={
            "name": "Ủy ban nhân dân tỉnh Đồng Nai",
            "kind": Agency.Kind.PROVINCIAL_PEOPLES_COMMITTEE,
            "province": personas.province,
        },
    )
    report = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    assert report.ok, report.errors
    return report
