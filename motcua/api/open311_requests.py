"""Reading service requests for Open311: parameter checks (each refusal a 400/403/404 with a clear description),
the 90-day window, paging, and the rows — built from plain values, so a page of 1,000 is one query plus a
look-up of the (few) categories.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from motcua.api.open311_render import iso
from motcua.core.models import AuditEvent
from motcua.directory.api_clients import api_client_authenticate
from motcua.directory.models import AdministrativeUnit
from motcua.feedback.models import CLOSED_STATUSES, Category, Report, Status
from motcua.feedback.public import PUBLIC_STEPS

WINDOW = timedelta(days=90)
MAX_PAGE_SIZE = 1000
MAX_IDS = 100
DETAILED = {
    Status.RECEIVED: "RECEIVED",
    Status.RETURNED: "RECEIVED",
    Status.ROUTED: "IN_PROCESS",
    Status.IN_PROGRESS: "IN_PROCESS",
    Status.ANSWERED: "IN_PROCESS",
    Status.PUBLISHED: "PROCESSED",
    Status.CLOSED: "ARCHIVED",
    Status.MERGED: "ARCHIVED",
    Status.REJECTED: "REJECTED",
}
# servicerequestupdates (mySociety extension): the status each public step leaves the request in.
UPDATE_STATUS = {
    "feedback.report.received": "OPEN",
    "feedback.report.routed": "INVESTIGATING",
    "feedback.report.rerouted": "INTERNAL_REFERRAL",
    "feedback.report.rejected": "NO_FURTHER_ACTION",
    "feedback.report.merged": "DUPLICATE",
    "feedback.report.accepted": "IN_PROGRESS",
    "feedback.report.info_requested": "IN_PROGRESS",
    "feedback.report.info_provided": "IN_PROGRESS",
    "feedback.report.progress_reported": "IN_PROGRESS",
    "feedback.report.extended": "ACTION_SCHEDULED",
    "feedback.report.answered": "IN_PROGRESS",
    "feedback.report.published": "CLOSED",
    "feedback.report.rated_satisfied": "FIXED",
    "feedback.report.reopened": "OPEN",
}
FIELDS = (
    "id", "code", "status", "category_id", "public_description", "description", "is_public", "answer",
    "agencies_label", "address", "lat", "lon", "received_at", "updated_at", "due_at", "cover_photo_id",
    "api_client_id", "title", "kind", "merged_into_id", "commune_id",
)  # fmt: skip


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status, self.descriptions = status, list(descriptions)


def client_of(request, *, required: bool):
    """The API client of `api_key`; 403 when required and missing, or when given and wrong."""
    key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not key:
        if required:
            raise Open311Error(403, _("Thiếu api_key."))
        return None
    client = api_client_authenticate(key)
    if client is None:
        raise Open311Error(403, _("api_key không đúng hoặc đã bị thu hồi."))
    return client


def _instant(value: str, name: str) -> datetime:
    value = value.strip()
    parsed = parse_datetime(value.replace(" ", "+")) if "T" in value else None
    if parsed is None:
        day = parse_date(value) if len(value) == 10 else None
        if day is None:
            raise Open311Error(
                400, _("%(name)s phải theo ISO 8601, ví dụ 2026-01-05T08:00:00+07:00.") % {"name": name}
            )
        parsed = datetime.combine(day, datetime.min.time())
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def window(params, now: datetime) -> tuple[datetime, datetime]:
    start = _instant(params["start_date"], "start_date") if params.get("start_date") else None
    end = _instant(params["end_date"], "end_date") if params.get("end_date") else None
    if start and end:
        if end < start:
            raise Open311Error(400, _("end_date phải sau start_date."))
        if end - start > WINDOW:
            raise Open311Error(400, _("Khoảng start_date – end_date tối đa 90 ngày."))
        return start, end
    if start:
        return start, start + WINDOW
    end = end or now
    return end - WINDOW, end


def _int(params, name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    if not str(raw).isdigit() or not low <= int(raw) <= high:
        raise Open311Error(400, _("%(name)s phải là số nguyên từ %(low)s đến %(high)s.") % {
            "name": name, "low": low, "high": high,
        })  # fmt: skip
    return int(raw)


def _statuses(params) -> list[str] | None:
    raw = params.get("status")
    if not raw:
        return None
    wanted = {s.strip().lower() for s in raw.split(",") if s.strip()}
    if not wanted <= {"open", "closed"}:
        raise Open311Error(400, _("status chỉ nhận open, closed."))
    if wanted == {"open", "closed"}:
        return None
    closed = list(CLOSED_STATUSES)
    return closed if wanted == {"closed"} else [s for s in Status.values if s not in closed]


def _photo_url(photo_id: int | None) -> str:
    return f"{settings.SITE_URL}/phan-anh/anh/{photo_id}/" if photo_id else ""


def _row(values: dict, names: dict, client, extensions: bool) -> dict:
    categories, communes, masters = names["categories"], names["communes"], names["masters"]
    public = values["is_public"]  # set only when the coordinator publishes the redacted text
    own = client is not None and values["api_client_id"] == client.pk
    category = categories.get(values["category_id"])
    notes = values["answer"] if public else ""
    if values["status"] == Status.MERGED and values["merged_into_id"] in masters:
        notes = _("Trùng với phản ánh %(code)s.") % {"code": masters[values["merged_into_id"]]}
    row = {
        "service_request_id": values["code"],
        "status": "closed" if values["status"] in CLOSED_STATUSES else "open",
        "status_notes": notes,
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": values["description"] if own else (values["public_description"] if public else ""),
        "agency_responsible": values["agencies_label"],
        "service_notice": "",
        "requested_datetime": iso(values["received_at"]),
        "updated_datetime": iso(values["updated_at"]),
        "expected_datetime": iso(values["due_at"]),
        "address": values["address"] if public or own else "",
        "address_id": "",
        "zipcode": "",
        "lat": float(values["lat"]) if values["lat"] is not None and (public or own) else None,
        "long": float(values["lon"]) if values["lon"] is not None and (public or own) else None,
        "media_url": _photo_url(values["cover_photo_id"]) if public else "",
    }
    if extensions:
        row["extended_attributes"] = {
            "detailed_status": DETAILED.get(values["status"], "RECEIVED"),
            "title": values["title"] if public or own else "",
            "commune": communes.get(values["commune_id"], ""),
            "kind": values["kind"],
        }
    return row


def _rows(reports, client, extensions: bool) -> list[dict]:
    """One query for the page; names of the (few) categories, communes and merge masters in three small ones."""
    values = list(reports.values(*FIELDS))
    ids = {v["category_id"] for v in values}
    names = {
        "categories": {c.pk: c for c in Category.objects.filter(pk__in=ids).only("id", "code", "name")},
        "communes": dict(
            AdministrativeUnit.objects.filter(
                pk__in={v["commune_id"] for v in values if v["commune_id"]}
            ).values_list("id", "name")
        )
        if extensions
        else {},
        "masters": dict(
            Report.objects.filter(
                pk__in={v["merged_into_id"] for v in values if v["merged_into_id"]}
            ).values_list("id", "code")
        ),
    }
    return [_row(v, names, client, extensions) for v in values]


def request_rows(codes: list[str], *, client, extensions: bool) -> list[dict]:
    codes = [c.strip().upper()[:16] for c in codes if c.strip()][:MAX_IDS]
    reports = Report.objects.filter(code__in=codes).order_by("-id")
    return _rows(reports, client, extensions)


def requests_query(params, *, client, now: datetime) -> list[dict]:
    extensions = params.get("extensions") == "true"
    if params.get("service_request_id"):
        return request_rows(params["service_request_id"].split(","), client=client, extensions=extensions)
    start, end = window(params, now)
    page = _int(params, "page", 1, 1, 100_000)
    size = _int(params, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    reports = Report.objects.filter(received_at__gte=start, received_at__lte=end)
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        reports = reports.filter(category__code__in=codes[:MAX_IDS])
    statuses = _statuses(params)
    if statuses is not None:
        reports = reports.filter(status__in=statuses)
    reports = reports.order_by("-received_at", "-id")[(page - 1) * size : page * size]
    return _rows(reports, client, extensions)


def token_rows(token: str) -> list[dict]:
    from uuid import UUID

    try:
        public_id = UUID(token.strip()[:40])
    except ValueError:
        return []
    report = Report.objects.filter(public_id=public_id).values("code").first()
    return [{"service_request_id": report["code"], "token": str(public_id)}] if report else []


def updates_query(params, *, now: datetime) -> list[dict]:
    start, end = window(params, now)
    page = _int(params, "page", 1, 1, 100_000)
    size = _int(params, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    events = (
        AuditEvent.objects.filter(
            object_type="feedback.report", action__in=list(UPDATE_STATUS), at__gte=start
        )
        .filter(Q(at__lte=end))
        .order_by("at", "id")
        .values("id", "object_id", "action", "at")[(page - 1) * size : page * size]
    )
    events = list(events)
    codes = dict(
        Report.objects.filter(pk__in={int(e["object_id"]) for e in events}).values_list("id", "code")
    )
    return [
        {
            "update_id": str(e["id"]),
            "service_request_id": codes.get(int(e["object_id"]), ""),
            "status": UPDATE_STATUS[e["action"]],
            "updated_datetime": e["at"],
            "description": str(PUBLIC_STEPS[e["action"]]),
            "media_url": "",
            "external_status_code": e["action"].rsplit(".", 1)[-1],
        }
        for e in events
    ]
