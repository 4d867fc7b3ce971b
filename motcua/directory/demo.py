"""The demo province: Đồng Nai after 1 July 2025 (it absorbed Bình Phước). Loaded idempotently.

Agency identifiers below use the letter group H19 for Đồng Nai. The H-number of each merged province is
UNCONFIRMED (REFERENCE §4.1); a real installation imports its own list from the province's decision.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction

from motcua.core.audit import SYSTEM, audit_event_record
from motcua.directory.models import (
    AdministrativeUnit,
    Agency,
    CommunityTeam,
    Department,
    Role,
    StaffAssignment,
    User,
)
from motcua.directory.services import REFORM_DATE, administrative_units_import, staff_assign

PROVINCE_SUFFIX = "H19"
OLD_PROVINCE_SUFFIX = "H10"  # demo value for the former Bình Phước
DEMO_PASSWORD = "MotCua@2026"  # only ever set when MOTCUA_DEMO=true (which needs DEBUG=true)

P = Agency.Kind
# (code group, name, short name, kind, departments)
PROVINCIAL_AGENCIES = [
    ("000.00.00", "Ủy ban nhân dân tỉnh Đồng Nai", "UBND tỉnh", P.PROVINCIAL_PEOPLES_COMMITTEE, []),
    (
        "000.00.01",
        "Văn phòng Ủy ban nhân dân tỉnh Đồng Nai",
        "VP UBND tỉnh",
        P.PROVINCIAL_OFFICE,
        ["Phòng Kiểm soát thủ tục hành chính"],
    ),
    (
        "000.00.02",
        "Trung tâm Phục vụ hành chính công tỉnh Đồng Nai",
        "TTPVHCC tỉnh",
        P.PROVINCIAL_SERVICE_CENTRE,
        ["Bộ phận Tiếp nhận và Trả kết quả"],
    ),
    (
        "000.00.03",
        "Sở Nội vụ",
        "Sở Nội vụ",
        P.DEPARTMENT,
        ["Phòng Lao động – Việc làm", "Phòng Tổ chức biên chế"],
    ),
    ("000.00.04", "Sở Tài chính", "Sở Tài chính", P.DEPARTMENT, ["Phòng Đăng ký kinh doanh"]),
    (
        "000.00.05",
        "Sở Tư pháp",
        "Sở Tư pháp",
        P.DEPARTMENT,
        ["Phòng Hành chính tư pháp", "Phòng Bổ trợ tư pháp"],
    ),
    ("000.00.06", "Sở Công Thương", "Sở Công Thương", P.DEPARTMENT, ["Phòng Quản lý thương mại"]),
    (
        "000.00.07",
        "Sở Nông nghiệp và Môi trường",
        "Sở NN&MT",
        P.DEPARTMENT,
        ["Phòng Quản lý đất đai", "Phòng Trồng trọt và Bảo vệ thực vật"],
    ),
    (
        "000.00.08",
        "Sở Xây dựng",
        "Sở Xây dựng",
        P.DEPARTMENT,
        ["Phòng Quản lý xây dựng", "Phòng Quản lý vận tải"],
    ),
    ("000.00.09", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT", P.DEPARTMENT, ["Phòng Giáo dục trung học"]),
    ("000.00.10", "Sở Y tế", "Sở Y tế", P.DEPARTMENT, ["Phòng Nghiệp vụ Y"]),
    ("000.00.11", "Sở Văn hóa, Thể thao và Du lịch", "Sở VHTTDL", P.DEPARTMENT, ["Phòng Quản lý văn hóa"]),
    (
        "000.00.12",
        "Sở Khoa học và Công nghệ",
        "Sở KH&CN",
        P.DEPARTMENT,
        ["Phòng Chuyển đổi số", "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)"],
    ),
    ("000.00.13", "Sở Dân tộc và Tôn giáo", "Sở DT&TG", P.DEPARTMENT, ["Phòng Tôn giáo"]),
    ("000.00.14", "Thanh tra tỉnh Đồng Nai", "Thanh tra tỉnh", P.DEPARTMENT, ["Phòng Tiếp công dân"]),
    (
        "000.00.15",
        "Ban Quản lý các khu công nghiệp Đồng Nai",
        "BQL các KCN",
        P.DEPARTMENT,
        ["Phòng Doanh nghiệp"],
    ),
    ("000.00.16", "Sở Ngoại vụ", "Sở Ngoại vụ", P.DEPARTMENT, ["Phòng Lãnh sự"]),
    (
        "000.00.17",
        "Công an tỉnh Đồng Nai",
        "Công an tỉnh",
        P.CENTRAL_BRANCH,
        ["Phòng Quản lý hành chính về trật tự xã hội"],
    ),
    (
        "000.00.18",
        "Thuế tỉnh Đồng Nai",
        "Thuế tỉnh",
        P.CENTRAL_BRANCH,
        ["Phòng Quản lý hộ kinh doanh, cá nhân"],
    ),
    ("000.00.19", "Bảo hiểm xã hội tỉnh Đồng Nai", "BHXH tỉnh", P.CENTRAL_BRANCH, ["Phòng Thu – Sổ, thẻ"]),
]
# Agencies that ceased in 2025, with the code group of the agency that took over their duties.
FORMER_AGENCIES = [
    (f"000.00.00.{OLD_PROVINCE_SUFFIX}", "Ủy ban nhân dân tỉnh Bình Phước", "000.00.00", date(2025, 6, 30)),
    ("000.00.20", "Sở Kế hoạch và Đầu tư", "000.00.04", date(2025, 2, 28)),
    ("000.00.21", "Sở Tài nguyên và Môi trường", "000.00.07", date(2025, 2, 28)),
    ("000.00.22", "Sở Giao thông vận tải", "000.00.08", date(2025, 2, 28)),
    ("000.00.23", "Sở Thông tin và Truyền thông", "000.00.12", date(2025, 2, 28)),
    ("000.00.24", "Sở Lao động – Thương binh và Xã hội", "000.00.03", date(2025, 2, 28)),
]

# Departments of the first two communes' UBND (a commune's specialists work in one; its head leads it).
COMMUNE_DEPARTMENTS = ["Phòng Văn hóa – Xã hội", "Phòng Kinh tế"]
# username, full name, role, agency code group ("xa" = the first commune's UBND, "ttxa" its centre; "xa2", "ttxa2"
# the second commune's), department. For processing (issue 6) Sở Tư pháp, Sở NN&MT and the first commune each have
# a desk (the provincial or the commune centre), specialists in a department, a department leader and a leader.
STAFF = [
    ("quantri", "Phạm Minh Quân", Role.PROVINCE_ADMIN, "000.00.12", None),
    (
        "tiepnhan.tinh",
        "Nguyễn Thị Thu Trang",
        Role.DESK_OFFICER,
        "000.00.02",
        "Bộ phận Tiếp nhận và Trả kết quả",
    ),
    ("chuyenvien.tuphap", "Lê Hoàng Nam", Role.SPECIALIST, "000.00.05", "Phòng Hành chính tư pháp"),
    ("truongphong.tuphap", "Trần Văn Đức", Role.DEPARTMENT_LEADER, "000.00.05", "Phòng Hành chính tư pháp"),
    ("giamdoc.tuphap", "Võ Thị Ngọc Hân", Role.AGENCY_LEADER, "000.00.05", None),
    ("chuyenvien2.tuphap", "Phạm Thị Thanh Thảo", Role.SPECIALIST, "000.00.05", "Phòng Hành chính tư pháp"),
    ("chuyenvien.xaydung", "Đỗ Quốc Huy", Role.SPECIALIST, "000.00.08", "Phòng Quản lý xây dựng"),
    ("giamdoc.xaydung", "Lý Văn Hùng", Role.AGENCY_LEADER, "000.00.08", None),
    ("chuyenvien.datdai", "Mai Thị Hồng", Role.SPECIALIST, "000.00.07", "Phòng Quản lý đất đai"),
    ("chuyenvien2.datdai", "Hồ Quang Vinh", Role.SPECIALIST, "000.00.07", "Phòng Quản lý đất đai"),
    ("truongphong.datdai", "Đinh Công Thành", Role.DEPARTMENT_LEADER, "000.00.07", "Phòng Quản lý đất đai"),
    ("giamdoc.nnmt", "Hồ Văn Lộc", Role.AGENCY_LEADER, "000.00.07", None),
    ("tiepnhan.xa", "Huỳnh Thị Mỹ Linh", Role.DESK_OFFICER, "ttxa", None),
    ("chuyenvien.xa", "Bùi Văn Tâm", Role.SPECIALIST, "xa", None),
    ("chuyenvien2.xa", "Trương Thị Diễm", Role.SPECIALIST, "xa", "Phòng Văn hóa – Xã hội"),
    ("chuyenvien3.xa", "Châu Minh Trí", Role.SPECIALIST, "xa", "Phòng Văn hóa – Xã hội"),
    ("truongphong.xa", "Lâm Văn Phúc", Role.DEPARTMENT_LEADER, "xa", "Phòng Văn hóa – Xã hội"),
    ("chutich.xa", "Ngô Thanh Sơn", Role.AGENCY_LEADER, "xa", None),
    ("tiepnhan.xa2", "Vương Thị Kiều", Role.DESK_OFFICER, "ttxa2", None),
    ("chuyenvien.xa2", "Tạ Đình Khoa", Role.SPECIALIST, "xa2", "Phòng Kinh tế"),
    ("chutich.xa2", "La Thị Bích", Role.AGENCY_LEADER, "xa2", None),
    (
        "tongdai1022",
        "Đặng Thị Kim Yến",
        Role.HOTLINE_OPERATOR,
        "000.00.12",
        "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)",
    ),
    ("tocongnghe", "Điểu Thị Hạnh", Role.COMMUNITY_MEMBER, "xa", None),
]
# username, full name, CCCD, birth date, phone
CITIZENS = [
    ("congdan.an", "Nguyễn Văn An", "075090001234", date(1990, 3, 12), "0912345678"),
    ("congdan.binh", "Trần Thị Bình", "075185004321", date(1985, 11, 2), "0987654321"),
    ("congdan.hoa", "Lê Thị Hoa", "070152007788", date(1952, 5, 20), "0369123456"),
    ("congdan.kdien", "Điểu K'Điên", "070098001122", date(1998, 8, 8), "0356789012"),
]
BUSINESS = ("doanhnghiep.dongxanh", "Công ty TNHH Nông sản Đồng Xanh", "3600252847", "0251388456")


def _community_teams_load(communes: list[AdministrativeUnit]) -> None:
    """A commune team for each of the first communes and two village teams in the first xã; the demo member
    "tocongnghe" belongs to the first team. Idempotent."""
    for index, commune in enumerate(communes[:4]):
        team, _created = CommunityTeam.objects.get_or_create(
            commune=commune, name=f"Tổ công nghệ số cộng đồng {commune.name}"
        )
        if index == 0:
            team.members.add(User.objects.get(username="tocongnghe"))
    rural = next((c for c in communes if c.division_type.lower() == "xã"), communes[0])
    for number in (1, 2):
        CommunityTeam.objects.get_or_create(
            commune=rural, name=f"Tổ CNSCĐ ấp {number}", defaults={"village": f"Ấp {number}"}
        )


def _agency(code: str, **values) -> Agency:
    agency, _created = Agency.objects.update_or_create(code=code, defaults=values)
    return agency


@transaction.atomic
def demo_province_load(*, with_passwords: bool) -> dict[str, list[str]]:
    """Create or refresh the demo province. Returns the demo accounts by kind."""
    administrative_units_import()
    province = AdministrativeUnit.objects.get(level="province", code=settings.PROVINCE_CODE)
    communes = list(AdministrativeUnit.objects.filter(province=province).order_by("code"))
    root = None
    by_group: dict[str, Agency] = {}
    for group, name, short, kind, departments in PROVINCIAL_AGENCIES:
        agency = _agency(
            f"{group}.{PROVINCE_SUFFIX}",
            name=name,
            short_name=short,
            kind=kind,
            parent=root,
            province=province,
            valid_from=REFORM_DATE,
            valid_to=None,
            merged_into=None,
        )
        root = root or agency
        by_group[group] = agency
        for department in departments:
            Department.objects.get_or_create(agency=agency, name=department)
    for code, name, successor_group, ended in FORMER_AGENCIES:
        full_code = code if code.count(".") == 3 else f"{code}.{PROVINCE_SUFFIX}"
        _agency(
            full_code,
            name=name,
            short_name="",
            kind=P.DEPARTMENT if "Sở" in name else P.PROVINCIAL_PEOPLES_COMMITTEE,
            parent=None if "Ủy ban" in name else root,
            province=province,
            valid_from=None,
            valid_to=ended,
            merged_into=by_group[successor_group],
        )
    commune_agencies = {}
    for index, commune in enumerate(communes, start=1):
        ubnd = _agency(
            f"000.{index:02d}.99.{PROVINCE_SUFFIX}",
            name=f"Ủy ban nhân dân {commune.name}",
            short_name=f"UBND {commune.name}",
            kind=P.COMMUNE_PEOPLES_COMMITTEE,
            parent=root,
            province=province,
            commune=commune,
            valid_from=REFORM_DATE,
            valid_to=None,
            merged_into=None,
        )
        centre = _agency(
            f"001.{index:02d}.99.{PROVINCE_SUFFIX}",
            name=f"Trung tâm Phục vụ hành chính công {commune.name}",
            short_name=f"TTPVHCC {commune.name}",
            kind=P.COMMUNE_SERVICE_CENTRE,
            parent=ubnd,
            province=province,
            commune=commune,
            valid_from=REFORM_DATE,
            valid_to=None,
            merged_into=None,
        )
        commune_agencies[commune.code] = (ubnd, centre)
    first_ubnd, first_centre = commune_agencies[communes[0].code]
    second_ubnd, second_centre = commune_agencies[communes[1].code]
    for ubnd in (first_ubnd, second_ubnd):
        for department in COMMUNE_DEPARTMENTS:
            Department.objects.get_or_create(agency=ubnd, name=department)
    accounts: dict[str, list[str]] = {"staff": [], "citizens": [], "business": []}

    def account(username: str, full_name: str, kind: str, **extra) -> User:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "kind": kind, "email": f"{username}@demo.motcua.vn", **extra},
        )
        if with_passwords and (created or not user.has_usable_password()):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif not with_passwords and created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    for username, full_name, role, group, department_name in STAFF:
        commune_groups = {"xa": first_ubnd, "ttxa": first_centre, "xa2": second_ubnd, "ttxa2": second_centre}
        agency = commune_groups.get(group) or by_group[group]
        user = account(
            username, full_name, User.Kind.STAFF, phone="0251382" + f"{len(accounts['staff']):04d}"
        )
        if role == Role.PROVINCE_ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        department = Department.objects.get(agency=agency, name=department_name) if department_name else None
        if not StaffAssignment.objects.filter(
            user=user, agency=agency, role=role, department=department
        ).exists():
            staff_assign(actor=SYSTEM, user=user, agency=agency, role=role, department=department)
        accounts["staff"].append(username)
    _community_teams_load(communes)
    for username, full_name, cccd, birth_date, phone in CITIZENS:
        account(
            username,
            full_name,
            User.Kind.CITIZEN,
            cccd=cccd,
            birth_date=birth_date,
            phone=phone,
            commune=communes[0],
            address="Khu phố 3",
        )
        accounts["citizens"].append(username)
    username, org_name, tax_code, phone = BUSINESS
    account(
        username,
        "Phan Thị Lan",
        User.Kind.BUSINESS,
        organisation_name=org_name,
        tax_code=tax_code,
        phone=phone,
        commune=communes[1],
        address="Lô A2, đường số 5",
    )
    accounts["business"].append(username)
    audit_event_record(action="directory.demo.loaded", actor=SYSTEM, data={"province": province.name})
    return accounts
