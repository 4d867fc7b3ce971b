from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.directory.models import AdministrativeUnit, Agency
from motcua.directory.services import administrative_units_import, agency_create, agency_merge, agency_update


@pytest.mark.django_db
def test_units_import_brings_34_provinces_and_3321_communes_and_twice_changes_nothing():
    first = administrative_units_import()
    assert (first.created, first.updated) == (34 + 3321, 0)
    assert AdministrativeUnit.objects.filter(level="province").count() == 34
    communes = AdministrativeUnit.objects.filter(level="commune")
    assert communes.count() == 3321
    assert communes.filter(division_type="xã").count() == 2621
    assert communes.filter(division_type="phường").count() == 687
    assert communes.filter(division_type="đặc khu").count() == 13
    dong_nai = AdministrativeUnit.objects.get(level="province", code="75")
    assert dong_nai.name == "Đồng Nai"
    assert dong_nai.communes.count() == 95
    assert AdministrativeUnit.objects.get(level="commune", code="26068").name == "Phường Biên Hòa"
    events_before = AuditEvent.objects.filter(action="directory.units.imported").count()

    second = administrative_units_import()

    assert (second.created, second.updated, second.unchanged) == (0, 0, 3355)
    assert AdministrativeUnit.objects.count() == 3355
    assert AuditEvent.objects.filter(action="directory.units.imported").count() == events_before


@pytest.mark.django_db
def test_units_import_corrects_a_changed_name():
    administrative_units_import()
    AdministrativeUnit.objects.filter(level="commune", code="26068").update(name="Phường Sai Tên")
    report = administrative_units_import()
    assert (report.created, report.updated) == (0, 1)
    assert AdministrativeUnit.objects.get(level="commune", code="26068").name == "Phường Biên Hòa"


@pytest.mark.django_db
def test_import_units_command_reports_counts(capsys):
    call_command("import_units")
    call_command("import_units")
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "Đơn vị hành chính: thêm mới 0, cập nhật 0, không đổi 3355."


@pytest.mark.django_db
def test_agency_create_validates_the_code_and_audits(personas):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        agency_create(
            actor=personas.admin, code="000.00.5.H19", name="Sở Sai Mã", kind="so", province=personas.province
        )
    assert "không đúng dạng 000.00.00.H19" in error.value.message_dict["code"][0]
    assert not Agency.objects.filter(name="Sở Sai Mã").exists()

    agency = agency_create(
        actor=personas.admin,
        code="000.00.30.H19",
        name="Sở Thử",
        kind="so",
        province=personas.province,
        parent=personas.agency_x,
    )
    event = AuditEvent.objects.get(action="directory.agency.created", object_id=str(agency.pk))
    assert event.actor == personas.admin
    assert event.data["code"] == "000.00.30.H19"


@pytest.mark.django_db
def test_agency_code_is_unique_with_a_clear_message(personas):
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        agency_create(
            actor=personas.admin,
            code=personas.agency_x.code,
            name="Trùng",
            kind="so",
            province=personas.province,
        )
    assert "đã tồn tại" in error.value.message_dict["code"][0]


@pytest.mark.django_db
def test_agency_update_audits_before_and_after(personas):
    agency_update(actor=personas.admin, agency=personas.agency_x, name="Sở Tư pháp tỉnh Đồng Nai")
    event = AuditEvent.objects.get(action="directory.agency.updated")
    assert event.data["changes"]["name"] == {"before": "Sở Tư pháp", "after": "Sở Tư pháp tỉnh Đồng Nai"}


@pytest.mark.django_db
def test_agency_merge_records_successor_and_end_date(personas):
    old = agency_create(
        actor=SYSTEM,
        code="000.00.21.H19",
        name="Sở Tài nguyên và Môi trường",
        kind="so",
        province=personas.province,
    )
    successor = agency_create(
        actor=SYSTEM,
        code="000.00.07.H19",
        name="Sở Nông nghiệp và Môi trường",
        kind="so",
        province=personas.province,
    )
    agency_merge(actor=personas.admin, agency=old, into=successor, on=date(2025, 3, 1))
    old.refresh_from_db()
    assert old.merged_into == successor
    assert old.valid_to == date(2025, 2, 28)
    assert old.is_active_on(date(2025, 2, 28)) and not old.is_active_on(date(2025, 3, 1))
    assert list(successor.merged_from.all()) == [old]


@pytest.mark.django_db
def test_agency_end_before_start_is_refused(personas):
    with pytest.raises(ValidationError):
        agency_update(
            actor=personas.admin,
            agency=personas.agency_x,
            valid_from=date(2025, 7, 1),
            valid_to=date(2025, 6, 30),
        )


@pytest.mark.django_db
def test_agency_tree_parent_and_ancestors(personas):
    child = agency_create(
        actor=SYSTEM,
        code="000.00.31.H19",
        name="Chi cục",
        kind="khac",
        province=personas.province,
        parent=personas.agency_x,
    )
    assert child.ancestors() == [personas.agency_x]
    assert list(personas.agency_x.children.all()) == [child]
