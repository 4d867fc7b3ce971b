"""Demo reports in every state, made through the services a citizen, an agency and the coordinator use."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from motcua.core.audit import SYSTEM
from motcua.directory.models import AdministrativeUnit, Role, StaffAssignment, User
from motcua.feedback import citizen, handling, services
from motcua.feedback.demo import ANSWER, TEXTS
from motcua.feedback.errors import FeedbackError
from motcua.feedback.intake import Photo, report_submit
from motcua.feedback.models import Category, Report

# How far each demo report goes, and how many (about 100 in all).
PLAN = [("received", 12), ("accepted", 18), ("answered", 10), ("published", 30), ("closed", 18), ("reopened", 6), ("rejected", 4), ("merged", 3)]  # fmt: skip
NAMES = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Minh Tuấn", "Phạm Thị Lan", "Võ Văn Tài", "Huỳnh Thị Ngọc"]


def _handler(agency_id: int) -> User | None:
    share = (
        StaffAssignment.objects.filter(agency_id=agency_id, active=True)
        .exclude(role__in=[Role.COMMUNITY_MEMBER, Role.HOTLINE_OPERATOR])
        .select_related("user")
        .first()
    )
    return share.user if share else None


def _data(rng, category: Category, commune, base, index: int) -> dict:
    data = {
        "category": category,
        "kind": category.kinds[0],
        "description": TEXTS.get(category.code, TEXTS["khac"]),
        "reporter_name": NAMES[index % len(NAMES)],
        "reporter_phone": f"09{rng.randrange(10**7, 10**8)}",
        "commune": commune.code,
        "address": f"Khu phố {rng.randint(1, 9)}, đường số {rng.randint(1, 30)}",
        "notify_channels": ["sms"],
    }
    if category.needs_location:
        data["lat"] = str(base[0] + Decimal(rng.randint(-400, 400)) / 10000)
        data["lon"] = str(base[1] + Decimal(rng.randint(-400, 400)) / 10000)
    return data


def _advance(report: Report, stage: str, coordinator, operator, photo: bytes) -> None:
    if stage == "rejected":
        services.report_reject(
            report=report, actor=operator, reason="Nội dung là khiếu nại, giải quyết theo Luật Khiếu nại."
        )
        return
    if stage == "received":
        return
    for share in list(report.assignments.all()):
        handler = _handler(share.agency_id)
        if handler is None:
            return
        handling.report_accept(report=report, agency=share.agency, actor=handler)
        if stage == "accepted":
            handling.report_progress(
                report=report,
                agency=share.agency,
                actor=handler,
                text="Đã cử cán bộ kiểm tra hiện trường.",
                photos=[Photo("hien-truong.png", photo)],
            )
            continue
        handling.report_answer(report=report, agency=share.agency, actor=handler, text=ANSWER)
    if stage in {"accepted", "answered"}:
        return
    services.report_publish(
        report=report, actor=coordinator, answer=ANSWER, public_description=report.description
    )
    if stage in {"closed", "reopened"}:
        citizen.report_rate(report=report, satisfied=stage == "closed", comment="")


def demo_reports_make(*, rng, photo: bytes, base: tuple[Decimal, Decimal]) -> int:
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", province__code=settings.PROVINCE_CODE).order_by(
            "code"
        )[:6]
    )
    categories = list(Category.objects.filter(active=True).order_by("order"))
    coordinator = User.objects.filter(assignments__role=Role.FEEDBACK_COORDINATOR).first()
    operator = User.objects.filter(assignments__role=Role.HOTLINE_OPERATOR).first() or coordinator
    if not communes or coordinator is None:
        return 0
    made, index = 0, 0
    masters: list[Report] = []
    for stage, count in PLAN:
        for _n in range(count):
            category = categories[index % len(categories)]
            commune = (
                communes[0]
                if category.code in {"trat-tu-do-thi", "ve-sinh-moi-truong", "ha-tang-ky-thuat"}
                else communes[index % len(communes)]
            )
            channel = ("web", "phone", "zalo", "email", "web")[index % 5]
            photos = [Photo("anh.png", photo)] if index % 3 == 0 else []
            report = report_submit(
                actor=SYSTEM,
                channel=channel,
                data=_data(rng, category, commune, base, index),
                photos=photos,
                recorded_by=operator if channel != "web" else None,
                complete_now=True,
            )
            index += 1
            made += 1
            if stage == "merged" and masters:
                master = next((m for m in masters if m.category_id == report.category_id), None)
                if master is not None:
                    services.report_merge(report=report, into=master, actor=operator)
                continue
            try:
                _advance(report, stage, coordinator, operator, photo)
            except FeedbackError:
                continue
            masters.append(report)
    return made
