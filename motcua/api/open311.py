"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), XML and JSON, for any client.

    GET  discovery.{xml,json}                    GET services.{xml,json}      GET services/{service_code}.{fmt}
    POST requests.{fmt}  (api_key required)      GET requests.{fmt}           GET requests/{service_request_id}.{fmt}
    GET  tokens/{token}.{fmt}                    GET servicerequestupdates.{fmt}   (the mySociety extension)

Services are the feedback categories; `service_request_id` is the report's code (PA…); `api_key` is the token of
an API client issued by a provincial administrator. GET requests: `service_request_id` (comma-separated; other
filters then ignored), `service_code` (comma-separated), `start_date`/`end_date` (ISO 8601; at most 90 days apart;
the last 90 days by default), `status` (open, closed), `page` and `page_size` (the pagination extension, at most
1,000), `extensions=true` (`extended_attributes` with `detailed_status`: RECEIVED, IN_PROCESS, PROCESSED,
ARCHIVED, REJECTED). Errors: 400, 403, 404 with `[{"code": …, "description": …}]` or `<errors><error>…`.

Nothing personal is published: a request shows its description, place and photo only once the coordinator has
published its redacted text (or to the API client that posted it); otherwise its status and dates only.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from motcua.api import open311_render as out
from motcua.api.open311_requests import (
    Open311Error,
    client_of,
    request_rows,
    requests_query,
    token_rows,
    updates_query,
)
from motcua.core.audit import api_client_actor
from motcua.core.middleware import client_ip
from motcua.core.multipart import FormInvalid, multipart_form_load
from motcua.core.ratelimit import rate_limit_allow
from motcua.directory.models import AdministrativeUnit
from motcua.feedback.errors import FeedbackInvalid
from motcua.feedback.intake import Photo, category_and_commune, report_submit
from motcua.feedback.models import Category, Channel, Kind
from motcua.feedback.photos import MAX_PHOTOS

FORMATS = ("xml", "json")
READS_PER_10_MINUTES = 600
SPEC = "http://wiki.open311.org/GeoReport_v2"


def _format_ok(fmt: str) -> HttpResponse | None:
    if fmt not in FORMATS:
        return out.errors("xml", 400, [_("Định dạng không hỗ trợ: dùng .xml hoặc .json.")])
    return None


def _jurisdiction_ok(request, fmt: str) -> HttpResponse | None:
    given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if given and given not in jurisdictions():
        return out.errors(fmt, 404, [_("jurisdiction_id không đúng.")])
    return None


def jurisdictions() -> set[str]:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return {settings.PROVINCE_CODE, host}


def _guarded(view):
    """Format and jurisdiction checks, a per-address limit on reads, and Open311Error → the standard error body."""

    def wrapped(request, fmt: str, **kwargs):
        if request.method == "POST":
            try:  # photos arrive here at a high rate: the lean reader, before anything reads request.POST
                multipart_form_load(
                    request,
                    file_fields={"media"},
                    max_files=MAX_PHOTOS + 1,  # one more than allowed: report_submit names the limit
                    max_file_bytes=settings.FEEDBACK_MAX_PHOTO_MB * 1024 * 1024,
                )
            except FormInvalid as exc:
                return out.errors(fmt if fmt in FORMATS else "xml", 400, [exc.message])
        refused = _format_ok(fmt) or _jurisdiction_ok(request, fmt)
        if refused:
            return refused
        reading = request.method == "GET"
        if not rate_limit_allow(
            scope="open311.read" if reading else "open311.post",
            key=client_ip(request) or "-",
            limit=READS_PER_10_MINUTES if reading else settings.OPEN311_POSTS_PER_10_MINUTES,
            window_seconds=600,
        ):
            response = out.errors(fmt, 429, [_("Quá nhiều yêu cầu; hãy thử lại sau ít phút.")])
            response["Retry-After"] = "600"
            return response
        try:
            return view(request, fmt, **kwargs)
        except Open311Error as exc:
            return out.errors(fmt, exc.status, exc.descriptions)

    wrapped.__name__ = view.__name__
    return wrapped


