"""Processing after acceptance (REFERENCE §3.2 T5–T15): steps, hand-offs, pauses, results, return, apologies.

    dossier_forward(dossier=d, actor=officer, note="Đủ điều kiện", expected_revision=4)   # → next step
    dossier_send_back(dossier=d, actor=leader, note="Bổ sung ý kiến thẩm định")          # → previous step
    dossier_step_assign(dossier=d, actor=leader, assignee=specialist)                   # inside a department
    dossier_payment_request(...) / dossier_payment_record(...)                          # state 6, clock paused
    dossier_stop(...) / dossier_resume(...)                                             # state 8, clock paused
    dossier_withdraw(...)                                                               # state 7
    dossier_apologize(...)                                                              # Mẫu 04, new date
    dossier_return_unresolved(...) / dossier_approve(...)                               # state 9
    dossier_return_result(...)                                                          # state 10

Each is one call of `services.dossier_transition` (one transaction, row lock, revision check, audit event,
notification). A dossier follows the process template version it was accepted with (catalog.processes); each
hand-off closes the open `DossierStep` and opens the next one with its own deadline from the step's budget.
Who may act: `rules.can_act_on_step` (the assignee, a leader of the department, the desk for desk steps).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcessStep
from motcua.catalog.processes import process_template_current
from motcua.directory.models import Agency
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import (
    Dossier,
    DossierPause,
    DossierPayment,
    DossierStep,
    Status,
)
from motcua.dossiers.services import MAX_REASON, _reason, dossier_transition, due_dates_recomputed

MAX_AMOUNT = 100_000_000_000  # 100 billion đồng: more is a typing mistake


def _calendar():
    from motcua.worktime.services import calendar_for_province

    return calendar_for_province(settings.PROVINCE_CODE)


def step_deadline(start: datetime, hours: Decimal) -> datetime:
    from motcua.worktime.clock import due_instant

    hours = Decimal(hours)
    value = int(hours) if hours == int(hours) else float(hours)
    return due_instant(calendar=_calendar(), start=start, working_hours=max(value, 0.25))


def _agency_of(step: ProcessStep, dossier: Dossier) -> Agency:
    if step.agency_ref == ProcessStep.AgencyRef.FIXED and step.agency_id:
        return step.agency
    if step.agency_ref == ProcessStep.AgencyRef.RECEIVING:
        return dossier.receiving_agency
    return dossier.agency


def _template_steps(dossier: Dossier) -> list[ProcessStep]:
    return list(ProcessStep.objects.filter(template_id=dossier.process_template_id).order_by("order"))


def _open_step(
    locked: Dossier,
    template_step: ProcessStep | None,
    *,
    now: datetime,
    sent_by,
    note: str = "",
    assignee=None,
) -> DossierStep:
    last = locked.steps.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    if template_step is None:  # no template step (e.g. an old dossier): the receiving desk returns the result
        agency, role, name, hours, department = (
            locked.receiving_agency, "desk_officer", _("Trả kết quả"), Decimal(4), None,
        )  # fmt: skip
    else:
        agency, role, name = _agency_of(template_step, locked), template_step.role, template_step.name
        hours, department = template_step.budget_hours, template_step.department
    return DossierStep.objects.create(
        dossier=locked,
        template_step=template_step,
        sequence=last + 1,
        name=name,
        role=role,
        agency=agency,
        department=department,
        assignee=assignee,
        assigned_at=now if assignee else None,
        sent_by=sent_by if getattr(sent_by, "is_authenticated", False) else None,
        note=note,
        started_at=now,
        due_at=step_deadline(now, hours),
    )


def _close_step(step: DossierStep | None, *, now: datetime, actor, outcome: str) -> None:
    if step is None or step.ended_at is not None:
        return
    step.ended_at, step.outcome = now, outcome
    step.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    if step.assignee_id is None and step.ended_by is not None and outcome != DossierStep.Outcome.CLOSED:
        step.assignee, step.assigned_at = actor, step.assigned_at or now
    step.save(update_fields=["ended_at", "outcome", "ended_by", "assignee", "assigned_at"])


def processing_start_changes(locked: Dossier, *, actor, now: datetime) -> dict[str, Any]:
    """At acceptance: the template version the dossier keeps, and its first step given to the accepting desk."""
    template = process_template_current(case=locked.case)
    locked.process_template = template
    steps = _template_steps(locked)
    first = _open_step(locked, steps[0] if steps else None, now=now, sent_by=actor, assignee=actor)
    return {"process_template_id": template.pk, "current_step_id": first.pk}


def _current(dossier: Dossier) -> DossierStep | None:
    if dossier.current_step_id is None:
        return None
    return DossierStep.objects.select_related("template_step").get(pk=dossier.current_step_id)


def _require_step_actor(actor, dossier: Dossier) -> DossierStep:
    step = _current(dossier)
    if step is None or not rules.can_act_on_step(actor, step):
        raise DossierError(
            _(
                "Hồ sơ %(code)s không ở bước xử lý của bạn: chỉ người được giao hoặc lãnh đạo phòng mới xử lý được."
            )
            % {"code": dossier.display_code},
            code="forbidden",
        )
    return step


def _note(text: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_REASON:
        raise DossierError(
            _("Ý kiến dài quá %(n)s ký tự.") % {"n": MAX_REASON}, code="reason_too_long", field="note"
        )
    return text


# --- hand-offs -------------------------------------------------------------------------------------------


def dossier_step_assign(
    *, dossier: Dossier, actor, assignee, expected_revision: int | None = None
) -> Dossier:
    """A leader gives the current step to a person of that department; or a role holder takes it themselves."""
    step = _current(dossier)
    taking = assignee is not None and assignee.pk == actor.pk and rules.can_take_step(actor, step)
    if not taking and not rules.can_assign_step(actor, step):
        raise DossierError(_("Chỉ lãnh đạo phòng, cơ quan mới phân công được bước này."), code="forbidden")
    if assignee is None or not rules.may_be_assigned(assignee, step):
        raise DossierError(
            _("Người được phân công phải là cán bộ của %(agency)s.") % {"agency": step.agency.name},
            code="wrong_assignee",
            field="assignee",
        )
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        DossierStep.objects.filter(pk=step.pk, ended_at__isnull=True).update(
            assignee=assignee, assigned_at=now
        )
        return {}

    return dossier_transition(
        dossier=dossier,
        action="assigned",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"step": step.pk, "from": step.assignee_id, "to": assignee.pk, "to_name": assignee.full_name},
        notify=False,
    )


def dossier_forward(
    *, dossier: Dossier, actor, note: str = "", expected_revision: int | None = None
) -> Dossier:
    """T5/T6: send the dossier to the next step of its template (another department or agency: liên thông)."""
    step = _require_step_actor(actor, dossier)
    note = _note(note)
    steps = _template_steps(dossier)
    position = next((i for i, s in enumerate(steps) if s.pk == step.template_step_id), None)
    following = steps[position + 1] if position is not None and position + 1 < len(steps) else None
    if step.template_step is not None and step.template_step.approves_result:
        raise DossierError(
            _("Bước này phê duyệt kết quả: hãy phê duyệt kết quả hoặc trả lại hồ sơ."), code="must_decide"
        )
    if following is None or following.returns_result:
        raise DossierError(
            _("Đây là bước xử lý cuối cùng: hồ sơ cần được phê duyệt kết quả."), code="no_next_step"
        )
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        _close_step(step, now=now, actor=actor, outcome=DossierStep.Outcome.FORWARDED)
        nxt = _open_step(locked, following, now=now, sent_by=actor, note=note)
        return {"current_step_id": nxt.pk}

    return dossier_transition(
        dossier=dossier,
        action="forwarded",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"note": note, "step": following.name, "agency": _agency_of(following, dossier).name},
        notify=dossier.status == Status.ACCEPTED,
    )


def dossier_send_back(*, dossier: Dossier, actor, note: str, expected_revision: int | None = None) -> Dossier:
    """T6 backwards: return the dossier to the previous step (to the person who handled it), with the reason."""
    step = _require_step_actor(actor, dossier)
    note = _reason(note, what=_("lý do trả lại bước trước"))
    previous = dossier.steps.filter(sequence__lt=step.sequence).exclude(template_step=step.template_step)
    previous = previous.select_related("template_step").order_by("-sequence").first()
    if previous is None or previous.template_step is None:
        raise DossierError(
            _("Hồ sơ đang ở bước đầu tiên, không có bước trước để trả lại."), code="no_previous"
        )
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        _close_step(step, now=now, actor=actor, outcome=DossierStep.Outcome.SENT_BACK)
        back = _open_step(
            locked, previous.template_step, now=now, sent_by=actor, note=note, assignee=previous.assignee
        )
        return {"current_step_id": back.pk}

    return dossier_transition(
        dossier=dossier,
        action="sent_back",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"note": note, "step": previous.name},
        notify=False,
    )


# --- pauses: financial obligation and stop --------------------------------------------------------------


def _pause_open(locked: Dossier, kind: str, now: datetime, reason: str) -> None:
    DossierPause.objects.create(dossier=locked, kind=kind, started_at=now, reason=reason)


def _pause_close_changes(locked: Dossier, now: datetime) -> dict[str, Any]:
    """Close the open pause; the due dates and the open step's deadline move by the paused working time."""
    DossierPause.objects.filter(dossier=locked, ended_at__isnull=True).update(ended_at=now)
    return due_dates_recomputed(locked) if locked.accepted_at is not None else {}


