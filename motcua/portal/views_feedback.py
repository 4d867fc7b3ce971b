"""Citizen feedback on the portal, no account needed: the form, the confirmation with the code, the look-up by code,
the reporter's own page (personal link with a token: answer questions, rate the answer), the public list and map of
published reports, and their photos.

Pages only read and call domain functions (`motcua.feedback.intake`, `citizen`, `public`); nothing here sets a
report's state. Public pages show the coordinator's redacted text only — never names, phones or the original text.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from motcua.core.audit import audit_event_record
from motcua.core.middleware import client_ip
from motcua.core.ratelimit import rate_limit_allow
from motcua.directory.models import AdministrativeUnit
from motcua.feedback import citizen, public
from motcua.feedback.errors import FeedbackError, FeedbackInvalid
from motcua.feedback.forms import ReportForm, category_choices, commune_choices
from motcua.feedback.intake import Photo, bounds, report_submit
from motcua.feedback.models import Category, Channel, ReportPhoto, Status
from motcua.feedback.photos import MAX_PHOTOS, PHOTO_ACCEPT, held_context, photos_hold, photos_kept
from motcua.feedback.services import CITIZEN

WINDOW = 600


def _too_many(request):
    response = render(request, "portal/feedback/too_many.html", {"window_minutes": WINDOW // 60}, status=429)
    response["Retry-After"] = str(WINDOW)
    return response


def _allowed(request, scope: str, limit: int) -> bool:
    return rate_limit_allow(scope=scope, key=client_ip(request) or "-", limit=limit, window_seconds=WINDOW)


def _photos(request) -> list[Photo]:
    """The uploaded photos; one past the size limit is cut short so it is refused without reading it whole."""
    limit = settings.FEEDBACK_MAX_PHOTO_MB * 1024 * 1024
    files = request.FILES.getlist("photos")[: MAX_PHOTOS + 1]
    return [Photo(f.name or "", f.read() if f.size <= limit else f.read(limit + 1)) for f in files]


def _form_page(request, form: ReportForm, status: int = 200, held: str = ""):
    context = {
        "form": form,
        **held_context(held),
        "accept": PHOTO_ACCEPT,
        "max_photos": MAX_PHOTOS,
        "max_photo_mb": settings.FEEDBACK_MAX_PHOTO_MB,
        "anonymous_categories": Category.objects.filter(active=True, anonymous_allowed=True).order_by(
            "order"
        ),
    }
    return render(request, "portal/feedback/new.html", context, status=status)


def _initial(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"kind": "field"}
    return {
        "kind": "field",
        "reporter_name": user.full_name,
        "reporter_phone": user.phone,
        "reporter_email": user.email,
    }


@require_http_methods(["GET", "POST"])
def feedback_new(request):
    if request.method != "POST":
        return _form_page(request, ReportForm(initial=_initial(request.user)))
    if not _allowed(request, "feedback.intake", settings.FEEDBACK_REPORTS_PER_10_MINUTES):
        return _too_many(request)
    form = ReportForm(request.POST)
    form.is_valid()
    user = request.user if request.user.is_authenticated else None
    # the photos kept from a previous attempt (minus those the citizen removed), then the newly chosen ones
    photos = photos_kept(request.POST) + _photos(request)
    try:
        report = report_submit(
            actor=user or CITIZEN,
            channel=Channel.WEB,
            data=form.domain_data(),
            photos=photos,
            reporter_user=user,
        )
    except FeedbackInvalid as exc:
        form.domain_errors(exc.errors)
        return _form_page(request, form, status=400, held=photos_hold(photos))
    return redirect("portal:feedback-sent", code=report.code, token=citizen.report_token(report))


@require_safe
def feedback_sent(request, code: str, token: str):
    report = citizen.report_by_token(code, token)
    if report is None:
        raise Http404
    # The link on the page is this server's own address; messages use SITE_URL (notify.follow_url).
    link = request.build_absolute_uri(reverse("portal:feedback-follow", args=[report.code, token]))
    response = render(request, "portal/feedback/sent.html", {"report": report, "follow_url": link})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def feedback_follow(request, code: str, token: str):
    """The reporter's own page: status, public steps, questions to answer, the answer and the rating."""
    report = citizen.report_by_token(code, token)
    if report is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not _allowed(request, "feedback.intake", settings.FEEDBACK_REPORTS_PER_10_MINUTES):
            return _too_many(request)
        errors = _follow_act(request, report)
        if not errors:
            return redirect("portal:feedback-follow", code=report.code, token=token)
    audit_event_record(action="feedback.report.viewed", actor=CITIZEN, obj=report, data={"page": "follow"})
    context = {
        "report": report,
        "token": token,
        "timeline": public.public_timeline(report),
        "events": report.events.filter(public=True).select_related("agency").order_by("created_at"),
        "photos": report.photos.filter(hidden=False, event__isnull=True).exclude(public_file=""),
        "errors": errors,
        "typed": request.POST.get("text", "") if errors else "",
        "accept": PHOTO_ACCEPT,
    }
    response = render(request, "portal/feedback/follow.html", context, status=400 if errors else 200)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _follow_act(request, report) -> dict[str, str]:
    action = request.POST.get("action", "")
    try:
        if action == "rate" and request.POST.get("satisfied") in {"yes", "no"}:
            citizen.report_rate(
                report=report,
                satisfied=request.POST["satisfied"] == "yes",
                comment=request.POST.get("comment", ""),
            )
            messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá kết quả xử lý."))
        elif action == "rate":
            return {"rate": _("Hãy chọn hài lòng hoặc không hài lòng.")}
        elif action == "info":
            citizen.report_info_provide(
                report=report, text=request.POST.get("text", ""), photos=_photos(request)
            )
            messages.success(request, _("Đã gửi thông tin bổ sung tới cơ quan xử lý."))
        else:
            return {"action": _("Thao tác không hợp lệ.")}
    except FeedbackInvalid as exc:
        return {"info": " ".join(exc.errors.values())}
    except FeedbackError as exc:
        return {"rate" if action == "rate" else "info": exc.message}
    return {}


