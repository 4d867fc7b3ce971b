import io
import json

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.services import (
    CatalogFormatError,
    catalog_export_json,
    catalog_export_xlsx,
    catalog_import,
    catalog_parse,
)
from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent


@pytest.mark.django_db
def test_import_creates_procedures_versions_cases_documents_fees(catalog):
    assert catalog.count("created") == 8
    birth = Procedure.objects.get(national_code="1.001193")
    version = birth.current_version
    assert (version.number, version.decision_number, str(version.effective_from)) == (
        1,
        "1234/QĐ-UBND",
        "2025-07-01",
    )
    assert version.agencies.count() == 1  # the commune UBND of the personas
    certified = Procedure.objects.get(national_code="2.000815").current_version.cases.get()
    assert certified.cutoff.strftime("%H:%M") == "15:00"
    assert (
        Procedure.objects.get(national_code="3.000333").current_version.instance_code
        == "3.000333.000.00.05.H19"
    )
    assert AuditEvent.objects.filter(action="catalog.import.applied").count() == 1
    assert AuditEvent.objects.filter(action="catalog.version.created").count() == 8


@pytest.mark.django_db
def test_import_twice_changes_nothing(catalog, catalog_data):
    report = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    assert (report.count("created"), report.count("new_version"), report.count("unchanged")) == (0, 0, 8)
    assert ProcedureVersion.objects.count() == 8


@pytest.mark.django_db
def test_new_decision_with_a_change_creates_a_new_version_and_keeps_the_old(catalog, catalog_data):
    catalog_data["decision"] = {"number": "77/QĐ-UBND", "date": "2026-03-01", "title": "Sửa đổi"}
    catalog_data["procedures"][0]["cases"][0]["duration"] = 2
    dry = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=True)
    assert [c for c in dry.changes if c[1] == "new_version"] == [
        ("1.001193", "new_version", "Đăng ký khai sinh")
    ]
    assert ProcedureVersion.objects.count() == 8  # a dry run writes nothing

    catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    birth = Procedure.objects.get(national_code="1.001193")
    old, new = birth.versions.order_by("number")
    assert (old.number, str(old.effective_to), new.number, str(new.effective_from)) == (
        1,
        "2026-02-28",
        2,
        "2026-03-01",
    )
    assert birth.current_version == new
    assert new.cases.get().duration == 2 and old.cases.get().duration == 3


@pytest.mark.django_db
def test_import_with_errors_reports_each_row_and_writes_nothing(personas, catalog_data):
    catalog_data["procedures"][1]["national_code"] = "1001193"
    catalog_data["procedures"][3]["cases"][0]["unit"] = "tuần"
    catalog_data["procedures"][7]["agency"] = "000.00.99"
    report = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    assert [row for row, _ in report.errors] == ["thủ tục thứ 2", "thủ tục thứ 4", "thủ tục thứ 8"]
    assert "không đúng dạng 1.001193" in report.errors[0][1]
    assert "đơn vị thời hạn “tuần”" in report.errors[1][1]
    assert "không tìm thấy cơ quan" in report.errors[2][1]
    assert Procedure.objects.count() == 0
    assert not AuditEvent.objects.filter(action="catalog.import.applied").exists()


@pytest.mark.django_db
def test_json_export_imports_back_identically(catalog):
    exported = catalog_export_json()
    assert len(exported["procedures"]) == 8
    report = catalog_import(actor=SYSTEM, data=catalog_parse(json.dumps(exported).encode()), dry_run=True)
    assert report.count("unchanged") == 8, report.errors


@pytest.mark.django_db
def test_xlsx_export_imports_back_identically(catalog):
    raw = catalog_export_xlsx()
    assert raw[:4] == b"PK\x03\x04"
    report = catalog_import(actor=SYSTEM, data=catalog_parse(raw), dry_run=True)
    assert report.errors == []
    assert report.count("unchanged") == 8


@pytest.mark.django_db
def test_xlsx_errors_name_the_sheet_and_row(catalog):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(catalog_export_xlsx()))
    workbook["Trường hợp"]["C3"] = "ba"
    stream = io.BytesIO()
    workbook.save(stream)
    report = catalog_import(actor=SYSTEM, data=catalog_parse(stream.getvalue()), dry_run=True)
    assert len(report.errors) == 1
    assert "phải là một số" in report.errors[0][1]


def test_unreadable_files_are_refused_with_a_message():
    with pytest.raises(CatalogFormatError, match="JSON hay XLSX"):
        catalog_parse(b"\x89PNG....")
    with pytest.raises(CatalogFormatError, match="format"):
        catalog_parse(b'{"procedures": []}')


@pytest.mark.django_db
def test_import_command_dry_run_and_progress(personas, catalog_data, tmp_path, capsys):
    from motcua.directory.models import Agency

    Agency.objects.create(
        code="000.00.00.H19", name="UBND tỉnh", kind="ubnd_tinh", province=personas.province
    )
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog_data, ensure_ascii=False), encoding="utf-8")
    call_command("catalog_import", str(path), "--dry-run")
    captured = capsys.readouterr()
    assert captured.out.splitlines()[-1] == "Sẽ thêm mới 8, tạo phiên bản mới 0, không đổi 0 thủ tục."
    assert "8/8" in captured.err  # the progress bar
    assert Procedure.objects.count() == 0
    call_command("catalog_import", str(path))
    assert Procedure.objects.count() == 8


@pytest.fixture
def province_root(personas):
    from motcua.directory.models import Agency

    return Agency.objects.get_or_create(
        code="000.00.00.H19",
        defaults={
            "name": "UBND tỉnh",
            "kind": Agency.Kind.PROVINCIAL_PEOPLES_COMMITTEE,
            "province": personas.province,
        },
    )[0]


FORM_FIELDS = [
    {
        "key": "ten_tre",
        "label": "Họ, chữ đệm và tên của trẻ",
        "type": "text",
        "required": True,
        "choices": [],
    },
    {"key": "gioi_tinh", "label": "Giới tính", "type": "choice", "required": True, "choices": ["Nam", "Nữ"]},
]


@pytest.mark.django_db
def test_form_fields_import_and_round_trip_through_json_and_xlsx(province_root, catalog_data):
    catalog_data["procedures"][0]["form_fields"] = FORM_FIELDS
    report = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    assert report.ok, report.errors
    version = Procedure.objects.get(national_code="1.001193").current_version
    assert version.form_fields == FORM_FIELDS
    for raw in (json.dumps(catalog_export_json()).encode(), catalog_export_xlsx()):
        again = catalog_import(actor=SYSTEM, data=catalog_parse(raw), dry_run=True)
        assert again.errors == [] and again.count("unchanged") == 8


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ([{"key": "Tên Trẻ", "label": "Tên", "type": "text"}], "khóa “Tên Trẻ” phải là chữ thường không dấu"),
        ([{"key": "a", "label": "A"}, {"key": "a", "label": "B"}], "khóa “a”"),
        ([{"key": "gt", "label": "Giới tính", "type": "choice"}], "kiểu choice cần danh sách lựa chọn"),
        ([{"key": "x", "label": "X", "type": "image"}], "kiểu là text, number, date hoặc choice"),
    ],
)
def test_bad_form_fields_are_refused_with_the_row(province_root, catalog_data, fields, message):
    catalog_data["procedures"][0]["form_fields"] = fields
    report = catalog_import(actor=SYSTEM, data=catalog_data, dry_run=False)
    assert len(report.errors) == 1 and message in report.errors[0][1]
    assert report.errors[0][0] == "thủ tục thứ 1"
    assert Procedure.objects.count() == 0