def dossier_payment_request(
    *, dossier: Dossier, actor, description: str, amount, expected_revision: int | None = None
) -> Dossier:
    """T9: ask the applicant to pay a fee, charge or tax (→ state 6); the clock pauses until it is paid."""
    _require_step_actor(actor, dossier)
    description = _reason(description, what=_("nội dung nghĩa vụ tài chính"))[:300]
    try:
        amount = int(str(amount).replace(".", "").replace(",", "").strip())
    except ValueError:
        amount = -1
    if not 0 < amount <= MAX_AMOUNT:
        raise DossierError(
            _("Số tiền phải là số nguyên dương (đồng), ví dụ 500000."), code="bad_amount", field="amount"
        )
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        DossierPayment.objects.create(
            dossier=locked, description=description, amount=amount, requested_at=now, requested_by=actor
        )
        _pause_open(locked, DossierPause.Kind.PAYMENT, now, description)
        return {}

    return dossier_transition(
        dossier=dossier,
        action="payment_requested",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"description": description, "amount": amount},
    )


def dossier_payment_record(
    *, dossier: Dossier, actor, method: str, receipt_number: str = "", expected_revision: int | None = None
) -> Dossier:
    """The obligation is paid (at the desk, at a bank, or online through the payment gateway): the clock runs
    again and the due dates move by the time it waited."""
    online = method == DossierPayment.Method.ONLINE
    if online and not rules.can_view_as_applicant(actor, dossier):
        raise DossierError(_("Chỉ chủ hồ sơ thanh toán trực tuyến."), code="forbidden")
    if not online:
        step = _current(dossier)
        if not (
            rules.can_receive(actor, dossier) or (step is not None and rules.can_act_on_step(actor, step))
        ):
            raise DossierError(_("Bạn không được ghi nhận thanh toán cho hồ sơ này."), code="forbidden")
    if method not in DossierPayment.Method.values:
        raise DossierError(_("Hãy chọn hình thức nộp tiền."), code="bad_method", field="method")
    receipt_number = (receipt_number or "").strip()[:60]
    if not online and not receipt_number:
        raise DossierError(_("Cần ghi số biên lai."), code="receipt_required", field="receipt_number")
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        DossierPayment.objects.filter(dossier=locked, paid_at__isnull=True).update(
            paid_at=now,
            method=method,
            receipt_number=receipt_number,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        return _pause_close_changes(locked, now)

    return dossier_transition(
        dossier=dossier,
        action="paid",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"method": method, "receipt_number": receipt_number},
    )


