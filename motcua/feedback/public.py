"""Reads worth naming: the public list and map, a report's public timeline, the staff queues, merge candidates.

Nothing personal leaves through the public functions: they read the redacted text the coordinator published, the
category, the place and the answer — never the reporter's name, phone or e-mail, nor the original description.
Lists are paged by keyset (`before` = the last id shown), on partial indexes of the public reports.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AuditEvent
from motcua.feedback import rules
from motcua.feedback.models import Assignment, Report, Status

PAGE_SIZE = 25
MAP_LIMIT = 500
NEARBY_DEGREES = Decimal("0.003")  # about 330 m in latitude: "the same thing, nearby"

# Public status filter (?trang-thai=) → the states it covers. A reopened report stays public while it is reworked.
PUBLIC_STATUS_FILTERS = {
    "da-cong-khai": (_("Đã công khai kết quả"), (Status.PUBLISHED,)),
    "hai-long": (_("Đã kết thúc (hài lòng)"), (Status.CLOSED,)),
    "dang-xu-ly-lai": (_("Đang xử lý lại"), (Status.ROUTED, Status.IN_PROGRESS, Status.ANSWERED)),
}

# Audit actions on the public timeline, with the words a citizen reads.
PUBLIC_STEPS = {
    "feedback.report.received": _("Tiếp nhận phản ánh"),
    "feedback.report.routed": _("Chuyển cơ quan xử lý"),
    "feedback.report.rerouted": _("Chuyển lại cơ quan xử lý"),
    "feedback.report.rejected": _("Không tiếp nhận"),
    "feedback.report.merged": _("Gộp với phản ánh trùng"),
    "feedback.report.accepted": _("Cơ quan nhận xử lý"),
    "feedback.report.info_requested": _("Đề nghị bổ sung thông tin"),
    "feedback.report.info_provided": _("Người phản ánh bổ sung thông tin"),
    "feedback.report.progress_reported": _("Báo cáo tiến độ"),
    "feedback.report.extended": _("Gia hạn trả lời"),
    "feedback.report.answered": _("Cơ quan trả lời"),
    "feedback.report.published": _("Công khai kết quả"),
    "feedback.report.rated_satisfied": _("Người phản ánh hài lòng"),
    "feedback.report.reopened": _("Người phản ánh chưa hài lòng: mở lại"),
}
PUBLIC_FIELDS = (
    "id", "code", "kind", "category__name", "category__code", "commune__name", "address", "lat", "lon",
    "status", "public_description", "answer", "received_at", "published_at", "cover_photo_id", "agencies_label",
)  # fmt: skip


def _filtered(reports: QuerySet, *, category=None, commune=None, status: str = "") -> QuerySet:
    if category is not None:
        reports = reports.filter(category=category)
    if commune is not None:
        reports = reports.filter(commune=commune)
    if status in PUBLIC_STATUS_FILTERS:
        reports = reports.filter(status__in=PUBLIC_STATUS_FILTERS[status][1])
    return reports


def public_reports(*, category=None, commune=None, status: str = "", before: int | None = None) -> list[dict]:
    """One page (PAGE_SIZE + 1 rows, the extra one says there is more) of published reports, newest first."""
    reports = _filtered(
        Report.objects.filter(is_public=True), category=category, commune=commune, status=status
    )
    if before is not None:
        reports = reports.filter(id__lt=before)
    return list(reports.order_by("-id").values(*PUBLIC_FIELDS)[: PAGE_SIZE + 1])


def public_map_points(*, category=None, commune=None, status: str = "") -> list[dict]:
    reports = _filtered(
        Report.objects.filter(is_public=True, lat__isnull=False),
        category=category,
        commune=commune,
        status=status,
    )
    return list(reports.order_by("-id").values("code", "lat", "lon", "status", "category__name")[:MAP_LIMIT])


def public_report(code: str) -> Report | None:
    code = (code or "").strip().upper()[:16]
    return (
        Report.objects.select_related("category", "commune").filter(code=code, is_public=True).first()
        if code
        else None
    )


def report_find(code: str) -> Report | None:
    code = (code or "").strip().upper()[:16]
    return Report.objects.select_related("category", "commune").filter(code=code).first() if code else None


def public_timeline(report: Report) -> list[tuple]:
    """(instant, words) of each public step, oldest first."""
    events = AuditEvent.objects.filter(
        object_type="feedback.report", object_id=str(report.pk), action__in=list(PUBLIC_STEPS)
    ).order_by("at", "id")
    return [(e.at, PUBLIC_STEPS[e.action]) for e in events.only("at", "action")]


# --- staff --------------------------------------------------------------------------------------------------

# Operator queue tabs (?xem=) → states.
QUEUE_TABS = {
    "cho-phan-loai": (Status.RECEIVED, Status.RETURNED),
    "dang-xu-ly": (Status.ROUTED, Status.IN_PROGRESS),
    "cho-cong-khai": (Status.ANSWERED,),
    "da-xong": (Status.PUBLISHED, Status.CLOSED, Status.REJECTED, Status.MERGED),
}


def staff_reports(
    user, *, tab: str = "", category=None, commune=None, escalated: bool = False, before: int | None = None
) -> list[Report]:
    """The reports this staff member may see: all for operators and coordinators, their agencies' otherwise."""
    reports = Report.objects.select_related("category", "commune")
    if not rules.sees_all(user):
        shares = Assignment.objects.filter(
            agency_id__in=rules.handling_agency_ids(user),
            state__in=[Assignment.State.PENDING, Assignment.State.ACCEPTED, Assignment.State.ANSWERED],
        )
        reports = reports.filter(id__in=shares.values("report_id"))
    if tab in QUEUE_TABS:
        reports = reports.filter(status__in=QUEUE_TABS[tab])
    if escalated:
        reports = reports.filter(escalated_at__isnull=False, status__in=[Status.ROUTED, Status.IN_PROGRESS])
    reports = _filtered(reports, category=category, commune=commune)
    if before is not None:
        reports = reports.filter(id__lt=before)
    return list(reports.order_by("-id")[: PAGE_SIZE + 1])


def merge_candidates(report: Report, *, limit: int = 10) -> list[Report]:
    """Open reports of the same category nearby (within ~300 m of the pin, else in the same commune)."""
    near = Report.objects.filter(category=report.category_id).exclude(pk=report.pk)
    near = near.exclude(status__in=[Status.MERGED, Status.REJECTED]).select_related("commune")
    if report.lat is not None and report.lon is not None:
        near = near.filter(
            lat__range=(report.lat - NEARBY_DEGREES, report.lat + NEARBY_DEGREES),
            lon__range=(report.lon - NEARBY_DEGREES, report.lon + NEARBY_DEGREES),
        )
    elif report.commune_id:
        near = near.filter(commune=report.commune_id)
    else:
        return []
    return list(near.filter(Q(received_at__gte=report.received_at - _days(60))).order_by("-id")[:limit])


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)
