"""Reading service requests for Open311: parameter checks (each refusal a 400/403/404 with a clear description),
the 90-day window, paging, and the rows — built from plain values, so a page of 1,000 is one query plus a
look-up of the (few) categories.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Func, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

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
# The columns a page reads, in this order (`_row` reads them by position). Instants are read as whole epoch seconds
# and positions as floats on PostgreSQL (`_page_values`): converting 3,000 timestamps and 2,000 decimals through the
# driver's and Django's loaders costs more CPU than the rest of the page.
FIELDS = (
    "id", "code", "status", "category_id", "public_description", "is_public", "answer", "agencies_label",
    "address", "lat", "lon", "received_at", "updated_at", "due_at", "cover_photo_id", "api_client_id", "title",
    "kind", "merged_into_id", "commune_id",
)  # fmt: skip
_INSTANTS = ("received_at", "updated_at", "due_at")
_POSITIONS = ("lat", "lon")


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


def _epoch(name: str):
    return Func(
        F(name), template="floor(EXTRACT(EPOCH FROM %(expressions)s))::bigint", output_field=BigIntegerField()
    )


def _page_values(reports, *, with_description: bool) -> list[tuple]:
    """The page's rows as tuples in FIELDS order (+ the original description when an API client may see its own)."""
    names = FIELDS + (("description",) if with_description else ())
    if connection.vendor != "postgresql":
        return list(reports.values_list(*names))
    cheap = {f"_{n}": _epoch(n) for n in _INSTANTS}
    cheap.update({f"_{n}": Cast(n, FloatField()) for n in _POSITIONS})
    return list(
        reports.annotate(**cheap).values_list(
            *(f"_{n}" if n in _INSTANTS or n in _POSITIONS else n for n in names)
        )
    )


def _iso_function():
    """ISO 8601 with the offset, to the second, of an instant read either way (epoch seconds or an aware datetime)."""
    tz = timezone.get_current_timezone()
    from_epoch = datetime.fromtimestamp

    def iso_(value) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(tz).replace(microsecond=0).isoformat()
        return from_epoch(value, tz).isoformat()

    return iso_


def _rows(reports, client, extensions: bool) -> list[dict]:
    """One query for the page; names of the (few) categories, communes and merge masters in three small ones.
    Nothing personal is published: a request shows its text, place and photo once the coordinator has published
    the redacted text (`is_public`), or to the API client that posted it."""
    client_id = client.pk if client is not None else None
    values = _page_values(reports, with_description=client_id is not None)
    categories = {
        pk: (code, name)
        for pk, code, name in Category.objects.filter(pk__in={v[3] for v in values}).values_list(
            "id", "code", "name"
        )
    }
    communes = (
        dict(
            AdministrativeUnit.objects.filter(pk__in={v[19] for v in values if v[19]}).values_list(
                "id", "name"
            )
        )
        if extensions
        else {}
    )
    merged_ids = {v[18] for v in values if v[18]}
    masters = dict(Report.objects.filter(pk__in=merged_ids).values_list("id", "code")) if merged_ids else {}
    iso_ = _iso_function()
    photo_base = f"{settings.SITE_URL}/phan-anh/anh/"
    closed, merged = CLOSED_STATUSES, Status.MERGED
    rows = []
    for v in values:
        (_id, code, status, category_id, public_description, public, answer, agencies, address, lat, lon,
         received, updated, due, cover, api_client_id, title, kind, merged_into, commune_id) = v[:20]  # fmt: skip
        own = client_id is not None and api_client_id == client_id
        shown = public or own
        category = categories.get(category_id)
        notes = answer if public else ""
        if status == merged and merged_into in masters:
            notes = _("Trùng với phản ánh %(code)s.") % {"code": masters[merged_into]}
        row = {
            "service_request_id": code,
            "status": "closed" if status in closed else "open",
            "status_notes": notes,
            "service_name": category[1] if category else "",
            "service_code": category[0] if category else "",
            "description": v[20] if own else (public_description if public else ""),
            "agency_responsible": agencies,
            "service_notice": "",
            "requested_datetime": iso_(received),
            "updated_datetime": iso_(updated),
            "expected_datetime": iso_(due),
            "address": address if shown else "",
            "address_id": "",
            "zipcode": "",
            "lat": float(lat) if lat is not None and shown else None,
            "long": float(lon) if lon is not None and shown else None,
            "media_url": f"{photo_base}{cover}/" if public and cover else "",
        }
        if extensions:
            row["extended_attributes"] = {
                "detailed_status": DETAILED.get(status, "RECEIVED"),
                "title": title if shown else "",
                "commune": communes.get(commune_id, ""),
                "kind": kind,
            }
        rows.append(row)
    return rows


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
    if codes:  # the categories' ids first: the page then reads one index (category, received_at, id), no join
        ids = list(Category.objects.filter(code__in=codes[:MAX_IDS]).values_list("id", flat=True))
        reports = reports.filter(category_id__in=ids)
    statuses = _statuses(params)
    if statuses is not None:
        reports = reports.filter(status__in=statuses)
    reports = reports.order_by("-received_at", "-id")
    if page > 1:  # a deep page: skip the rows before it in the index alone, then read the page's rows only
        window_ids = reports.values("id")[(page - 1) * size : page * size]
        return _rows(
            Report.objects.filter(id__in=window_ids).order_by("-received_at", "-id"), client, extensions
        )
    return _rows(reports[:size], client, extensions)


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