def dossier_stop(*, dossier: Dossier, actor, reason: str, expected_revision: int | None = None) -> Dossier:
    """T10: stop processing (a dispute, a verification, a court) with the reason (→ 8); the clock pauses."""
    _require_step_actor(actor, dossier)
    reason = _reason(reason, what=_("lý do dừng xử lý"))
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        _pause_open(locked, DossierPause.Kind.STOP, now, reason)
        return {}

    return dossier_transition(
        dossier=dossier,
        action="stopped",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"reason": reason},
    )


def dossier_resume(
    *, dossier: Dossier, actor, note: str = "", expected_revision: int | None = None
) -> Dossier:
    _require_step_actor(actor, dossier)
    note = _note(note)
    now = timezone.now()
    return dossier_transition(
        dossier=dossier,
        action="resumed",
        actor=actor,
        expected_revision=expected_revision,
        apply=lambda locked: _pause_close_changes(locked, now),
        data={"note": note},
    )


def dossier_withdraw(
    *, dossier: Dossier, actor, reason: str, expected_revision: int | None = None
) -> Dossier:
    """T11: the applicant withdraws the dossier (online, or by a written request the desk records) (→ 7)."""
    if not (rules.can_view_as_applicant(actor, dossier) or rules.can_receive(actor, dossier)):
        raise DossierError(_("Chỉ chủ hồ sơ hoặc bộ phận một cửa ghi nhận việc rút hồ sơ."), code="forbidden")
    reason = _reason(reason, what=_("lý do rút hồ sơ"))
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        DossierPause.objects.filter(dossier=locked, ended_at__isnull=True).update(ended_at=now)
        step = _current(locked)
        _close_step(step, now=now, actor=actor, outcome=DossierStep.Outcome.CLOSED)
        return {"withdrawal_reason": reason, "current_step_id": None}

    return dossier_transition(
        dossier=dossier,
        action="withdrawn",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"reason": reason},
    )
