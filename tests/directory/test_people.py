import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from motcua.core.audit import SYSTEM
from motcua.core.models import AuditEvent
from motcua.directory.models import Agency, CommunityTeam, Role, StaffAssignment, User
from motcua.directory.rules import agencies_of, has_role, is_staff_member
from motcua.directory.services import staff_assign, staff_unassign
from tests.factories import DepartmentFactory, UserFactory


@pytest.mark.django_db
def test_citizen_with_malformed_cccd_is_refused_in_vietnamese():
    user = UserFactory.build(username="c1", full_name="Nguyễn Văn C", cccd="12345")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "12 chữ số" in error.value.message_dict["cccd"][0]


@pytest.mark.django_db
def test_business_needs_a_valid_tax_code():
    business = UserFactory.build(username="dn1", full_name="Phan Thị Lan", kind="business", tax_code="")
    with pytest.raises(ValidationError) as error:
        business.full_clean()
    assert "mã số thuế" in str(error.value.message_dict)
    business.tax_code = "3600252846"
    with pytest.raises(ValidationError) as error:
        business.full_clean()
    assert "chữ số kiểm tra" in error.value.message_dict["tax_code"][0]
    business.tax_code = "3600252847"
    business.full_clean()


@pytest.mark.django_db
def test_staff_roles_are_per_agency(personas):
    assert has_role(personas.desk_x, Role.DESK_OFFICER, personas.agency_x)
    assert not has_role(personas.desk_x, Role.DESK_OFFICER, personas.agency_y)
    assert list(agencies_of(personas.officer_y)) == [personas.agency_y]
    assert not is_staff_member(personas.an)
    assert not is_staff_member(personas.stranger)


@pytest.mark.django_db
def test_staff_assign_is_audited_and_ending_it_removes_access(personas):
    user = UserFactory(username="moi", full_name="Cán Bộ Mới")
    assignment = staff_assign(actor=personas.admin, user=user, agency=personas.agency_y, role=Role.SPECIALIST)
    user.refresh_from_db()
    assert user.kind == User.Kind.STAFF
    assert AuditEvent.objects.filter(
        action="directory.assignment.created", object_id=str(assignment.pk)
    ).exists()
    staff_unassign(actor=personas.admin, assignment=assignment)
    assert not is_staff_member(user)
    assert AuditEvent.objects.filter(action="directory.assignment.ended").count() == 1


@pytest.mark.django_db
def test_staff_department_must_belong_to_the_agency(personas):
    other = DepartmentFactory(agency=personas.agency_y, name="Văn phòng HĐND-UBND")
    with pytest.raises(ValidationError):
        staff_assign(
            actor=SYSTEM, user=personas.binh, agency=personas.agency_x, role=Role.SPECIALIST, department=other
        )


@pytest.mark.django_db
def test_demo_province_loads_idempotently_with_every_role(settings, capsys):
    settings.DEMO_MODE = True
    call_command(
        "load_demo", no_history=True
    )  # the year of demo dossiers: tests/dossiers/test_demo_history.py
    counts = (User.objects.count(), Agency.objects.count(), StaffAssignment.objects.count())
    call_command("load_demo", no_history=True)
    assert (User.objects.count(), Agency.objects.count(), StaffAssignment.objects.count()) == counts
    roles = set(StaffAssignment.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    # about 20 provincial agencies, the provincial centre, and a UBND + centre per commune of Đồng Nai (95)
    assert Agency.objects.filter(commune__isnull=True, valid_to__isnull=True).count() == 20
    assert Agency.objects.filter(kind=Agency.Kind.COMMUNE_SERVICE_CENTRE).count() == 95
    assert Agency.objects.filter(kind=Agency.Kind.PROVINCIAL_SERVICE_CENTRE).count() == 1
    bp = Agency.objects.get(name="Ủy ban nhân dân tỉnh Bình Phước")
    assert bp.merged_into.name == "Ủy ban nhân dân tỉnh Đồng Nai"
    assert User.objects.filter(kind="citizen").count() >= 3
    assert User.objects.filter(kind="business").count() == 1
    for user in User.objects.all():
        user.full_clean()  # every demo CCCD and tax code passes its own validator
    assert User.objects.get(username="tiepnhan.tinh").check_password("MotCua@2026")
    # a team per first four communes and two village teams; "tocongnghe" is a member of the first only
    assert CommunityTeam.objects.count() == 6
    assert CommunityTeam.objects.exclude(village="").count() == 2
    first_team = CommunityTeam.objects.order_by("commune__code", "village").first()
    assert list(CommunityTeam.objects.filter(members__username="tocongnghe")) == [first_team]
    assert "tiepnhan.tinh" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_accounts_have_no_password_outside_demo_mode(settings, capsys):
    settings.DEMO_MODE = False
    call_command("load_demo", no_history=True)
    assert not User.objects.get(username="tiepnhan.tinh").has_usable_password()
    assert "MotCua@2026" not in capsys.readouterr().out
