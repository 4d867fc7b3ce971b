"""The hotline desk and the handling of citizen feedback (/can-bo/phan-anh/): the queue (operators and the
coordinator see all; agency staff only what is routed to their agency), recording a call, Zalo message or e-mail,
a report's page with the actions the viewer may take, and its photos.

Every page names the predicate it needs (`motcua.feedback.rules`); every view of a report (personal data) and of a
photo is audited; every action calls one domain function (`feedback.services` / `feedback.handling`) with the
revision the page showed. Refusals re-display the page with the message and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.backoffice.views import staff_required
from motcua.core.audit import audit_event_record
from motcua.core.models import AuditEvent
from motcua.directory.models import AdministrativeUnit, Agency
from motcua.feedback import public, rules, services
from motcua.feedback.errors import FeedbackError, FeedbackInvalid
from motcua.feedback.forms import ReportForm, category_choices, commune_choices
from motcua.feedback.intake import Photo, report_submit
from motcua.feedback.models import Assignment, Category, Channel, Report, ReportPhoto, Status
from motcua.feedback.photos import MAX_PHOTOS, PHOTO_ACCEPT, held_context, photos_hold, photos_kept
from motcua.feedback.services import TRANSITIONS

TABS = (
    ("cho-phan-loai", _("Chờ phân loại")),
    ("qua-han-nhan", _("Quá hạn nhận xử lý")),
    ("dang-xu-ly", _("Đang xử lý")),
    ("cho-cong-khai", _("Chờ duyệt, công khai")),
    ("da-xong", _("Đã xong")),
    ("tat-ca", _("Tất cả")),
)


def feedback_desk_required(view):
    """Staff who work on feedback: operators, coordinators, administrators, or staff of a handling agency."""

    @staff_required
    def wrapped(request, *args, **kwargs):
        if not rules.may_use_feedback_desk(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _index(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def staff_report(request, code: str) -> Report:
    report = public.report_find(code)
    if report is None or not rules.can_view(request.user, report):
        raise Http404
    return report


@feedback_desk_required
@require_GET
def feedback_queue(request):
    user = request.user
    default = "cho-phan-loai" if rules.is_operator(user) else "dang-xu-ly"
    tab = request.GET.get("xem", default)
    tab = tab if tab in dict(TABS) else default
    category = Category.objects.filter(code=request.GET.get("linh-vuc", "")[:40]).first()
    commune = AdministrativeUnit.objects.filter(level="commune", code=request.GET.get("xa", "")[:5]).first()
    rows = public.staff_reports(
        user,
        tab="" if tab in {"tat-ca", "qua-han-nhan"} else tab,
        escalated=tab == "qua-han-nhan",
        category=category,
        commune=commune,
        before=_index(request.GET.get("truoc")),
    )
    more, rows = len(rows) > public.PAGE_SIZE, rows[: public.PAGE_SIZE]
    params = {k: v for k, v in request.GET.items() if k != "truoc"}
    next_url = f"?{urlencode({**params, 'truoc': rows[-1].pk})}" if more and rows else ""
    context = {
        "rows": rows,
        "tabs": TABS,
        "tab": tab,
        "next_url": next_url,
        "is_operator": rules.is_operator(user),
        "category_choices": category_choices(_("Tất cả lĩnh vực")),
        "commune_choices": commune_choices(_("Tất cả xã, phường")),
        "category": category,
        "commune": commune,
    }
    return render(request, "backoffice/feedback/queue.html", context)


@feedback_desk_required
@require_http_methods(["GET", "POST"])
def feedback_desk(request):
    """The hotline operator records a call, a Zalo message or an e-mail for the caller."""
    if not rules.is_operator(request.user):
        raise PermissionDenied
    form = ReportForm(
        request.POST or None, channels=True, initial={"kind": "field", "channel": Channel.PHONE}
    )
    status, held = 200, ""
    if request.method == "POST":
        form.is_valid()
        channel = form.cleaned_data.get("channel") or Channel.PHONE
        files = request.FILES.getlist("photos")[: MAX_PHOTOS + 1]
        photos = photos_kept(request.POST) + [Photo(f.name or "", f.read()) for f in files]
        try:
            report = report_submit(
                actor=request.user,
                channel=channel,
                data=form.domain_data(),
                photos=photos,
                recorded_by=request.user,
                complete_now=True,  # the operator reads the agency and the deadline to the caller
            )
        except FeedbackInvalid as exc:
            form.domain_errors(exc.errors)
            status, held = 400, photos_hold(photos)
        else:
            messages.success(
                request,
                _("Đã ghi nhận phản ánh %(code)s. Hãy đọc mã này cho người gọi.") % {"code": report.code},
            )
            return redirect("backoffice:feedback-detail", code=report.code)
    context = {
        "form": form,
        "accept": PHOTO_ACCEPT,
        "max_photos": MAX_PHOTOS,
        **held_context(held),
    }
    return render(request, "backoffice/feedback/desk.html", context, status=status)


def _acting_agency(request, report: Report) -> Agency | None:
    mine = rules.agency_ids_for_report(request.user, report)
    wanted = _index(request.POST.get("agency") or request.GET.get("co-quan"))
    chosen = wanted if wanted in mine else (min(mine) if mine else None)
    return Agency.objects.filter(pk=chosen).first() if chosen else None


def _panels(request, report: Report, agency: Agency | None) -> dict:
    user, status = request.user, report.status
    share = (
        report.assignments.filter(agency=agency)
        .exclude(state__in=[Assignment.State.RETURNED, Assignment.State.WITHDRAWN])
        .first()
        if agency
        else None
    )
    operator = rules.is_operator(user)
    return {
        "can_route": operator and status in TRANSITIONS["routed"][0] | TRANSITIONS["rerouted"][0],
        "can_reject": operator and status in TRANSITIONS["rejected"][0],
        "can_merge": operator and status in TRANSITIONS["merged"][0],
        "can_publish": rules.is_coordinator(user) and status == Status.ANSWERED,
        "share": share,
        "can_accept": bool(share)
        and share.state == Assignment.State.PENDING
        and status in {"routed", "in_progress"},
        "can_work": bool(share) and share.state == Assignment.State.ACCEPTED and status == Status.IN_PROGRESS,
        "can_send_back": bool(share)
        and share.state in {Assignment.State.PENDING, Assignment.State.ACCEPTED}
        and status in {"routed", "in_progress"},
    }


def _timeline(report: Report) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="feedback.report", object_id=str(report.pk)).order_by(
            "at", "id"
        )
    )


def detail_render(request, report: Report, *, failed: str = "", error: str = "", status: int = 200):
    audit_event_record(
        action="feedback.report.viewed", actor=request.user, obj=report, data={"page": "backoffice"}
    )
    agency = _acting_agency(request, report)
    panels = _panels(request, report, agency)
    suggested = services.routing_agency_for(category=report.category, commune=report.commune)
    live = {a.agency_id for a in report.assignments.all() if a.active}
    context = {
        "report": report,
        "agency": agency,
        "shares": report.assignments.select_related("agency").order_by("id"),
        "events": report.events.select_related("agency", "author").order_by("created_at", "id"),
        "photos": report.photos.order_by("id"),
        "timeline": _timeline(report),
        "failed": failed,
        "error": error,
        "values": request.POST if failed else {},
        "accept": PHOTO_ACCEPT,
        "suggested": suggested,
        "selected": live or ({suggested.pk} if suggested else set()),
        "candidates": public.merge_candidates(report) if panels["can_merge"] else [],
        "answers": "\n\n".join(a.answer for a in report.assignments.filter(state="answered") if a.answer),
        **panels,
    }
    if panels["can_route"]:
        context["agencies"] = Agency.objects.filter(valid_to__isnull=True).order_by("kind", "code")
    return render(request, "backoffice/feedback/detail.html", context, status=status)


@feedback_desk_required
@require_GET
def feedback_detail(request, code: str):
    return detail_render(request, staff_report(request, code))


@feedback_desk_required
@require_GET
def feedback_photo(request, code: str, photo_id: int):
    report = staff_report(request, code)
    photo = ReportPhoto.objects.filter(report=report, pk=photo_id).first()
    if photo is None:
        raise Http404
    audit_event_record(
        action="feedback.photo.viewed", actor=request.user, obj=report, data={"photo": photo.pk}
    )
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@feedback_desk_required
@require_POST
def feedback_act(request, code: str, action: str):
    from motcua.backoffice.views_feedback_actions import ACTIONS

    report = staff_report(request, code)
    if action not in ACTIONS:
        raise Http404
    try:
        message = ACTIONS[action](request, report)
    except FeedbackInvalid as exc:
        return detail_render(request, report, failed=action, error=" ".join(exc.errors.values()), status=400)
    except FeedbackError as exc:
        return detail_render(request, report, failed=action, error=exc.message, status=400)
    messages.success(request, message)
    if not rules.can_view(request.user, report):  # sent back: no longer this agency's
        return redirect("backoffice:feedback-queue")
    return redirect("backoffice:feedback-detail", code=report.code)
