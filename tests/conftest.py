"""Shared fixtures: the personas every test speaks about, and the CI rule that nothing skips."""

from __future__ import annotations

import io
import os

import pytest
from django.conf import settings

from tests.factories import AgencyFactory, DepartmentFactory, UserFactory, province_with_communes

CI = os.environ.get("CI") == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: a missing service must be installed, not ignored."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Bị bỏ qua khi CI=true (skipped under CI=true): {report.longrepr}"


@pytest.fixture(scope="session", autouse=True)
def _collected_static_files():
    """Production serves hashed static files (WhiteNoise manifest); tests run the same way."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("compile_translations", verbosity=0, stdout=io.StringIO())


@pytest.fixture(autouse=True)
def _vietnamese_by_default():
    """Each test starts in Vietnamese, the default language; a request in English must not leak into the next."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is what production uses (tested in test_settings); tests hash with MD5 to stay fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"motcua: database={engine} CI={'true' if CI else 'false'}"


@pytest.fixture
def password():
    return "Mật-khẩu-thử-2026"


@pytest.fixture
def places(db):
    """A province with two communes (codes as in the package)."""
    return province_with_communes()


class Personas:
    """Citizen An, citizen Bình, desk officer / specialist / leader of agency X, officer of agency Y,
    hotline operator, community-team member, administrator; and a stranger with no role anywhere."""


@pytest.fixture
def personas(db, places, password):
    from motcua.core.audit import SYSTEM
    from motcua.directory.models import Agency, Role
    from motcua.directory.services import staff_assign

    province, commune_a, commune_b = places
    p = Personas()
    p.province, p.commune_a, p.commune_b = province, commune_a, commune_b
    p.agency_x = AgencyFactory(code="000.00.05.H19", name="Sở Tư pháp", province=province)
    p.agency_y = AgencyFactory(
        code="000.01.99.H19",
        name=f"Ủy ban nhân dân {commune_a.name}",
        province=province,
        commune=commune_a,
        kind=Agency.Kind.COMMUNE_PEOPLES_COMMITTEE,
    )
    p.department_x = DepartmentFactory(agency=p.agency_x, name="Phòng Hành chính tư pháp")
    p.an = UserFactory(username="an", full_name="Nguyễn Văn An", cccd="075090001234", password=password)
    p.binh = UserFactory(username="binh", full_name="Trần Thị Bình", cccd="075185004321", password=password)
    p.stranger = UserFactory(username="nguoila", full_name="Người Lạ", password=password)
    staff = {
        "desk_x": ("Nguyễn Thị Thu Trang", Role.DESK_OFFICER, p.agency_x, None),
        "specialist_x": ("Lê Hoàng Nam", Role.SPECIALIST, p.agency_x, p.department_x),
        "leader_x": ("Võ Thị Ngọc Hân", Role.AGENCY_LEADER, p.agency_x, None),
        "officer_y": ("Bùi Văn Tâm", Role.DESK_OFFICER, p.agency_y, None),
        "hotline": ("Đặng Thị Kim Yến", Role.HOTLINE_OPERATOR, p.agency_x, None),
        "volunteer": ("Điểu Thị Hạnh", Role.COMMUNITY_MEMBER, p.agency_y, None),
        "admin": ("Phạm Minh Quân", Role.PROVINCE_ADMIN, p.agency_x, None),
    }
    for key, (name, role, agency, department) in staff.items():
        user = UserFactory(username=key.replace("_", "."), full_name=name, kind="staff", password=password)
        staff_assign(actor=SYSTEM, user=user, agency=agency, role=role, department=department)
        setattr(p, key, user)
    p.admin.is_staff = p.admin.is_superuser = True
    p.admin.save(update_fields=["is_staff", "is_superuser"])
    return p
