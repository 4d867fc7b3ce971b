"""What the demo history is made from: the procedures and agencies with officers for every step, the officers by
role, the applicants, and the inter-agency process template (a commune dossier decided by a provincial department).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, ProcedureCase, ProcessStep
from motcua.catalog.processes import process_template_create, process_template_current
from motcua.directory.models import AdministrativeUnit, Agency, Department, Role, StaffAssignment, User
from motcua.dossiers.generate_people import people_make
from motcua.dossiers.intake import agency_resolve, receiving_agency_for
from motcua.worktime.services import calendar_for_province

# Procedures of the demo catalog handled by agencies that have officers for every step (national codes).
COMMUNE_PROCEDURES = (
    "1.001193", "2.000815", "1.004873", "1.000656", "1.001612", "2.000635", "1.013225", "1.001776", "2.000884",
    "1.000894", "1.001731", "1.013978",
)  # fmt: skip
PROVINCE_PROCEDURES = ("2.000829", "1.013831", "1.012783", "1.011441", "1.000703", "2.002288", "1.012784")
# Đăng ký đất đai … cấp Giấy chứng nhận lần đầu (commune level): received and checked by the commune, decided by
# the land department of Sở Nông nghiệp và Môi trường, returned by the commune (liên thông xã → sở).
INTER_AGENCY_PROCEDURE = "1.013978"
INTER_AGENCY_NAME = "Liên thông xã – Sở Nông nghiệp và Môi trường (demo)"
LAND_AGENCY_GROUP, LAND_DEPARTMENT = "000.00.07", "Phòng Quản lý đất đai"
APPLICANTS = 90


@dataclass
class DemoCase:
    case: ProcedureCase
    commune_level: bool
    online: bool
    steps: list[ProcessStep]
    inter_agency: bool = False


@dataclass
class DemoWorld:
    calendar: object
    now: datetime
    cases: list[DemoCase]
    communes: list  # the two communes with officers
    applicants: list[User]
    holders: dict[tuple, list[User]] = field(default_factory=lambda: defaultdict(list))
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def people(self, agency_id: int, role: str, department_id: int | None = None) -> list[User]:
        return self.holders[(agency_id, role, department_id)] or self.holders[(agency_id, role, "*")]

    def pick(self, rng: random.Random, agency_id: int, role: str, department_id: int | None = None) -> User:
        return rng.choice(self.people(agency_id, role, department_id))

    def resolving(self, demo_case: DemoCase, commune) -> Agency:
        return agency_resolve(version=demo_case.case.version, commune=commune)

    def next_number(self, key: str) -> int:
        self.counters[key] += 1
        return self.counters[key]


def demo_world(*, rng: random.Random, now: datetime) -> DemoWorld | None:
    from motcua.directory.demo import PROVINCE_SUFFIX

    communes = list(
        Agency.objects.filter(kind=Agency.Kind.COMMUNE_PEOPLES_COMMITTEE, valid_to__isnull=True)
        .order_by("code")
        .values_list("commune", flat=True)[:2]
    )
    land = Agency.objects.filter(code=f"{LAND_AGENCY_GROUP}.{PROVINCE_SUFFIX}").first()
    if len(communes) < 2 or land is None or not User.objects.filter(username="chuyenvien.datdai").exists():
        return None
    units = list(AdministrativeUnit.objects.filter(pk__in=communes).order_by("code"))
    world = DemoWorld(
        calendar=calendar_for_province(settings.PROVINCE_CODE),
        now=now,
        cases=[],
        communes=units,
        applicants=[],
    )
    _holders_load(world)
    world.cases = _cases(world, land)
    if not world.cases:
        return None
    world.applicants = _applicants(rng, units, now)
    return world


def _holders_load(world: DemoWorld) -> None:
    assignments = StaffAssignment.objects.filter(active=True, user__is_active=True).select_related("user")
    for a in assignments.order_by("user__username"):
        world.holders[(a.agency_id, a.role, a.department_id)].append(a.user)
        world.holders[(a.agency_id, a.role, "*")].append(a.user)
        if a.department_id is not None:
            world.holders[(a.agency_id, a.role, None)].append(a.user)


def _staffed(world: DemoWorld, agency: Agency) -> bool:
    """The agency's desk (its centre), specialists and leaders all exist."""
    desk = receiving_agency_for(agency)
    return all(
        world.people(a.pk, role) for a, role in ((desk, Role.DESK_OFFICER), (agency, Role.SPECIALIST),
                                                 (agency, Role.AGENCY_LEADER))
    )  # fmt: skip


