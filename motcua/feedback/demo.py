"""The default categories (close to what provinces use), the demo province's routing rules and about a hundred demo
reports in every state, so the queues, the public list and map and the counters show something on `make run`.

`categories_default_load()` is idempotent and fit for a real installation (a province then edits the list in the
admin); `demo_feedback_load()` runs once (when there is no report yet), through the same services people use.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

from django.db import transaction

from motcua.core.audit import SYSTEM
from motcua.directory.models import Agency, Role, StaffAssignment, User
from motcua.feedback.models import Category, Kind, Report, RoutingRule

F, Q, P = Kind.FIELD, Kind.QUESTION, Kind.PROCEDURE
# code, name, group, kinds, anonymous allowed, answer days, needs a place, default agency (code group), per commune
CATEGORIES = [
    ("ha-tang-ky-thuat", "Hạ tầng kỹ thuật (chiếu sáng, cây xanh, vỉa hè)", "Hiện trường", [F], True, 10, True, "000.00.08", True),
    ("giao-thong", "Giao thông (đường hư hỏng, đèn tín hiệu, ùn tắc)", "Hiện trường", [F], True, 10, True, "000.00.08", False),
    ("trat-tu-do-thi", "Trật tự đô thị, lấn chiếm lòng lề đường", "Hiện trường", [F], True, 7, True, None, True),
    ("ve-sinh-moi-truong", "Vệ sinh môi trường, rác thải, ô nhiễm", "Hiện trường", [F], True, 7, True, "000.00.07", True),
    ("dien", "Điện (mất điện, đường dây nguy hiểm)", "Hiện trường", [F], True, 5, True, "000.00.06", False),
    ("cap-thoat-nuoc", "Cấp nước, thoát nước, ngập úng", "Hiện trường", [F], True, 7, True, "000.00.08", False),
    ("y-te", "Y tế, an toàn thực phẩm", "Hiện trường", [F, Q], True, 10, False, "000.00.10", False),
    ("thu-tuc-hanh-chinh", "Thủ tục hành chính (chậm, sai, đòi thêm giấy tờ)", "Thủ tục hành chính", [P], False, 10, False, "000.00.01", False),
    ("thai-do-can-bo", "Thái độ, hành vi của cán bộ, công chức", "Thủ tục hành chính", [P], False, 10, False, "000.00.03", False),
    ("cau-hoi-gop-y", "Câu hỏi, góp ý, kiến nghị về chính sách", "Hỏi đáp, góp ý", [Q], True, 15, False, "000.00.01", False),
    ("khac", "Vấn đề khác", "Khác", [F, Q, P], True, 10, False, None, False),
]  # fmt: skip
SUFFIX = "H19"  # the demo province's letter group (motcua.directory.demo)
# Handlers created for the demo, one per agency that receives reports and has no staff in the demo province.
DEMO_HANDLERS = [
    ("xuly.noivu", "Trương Minh Khoa", "000.00.03"),
    ("xuly.congthuong", "Hồ Thị Diễm", "000.00.06"),
    ("xuly.nnmt", "Lý Văn Phước", "000.00.07"),
    ("xuly.yte", "Mai Thị Thảo", "000.00.10"),
    ("xuly.vpubnd", "Đinh Công Lực", "000.00.01"),
]
COORDINATOR = ("dieuphoi.1022", "Lâm Thu Hà", "000.00.12")

TEXTS = {
    "ha-tang-ky-thuat": "Đèn chiếu sáng trên đường bị hỏng nhiều ngày, buổi tối rất tối, dễ xảy ra tai nạn.",
    "giao-thong": "Mặt đường xuất hiện ổ gà lớn, mưa xuống đọng nước, xe máy đi qua rất nguy hiểm.",
    "trat-tu-do-thi": "Quán ăn lấn chiếm vỉa hè, người đi bộ phải xuống lòng đường.",
    "ve-sinh-moi-truong": "Bãi rác tự phát bên đường bốc mùi hôi, nhiều ngày không được thu gom.",
    "dien": "Dây điện võng thấp sát mái nhà dân, gió mạnh rất nguy hiểm.",
    "cap-thoat-nuoc": "Mưa lớn là khu phố ngập sâu, cống thoát nước bị tắc.",
    "y-te": "Cơ sở bán thức ăn đường phố không đảm bảo vệ sinh, nhiều người bị đau bụng.",
    "thu-tuc-hanh-chinh": "Nộp hồ sơ cấp đổi giấy phép lái xe đã quá hẹn mà chưa nhận được kết quả.",
    "thai-do-can-bo": "Cán bộ tiếp nhận hồ sơ yêu cầu nộp thêm giấy tờ không có trong quy định.",
    "cau-hoi-gop-y": "Đề nghị mở rộng giờ làm việc của bộ phận một cửa vào sáng thứ Bảy.",
    "khac": "Chó thả rông không rọ mõm trong khu dân cư, trẻ em đi học rất sợ.",
}
ANSWER = "Cơ quan đã kiểm tra thực tế, phối hợp đơn vị liên quan khắc phục xong ngày hôm nay. Cảm ơn người dân đã phản ánh."


def categories_default_load() -> int:
    """Create the default categories that do not exist yet. Returns how many were created."""
    created = 0
    for order, (code, name, group, kinds, anonymous, days, place, _agency, _per_commune) in enumerate(
        CATEGORIES
    ):
        _category, was_created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "group": group,
                "kinds": kinds,
                "anonymous_allowed": anonymous,
                "answer_days": days,
                "needs_location": place,
                "order": order,
            },
        )
        created += was_created
    return created


def routing_rules_demo_load() -> int:
    """Default agencies by category, and the commune's People's Committee for the categories handled locally."""
    created = 0
    communes = {
        a.commune_id: a
        for a in Agency.objects.filter(kind=Agency.Kind.COMMUNE_PEOPLES_COMMITTEE, commune__isnull=False)
    }
    for code, *_rest, group, per_commune in CATEGORIES:
        category = Category.objects.get(code=code)
        agency = Agency.objects.filter(code=f"{group}.{SUFFIX}").first() if group else None
        if agency is not None:
            created += RoutingRule.objects.get_or_create(
                category=category, commune=None, defaults={"agency": agency}
            )[1]
        if per_commune:
            for commune_id, ubnd in communes.items():
                created += RoutingRule.objects.get_or_create(
                    category=category, commune_id=commune_id, defaults={"agency": ubnd}
                )[1]
    return created


def _staff(username: str, full_name: str, agency: Agency, role: str, with_passwords: bool) -> User:
    from motcua.directory.demo import DEMO_PASSWORD
    from motcua.directory.services import staff_assign

    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "kind": User.Kind.STAFF, "email": f"{username}@demo.motcua.vn"},
    )
    if created:
        if with_passwords:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    if not StaffAssignment.objects.filter(user=user, agency=agency, role=role).exists():
        staff_assign(actor=SYSTEM, user=user, agency=agency, role=role)
    return user


def demo_staff_load(*, with_passwords: bool) -> list[str]:
    names = []
    for username, full_name, group in DEMO_HANDLERS:
        agency = Agency.objects.filter(code=f"{group}.{SUFFIX}").first()
        if agency is not None:
            _staff(username, full_name, agency, Role.SPECIALIST, with_passwords)
            names.append(username)
    agency = Agency.objects.filter(code=f"{COORDINATOR[2]}.{SUFFIX}").first()
    if agency is not None:
        _staff(COORDINATOR[0], COORDINATOR[1], agency, Role.FEEDBACK_COORDINATOR, with_passwords)
        names.append(COORDINATOR[0])
    return names


def _png() -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 120, 110)).save(stream, format="PNG")
    return stream.getvalue()


def demo_feedback_load(*, with_passwords: bool = False) -> int:
    """Categories, rules, handlers, and ~100 reports across states (once). Returns how many reports were made."""
    categories_default_load()
    if not Agency.objects.filter(code=f"000.00.08.{SUFFIX}").exists():
        return 0
    routing_rules_demo_load()
    demo_staff_load(with_passwords=with_passwords)
    if Report.objects.exists():
        return 0
    from motcua.feedback.demo_reports import demo_reports_make

    with transaction.atomic():
        return demo_reports_make(
            rng=random.Random(1022), photo=_png(), base=(Decimal("10.95"), Decimal("106.84"))
        )