@require_GET
@_guarded
def discovery(request, fmt: str):
    base = f"{settings.SITE_URL}/open311/v2/"
    body = {
        "changeset": "2026-01-01T00:00:00+07:00",
        "contact": _("Tổng đài 1022 – Cổng dịch vụ công tỉnh"),
        "key_service": _("Khóa api_key do quản trị hệ thống cấp tỉnh cấp (mục Ứng dụng kết nối API)."),
        "endpoints": [
            {
                "specification": SPEC,
                "url": base,
                "changeset": "2026-01-01T00:00:00+07:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return out.render(fmt, "discovery", None, body)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(str(Kind(k).label) for k in category.kinds if k in Kind.values),
        "group": category.group,
    }


@require_GET
@_guarded
def services(request, fmt: str):
    rows = [_service(c) for c in Category.objects.filter(active=True).order_by("order", "name")]
    return out.render(fmt, "services", "service", rows)


def _communes() -> list[dict]:
    units = AdministrativeUnit.objects.filter(
        level=AdministrativeUnit.Level.COMMUNE, province__code=settings.PROVINCE_CODE, valid_to__isnull=True
    ).order_by("name")
    return [{"key": u.code, "name": u.name} for u in units]


def _attributes(category: Category) -> list[dict]:
    attributes = [
        {
            "variable": True,
            "code": "commune",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Mã xã, phường (5 chữ số); cần khi không gửi lat/long."),
            "order": 1,
            "description": _("Xã, phường nơi xảy ra sự việc"),
            "values": _communes(),
        },
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 2,
            "description": _("Loại phản ánh"),
            "values": [{"key": k, "name": str(Kind(k).label)} for k in category.kinds if k in Kind.values],
        },
    ]
    if category.anonymous_allowed:
        attributes.append(
            {
                "variable": True,
                "code": "anonymous",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": None,
                "order": 3,
                "description": _("Gửi ẩn danh"),
                "values": [{"key": "true", "name": _("Có")}, {"key": "false", "name": _("Không")}],
            }
        )
    return attributes


@require_GET
@_guarded
def service_definition(request, fmt: str, service_code: str):
    category = Category.objects.filter(code=service_code[:40], active=True).first()
    if category is None:
        raise Open311Error(404, _("Không có service_code %(code)s.") % {"code": service_code[:40]})
    body = {"service_code": category.code, "attributes": _attributes(category)}
    return out.render(fmt, "service_definition", None, body)


def _post_data(request, category: Category, commune) -> dict:
    p = request.POST
    attribute = {
        key[10:-1]: value for key, value in p.items() if key.startswith("attribute[") and key.endswith("]")
    }
    name = " ".join(
        part for part in (p.get("first_name", "").strip(), p.get("last_name", "").strip()) if part
    )
    anonymous = attribute.get("anonymous") == "true" or (not name and category.anonymous_allowed)
    return {
        "category": category,
        "kind": attribute.get("kind", ""),
        "description": p.get("description", ""),
        "reporter_name": name,
        "reporter_phone": p.get("phone", ""),
        "reporter_email": p.get("email", ""),
        "anonymous": anonymous,
        "commune": commune,  # looked up with the category (`category_and_commune`); None: none given
        "address": p.get("address_string", "") or p.get("address_id", ""),
        "lat": p.get("lat", ""),
        "lon": p.get("long", ""),
        "notify_channels": ["sms"] if p.get("phone") else [],
    }


def _post_request(request, fmt: str):
    client = client_of(request, required=True)
    code = request.POST.get("service_code", "").strip()[:40]
    if not code:
        raise Open311Error(400, _("Thiếu service_code."))
    p = request.POST
    category, commune = category_and_commune(code, p.get("attribute[commune]", ""))  # one round trip
    if category is None:
        raise Open311Error(404, _("Không có service_code %(code)s.") % {"code": code})
    if not ((p.get("lat") and p.get("long")) or p.get("address_string") or p.get("address_id")) and (
        category.needs_location
    ):
        raise Open311Error(400, _("Cần vị trí: lat và long, hoặc address_string."))
    files = request.FILES.getlist("media")[: MAX_PHOTOS + 1]
    photos = [Photo(f.name or "", f.read(settings.FEEDBACK_MAX_PHOTO_MB * 1024 * 1024 + 1)) for f in files]
    extra = {k: p[k][:500] for k in ("device_id", "account_id", "media_url") if p.get(k)}
    try:
        report = report_submit(
            actor=api_client_actor(client.name),
            channel=Channel.API,
            data=_post_data(request, category, commune),
            photos=photos,
            api_client=client,
            attributes=extra,
        )
    except FeedbackInvalid as exc:
        raise Open311Error(400, *[f"{field}: {message}" for field, message in exc.errors.items()]) from None
    notice = _("Đã nhận phản ánh %(code)s; hạn trả lời theo quy định của lĩnh vực.") % {"code": report.code}
    body = [
        {
            "service_request_id": report.code,
            "token": str(report.public_id),
            "service_notice": notice,
            "account_id": p.get("account_id") or None,
        }
    ]
    return out.render(fmt, "service_requests", "request", body)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guarded
def requests_collection(request, fmt: str):
    if request.method == "POST":
        return _post_request(request, fmt)
    client = client_of(request, required=False)
    rows = requests_query(request.GET, client=client, now=timezone.now())
    return out.render(fmt, "service_requests", "request", rows)


@require_GET
@_guarded
def request_detail(request, fmt: str, request_id: str):
    client = client_of(request, required=False)
    rows = request_rows([request_id], client=client, extensions=request.GET.get("extensions") == "true")
    if not rows:
        raise Open311Error(404, _("Không có service_request_id %(id)s.") % {"id": request_id[:20]})
    return out.render(fmt, "service_requests", "request", rows)


@require_GET
@_guarded
def token_detail(request, fmt: str, token: str):
    rows = token_rows(token)
    if not rows:
        raise Open311Error(404, _("Không có token %(token)s.") % {"token": token[:40]})
    return out.render(fmt, "service_requests", "request", rows)


@require_GET
@_guarded
def request_updates(request, fmt: str):
    client_of(request, required=False)
    rows = updates_query(request.GET, now=timezone.now())
    return out.render(fmt, "service_request_updates", "request_update", rows)