def _cases(world: DemoWorld, land: Agency) -> list[DemoCase]:
    cases = []
    codes = COMMUNE_PROCEDURES + PROVINCE_PROCEDURES
    rows = ProcedureCase.objects.filter(
        version__procedure__national_code__in=codes, version__procedure__current_version=F("version")
    ).select_related("version__procedure")
    for case in rows.order_by("version__procedure__national_code", "order"):
        procedure = case.version.procedure
        commune_level = procedure.national_code in COMMUNE_PROCEDURES
        agencies = [world.resolving(DemoCase(case, commune_level, False, []), c) for c in world.communes]
        if not all(_staffed(world, agency) for agency in (agencies if commune_level else agencies[:1])):
            continue
        inter = procedure.national_code == INTER_AGENCY_PROCEDURE
        template = _inter_agency_template(case, land) if inter else process_template_current(case=case)
        steps = list(template.steps.order_by("order"))
        online = case.version.online_level != OnlineLevel.NONE
        cases.append(DemoCase(case, commune_level, online, steps, inter_agency=inter))
    return cases


def _inter_agency_template(case: ProcedureCase, land: Agency):
    """Commune desk → commune specialist → commune leader → the land department's specialist → its leader
    approves → commune desk returns. Budgets share the case's processing time (20 working days = 160 h)."""
    existing = case.process_templates.filter(name=INTER_AGENCY_NAME, active=True).order_by("-number").first()
    if existing is not None:
        return existing
    department = Department.objects.get(agency=land, name=LAND_DEPARTMENT)
    ref = ProcessStep.AgencyRef
    total = Decimal(case.duration) * 8 if case.unit == "working_days" else Decimal(160)
    share = [Decimal(s) for s in ("0.025", "0.25", "0.1", "0.4", "0.2", "0.025")]
    hours = [(total * s).quantize(Decimal("0.01")) for s in share]
    steps = [
        {"name": "Tiếp nhận, chuyển xử lý", "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING},
        {"name": "Kiểm tra hồ sơ, xác nhận hiện trạng", "role": Role.SPECIALIST, "agency_ref": ref.RESOLVING},
        {"name": "Lãnh đạo xã ký chuyển hồ sơ lên Sở", "role": Role.AGENCY_LEADER, "agency_ref": ref.RESOLVING},
        {"name": "Thẩm định hồ sơ đất đai", "role": Role.SPECIALIST, "agency_ref": ref.FIXED, "agency": land,
         "department": department},
        {"name": "Phê duyệt, ký Giấy chứng nhận", "role": Role.DEPARTMENT_LEADER, "agency_ref": ref.FIXED,
         "agency": land, "department": department, "approves_result": True},
        {"name": "Trả kết quả", "role": Role.DESK_OFFICER, "agency_ref": ref.RECEIVING, "returns_result": True},
    ]  # fmt: skip
    for step, budget in zip(steps, hours, strict=True):
        step["budget_hours"] = budget
    template = process_template_create(case=case, name=INTER_AGENCY_NAME, steps=steps)
    case.process_templates.exclude(pk=template.pk).update(active=False)
    return template


def _applicants(rng: random.Random, communes: list, now: datetime) -> list[User]:
    """Citizen accounts of generated people living in the two communes (no usable password); reused on reload."""
    existing = list(User.objects.filter(kind=User.Kind.CITIZEN, username__startswith="demo.").order_by("pk"))
    if existing:
        return existing
    taken = set(User.objects.exclude(cccd="").values_list("cccd", flat=True))
    people = people_make(
        rng, count=APPLICANTS, communes=[c.pk for c in communes], today=timezone.localdate(now), taken=taken
    )
    users = []
    for person in people:
        user = User(
            username=f"demo.{person.cccd}",
            full_name=person.name,
            kind=User.Kind.CITIZEN,
            cccd=person.cccd,
            birth_date=person.birth_date,
            phone=person.phone,
            email=person.email or "",
            commune_id=person.commune_id,
            address=person.address,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    return list(User.objects.filter(username__startswith="demo.").order_by("pk"))