@require_safe
def feedback_lookup(request):
    code = str(request.GET.get("ma", "")).strip()[:20]
    context = {"code": code, "report": None, "error": ""}
    if code:
        if not _allowed(request, "feedback.lookup", settings.TRACKING_LOOKUPS_PER_10_MINUTES):
            return _too_many(request)
        report = public.report_find(code)
        if report is None:
            context["error"] = _("Không tìm thấy phản ánh mã %(code)s.") % {"code": code}
        else:
            context.update(report=report, timeline=public.public_timeline(report))
    response = render(
        request, "portal/feedback/lookup.html", context, status=404 if context["error"] else 200
    )
    if code:
        response["X-Robots-Tag"] = "noindex"
    return response


def _filters(request) -> dict:
    """The list's filters; a look-up only for a filter that was given."""
    category_code, commune_code = request.GET.get("linh-vuc", "")[:40], request.GET.get("xa", "")[:5]
    category = (
        Category.objects.filter(code=category_code, active=True).only("id", "code", "name").first()
        if category_code
        else None
    )
    commune = (
        AdministrativeUnit.objects.filter(
            level="commune", code=commune_code, province__code=settings.PROVINCE_CODE
        )
        .only("id", "code", "name")
        .first()
        if commune_code
        else None
    )
    status = request.GET.get("trang-thai", "")
    return {
        "category": category,
        "commune": commune,
        "status": status if status in public.PUBLIC_STATUS_FILTERS else "",
    }


def _options(choices, selected: str) -> str:
    """`<option>`s of a filter, built here in one pass: a template loop over the ~100 communes costs more CPU than
    the rest of the page. Every value and label is escaped."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label) for value, label in choices),
    )


def _filter_context(request, filters: dict) -> dict:
    category, commune = filters["category"], filters["commune"]
    status_choices = [("", _("Mọi trạng thái"))] + [
        (k, v[0]) for k, v in public.PUBLIC_STATUS_FILTERS.items()
    ]
    return {
        "filters": filters,
        "category_options": _options(
            category_choices(_("Tất cả lĩnh vực")), category.code if category else ""
        ),
        "commune_options": _options(commune_choices(_("Tất cả xã, phường")), commune.code if commune else ""),
        "status_options": _options(status_choices, filters["status"]),
        "query": request.GET.urlencode(),
    }


@require_safe
def feedback_list(request):
    filters = _filters(request)
    before = request.GET.get("truoc", "")
    before_id = int(before) if before.isdigit() and len(before) < 19 else None
    rows = public.public_reports(**filters, before=before_id)
    more, rows = len(rows) > public.PAGE_SIZE, rows[: public.PAGE_SIZE]
    detail = reverse("portal:feedback-detail", args=["PA00000000"]).replace("PA00000000", "{}")
    for row in rows:  # one reverse() per page, not per row
        row["href"] = detail.format(row["code"])
    params = request.GET.copy()
    params["truoc"] = rows[-1]["id"] if rows else ""
    context = {
        "rows": rows,
        "next_query": params.urlencode() if more else "",
        **_filter_context(request, filters),
    }
    return render(request, "portal/feedback/list.html", context)


def _plot(points: list[dict]) -> list[dict]:
    """Positions in a 1000 × 1000 box over the province's bounds (north up), for the server-drawn map."""
    south, west, north, east = bounds()
    out = []
    for p in points:
        x = (float(p["lon"]) - west) / (east - west) * 1000
        y = (north - float(p["lat"])) / (north - south) * 1000
        out.append({**p, "x": round(x, 1), "y": round(y, 1)})
    return out


@require_safe
def feedback_map(request):
    filters = _filters(request)
    points = _plot(public.public_map_points(**filters))
    return render(
        request, "portal/feedback/map.html", {"points": points, **_filter_context(request, filters)}
    )


@require_safe
def feedback_detail(request, code: str):
    report = public.public_report(code)
    if report is None:
        raise Http404
    context = {
        "report": report,
        "timeline": public.public_timeline(report),
        "photos": report.photos.filter(hidden=False, event__isnull=True).exclude(public_file=""),
        "progress": report.events.filter(kind="progress", public=True).select_related("agency"),
        "reopened": report.status not in {Status.PUBLISHED, Status.CLOSED},
        "lat": Decimal(report.lat) if report.lat is not None else None,
    }
    return render(request, "portal/feedback/detail.html", context)


@require_safe
def feedback_photo(request, photo_id: int):
    """A published photo, re-encoded without its metadata; nothing else is ever served here."""
    photo = (
        ReportPhoto.objects.select_related("report")
        .filter(pk=photo_id, hidden=False, report__is_public=True)
        .exclude(public_file="")
        .first()
    )
    if photo is None:
        raise Http404
    response = FileResponse(photo.public_file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response
