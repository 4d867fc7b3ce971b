"""Processing in the back office: the inbox of open steps, the actions on a dossier's current step, its steps.

Every action posts to one URL per action name (`motcua.dossiers.actions.ACTIONS`, the same names as the API) with
the revision the page showed; a refused action shows the dossier again with the message and what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.views import staff_required
from motcua.core.audit import audit_event_record
from motcua.directory.models import Role, StaffAssignment, User
from motcua.dossiers import rules
from motcua.dossiers.actions import ACTIONS, action_allowed_in, dossier_action_perform
from motcua.dossiers.control import control_rows
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.intake import Upload
from motcua.dossiers.models import Delivery, DossierPayment, DossierStep, Status
from motcua.dossiers.queries_processing import SCOPES, deadline_marks, flagged_ratings, processing_inbox

SCOPE_LABELS = {
    "mine": gettext_lazy("Việc của tôi"),
    "unassigned": gettext_lazy("Chưa phân công"),
    "team": gettext_lazy("Của phòng, cơ quan"),
}
MAX_RESULT_MB = 20


@staff_required
@require_GET
def processing_list(request):
    scope = request.GET.get("xem", "mine")
    scope = scope if scope in SCOPES else "mine"
    after = None
    due, pk = parse_datetime(request.GET.get("han", "") or ""), request.GET.get("sau", "")
    if due is not None and pk.isdigit():
        after = (due, int(pk))
    marks = deadline_marks()
    steps, more = processing_inbox(request.user, scope=scope, after=after)
    rows = [
        {"step": s, "dossier": s.dossier, "mark": marks.of(s.due_at), "total": marks.of(s.dossier.due_at)}
        for s in steps
    ]
    next_url = ""
    if more and steps and steps[-1].due_at:
        next_url = "?" + urlencode({"xem": scope, "han": steps[-1].due_at.isoformat(), "sau": steps[-1].pk})
    is_leader = StaffAssignment.objects.filter(
        user=request.user, active=True, role__in=[Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER]
    ).exists()
    return render(
        request,
        "backoffice/processing/inbox.html",
        {
            "rows": rows,
            "scope": scope,
            "scopes": [(key, SCOPE_LABELS[key]) for key in SCOPES if key != "team" or is_leader],
            "next_url": next_url,
            "ratings": flagged_ratings(request.user) if is_leader else [],
        },
    )


def processing_context(request, dossier) -> dict:
    """The processing actions this person may take now, the staff a leader may assign, and the steps so far."""
    user = request.user
    step = (
        DossierStep.objects.filter(pk=dossier.current_step_id)
        .select_related("template_step", "agency", "department", "assignee")
        .first()
    )
    acting = step is not None and rules.can_act_on_step(user, step)
    approving = bool(acting and step.template_step and step.template_step.approves_result)
    offered = {
        "take": rules.can_take_step(user, step),
        "assign": rules.can_assign_step(user, step),
        "forward": acting
        and not approving
        and step.template_step is not None
        and not step.template_step.returns_result,
        "send-back": acting and step.sequence > 1 and dossier.status == Status.PROCESSING,
        "request-supplement": acting and dossier.status == Status.PROCESSING,
        "request-payment": acting,
        "record-payment": acting or rules.can_receive(user, dossier),
        "stop": acting,
        "resume": acting,
        "withdraw": rules.can_receive(user, dossier),
        "apologize": rules.can_apologize(user, dossier) if dossier.accepted_at else False,
        "return-unresolved": approving,
        "approve": approving,
        "return-result": acting and dossier.status == Status.FINISHED,
    }
    offered = {key: bool(value) and action_allowed_in(dossier, key) for key, value in offered.items()}
    staff = []
    if offered["assign"]:
        people = StaffAssignment.objects.filter(agency_id=step.agency_id, active=True).exclude(
            role=Role.COMMUNITY_MEMBER
        )
        if step.department_id:
            people = people.filter(department_id=step.department_id)
        staff = list(
            User.objects.filter(pk__in=people.values("user_id"), is_active=True).order_by("full_name")
        )
    marks = deadline_marks()
    return {
        "step": step,
        "offered": offered,
        "any_offered": any(offered.values()),
        "labels": {key: action.label for key, action in ACTIONS.items()},
        "assignable": staff,
        "process_steps": control_rows(dossier, now=marks.now),
        "step_mark": marks.of(step.due_at) if step else "",
        "dossier_mark": marks.of(dossier.due_at)
        if dossier.status in {Status.ACCEPTED, Status.PROCESSING}
        else "",
        "payment_methods": [(k, v) for k, v in DossierPayment.Method.choices if k != "online"],
        "return_methods": Delivery.choices,
        "open_payment": dossier.payments.filter(paid_at__isnull=True).first(),
    }


def _upload(request) -> Upload | None:
    handle = request.FILES.get("result_file")
    if handle is None:
        return None
    if handle.size > MAX_RESULT_MB * 1024 * 1024:
        raise DossierError(
            _("Tệp kết quả lớn hơn %(n)s MB.") % {"n": MAX_RESULT_MB}, code="too_large", field="result_file"
        )
    return Upload(handle.name, handle.read())


@staff_required
@require_POST
def processing_act(request, public_id, action: str):
    from motcua.backoffice.views_dossiers import detail_render, staff_dossier

    if action not in ACTIONS:
        raise Http404
    dossier = staff_dossier(request, public_id)
    revision = request.POST.get("revision", "")
    try:
        if not revision.isdigit():
            raise StaleDossier(
                _("Trang này thiếu thông tin phiên bản hồ sơ. Hãy tải lại trang rồi thao tác lại.")
            )
        dossier_action_perform(
            dossier=dossier,
            actor=request.user,
            action=action,
            data=request.POST,
            upload=_upload(request),
            expected_revision=int(revision),
        )
    except DossierError as exc:
        fresh = staff_dossier(request, public_id)
        status = 409 if isinstance(exc, StaleDossier) or exc.code == "not_allowed" else 400
        if exc.code == "forbidden":
            status = 403
        return detail_render(request, fresh, failed=f"xu-ly:{action}", error=exc.message, status=status)
    label = ACTIONS[action].label
    messages.success(
        request,
        _("Đã thực hiện “%(action)s” cho hồ sơ %(code)s.") % {"action": label, "code": dossier.display_code},
    )
    if action in {"forward", "send-back", "approve", "return-unresolved", "return-result", "withdraw"}:
        return redirect("backoffice:processing-inbox")
    return redirect("backoffice:dossier-detail", public_id=dossier.public_id)


@staff_required
@require_POST
def rating_review(request, public_id):
    """A leader marks a dissatisfied rating as seen (audited)."""
    from motcua.backoffice.views_dossiers import staff_dossier
    from motcua.dossiers.models import DossierRating

    dossier = staff_dossier(request, public_id)
    if not StaffAssignment.objects.filter(
        user=request.user, active=True, role=Role.AGENCY_LEADER, agency_id=dossier.agency_id
    ).exists():
        raise Http404
    from django.utils import timezone

    DossierRating.objects.filter(dossier=dossier, reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    audit_event_record(action="dossiers.rating.reviewed", actor=request.user, obj=dossier, data={})
    return redirect("backoffice:processing-inbox")
