"""Writes for dossiers: the one transition function and the reception actions of the one-stop desk.

    dossier_accept(dossier=d, actor=officer, expected_revision=3)          # → ACCEPTED, code and due date
    dossier_supplement_request(dossier=d, actor=officer, items=[...], reason="…")
    dossier_refuse(dossier=d, actor=officer, reason="…")

Every state change goes through `dossier_transition`: it locks the row, checks the allowed-from states (the table
TRANSITIONS, one screen) and the revision the caller saw, applies the change with a conditional UPDATE (so two
officers acting at the same instant cannot both win, on SQLite as on PostgreSQL), writes the audit event and
queues the applicant's notifications — all in one transaction.
Applicant-side writes (drafts, documents, submission) are in `motcua.dossiers.intake`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.audit import audit_event_record
from motcua.directory.models import Agency
from motcua.dossiers import rules
from motcua.dossiers.errors import DossierError, StaleDossier
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierPause, Status
from motcua.dossiers.notify import dossier_notify
from motcua.metrics.rollups import rollup_record

S = Status
KEEP = "="  # the action does not change the state (a hand-off inside processing, an apology, an assignment)
RESUME = "<"  # back to the state the supplement was asked from
OPEN = frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.STOPPED})
RUNNING = frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.STOPPED})
# action → (states it may start from, state it leads to). REFERENCE §3.2 T1–T15; one screen, the whole workflow.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submitted": (frozenset({S.DRAFT}), S.SUBMITTED),  # T1
    "received": (frozenset({S.DRAFT}), S.ACCEPTED),  # T2 walk-in: recorded and accepted in one step
    "accepted": (frozenset({S.SUBMITTED}), S.ACCEPTED),  # T2
    "refused": (frozenset({S.SUBMITTED}), S.REFUSED),  # T3
    "supplement_requested": (frozenset({S.SUBMITTED, S.ACCEPTED, S.PROCESSING}), S.SUPPLEMENT),  # T4, T7
    "supplemented": (frozenset({S.SUPPLEMENT}), RESUME),
    "assigned": (frozenset({S.ACCEPTED, S.PROCESSING, S.FINISHED}), KEEP),
    "forwarded": (frozenset({S.ACCEPTED, S.PROCESSING}), S.PROCESSING),  # T5, T6
    "sent_back": (frozenset({S.PROCESSING}), S.PROCESSING),  # T6
    "payment_requested": (frozenset({S.PROCESSING}), S.PAYMENT),  # T9
    "paid": (frozenset({S.PAYMENT}), S.PROCESSING),
    "stopped": (frozenset({S.ACCEPTED, S.PROCESSING}), S.STOPPED),  # T10
    "resumed": (frozenset({S.STOPPED}), S.PROCESSING),
    "withdrawn": (OPEN, S.WITHDRAWN),  # T11
    "apologized": (RUNNING, KEEP),  # T13
    "returned_unresolved": (frozenset({S.PROCESSING}), S.FINISHED),  # T12
    "approved": (frozenset({S.PROCESSING}), S.FINISHED),  # T14
    "result_returned": (frozenset({S.FINISHED}), S.RETURNED),  # T15
}
ACTION_LABELS = {
    "submitted": gettext_lazy("nộp"),
    "received": gettext_lazy("tiếp nhận trực tiếp"),
    "accepted": gettext_lazy("tiếp nhận"),
    "refused": gettext_lazy("từ chối tiếp nhận"),
    "supplement_requested": gettext_lazy("yêu cầu bổ sung"),
    "supplemented": gettext_lazy("bổ sung"),
    "assigned": gettext_lazy("phân công xử lý"),
    "forwarded": gettext_lazy("chuyển bước tiếp theo"),
    "sent_back": gettext_lazy("trả lại bước trước"),
    "payment_requested": gettext_lazy("yêu cầu thực hiện nghĩa vụ tài chính"),
    "paid": gettext_lazy("ghi nhận đã nộp nghĩa vụ tài chính"),
    "stopped": gettext_lazy("dừng xử lý"),
    "resumed": gettext_lazy("tiếp tục xử lý"),
    "withdrawn": gettext_lazy("rút"),
    "apologized": gettext_lazy("lập phiếu xin lỗi"),
    "returned_unresolved": gettext_lazy("trả lại không giải quyết"),
    "approved": gettext_lazy("phê duyệt kết quả"),
    "result_returned": gettext_lazy("trả kết quả"),
}
MAX_REASON = 2000


def revision_check(dossier: Dossier, expected_revision: int | None) -> None:
    """The page (or API caller) saw this revision; refuse when the dossier moved on since."""
    if expected_revision is not None and dossier.revision != expected_revision:
        raise StaleDossier(
            _(
                "Hồ sơ %(code)s vừa được cập nhật bởi người khác (hiện ở trạng thái “%(status)s”). "
                "Hãy tải lại trang để xem tình trạng mới nhất; thao tác của bạn chưa được thực hiện."
            )
            % {"code": dossier.display_code, "status": dossier.get_status_display()},
            code="stale",
        )


def dossier_transition(
    *,
    dossier: Dossier,
    action: str,
    actor,
    expected_revision: int | None = None,
    apply: Callable[[Dossier], dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
    notify: bool = True,
    created_now: bool = False,
) -> Dossier:
    """Move a dossier by one action. `apply(locked)` returns the other fields to set (computed under the lock).

    `created_now`: the caller inserted `dossier` in the transaction it is still in, so no other transaction can
    see, lock or change the row: it is used as it is, without reading it again (the conditional UPDATE below
    still checks its state and revision), and any error rolls back the caller's whole transaction."""
    allowed_from, target = TRANSITIONS[action]
    if created_now and not transaction.get_connection().in_atomic_block:
        raise ValueError("created_now: the dossier must have been inserted in the current transaction")
    with transaction.atomic(savepoint=not created_now):
        if created_now:
            locked = dossier
        else:
            # The procedure version comes along for the notification's text; only the dossier's row is locked.
            locked = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related("procedure_version")
                .get(pk=dossier.pk)
            )
        revision_check(locked, expected_revision)
        if locked.status not in allowed_from:
            raise DossierError(
                _("Không thể %(action)s hồ sơ %(code)s khi hồ sơ đang ở trạng thái “%(status)s”.")
                % {
                    "action": ACTION_LABELS[action],
                    "code": locked.display_code,
                    "status": locked.get_status_display(),
                },
                code="not_allowed",
            )
        before, revision = locked.status, locked.revision
        changes = apply(locked) if apply else {}
        if target == KEEP:
            changes["status"] = before
        elif target == RESUME:
            changes["status"] = locked.supplement_from or S.SUBMITTED
        else:
            changes["status"] = target
        changes["revision"] = revision + 1
        changes["updated_at"] = timezone.now()
        updated = Dossier.objects.filter(pk=locked.pk, status=before, revision=revision).update(**changes)
        if updated != 1:  # someone else moved it between our read and our write
            raise StaleDossier(
                _("Hồ sơ %(code)s vừa được người khác xử lý. Hãy tải lại trang.")
                % {"code": locked.display_code},
                code="stale",
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        event = audit_event_record(
            action=f"dossiers.dossier.{action}",
            actor=actor,
            obj=locked,
            data={"from": before, "to": locked.status, "revision": locked.revision, **(data or {})},
        )
        rollup_record(dossier=locked, before=before, action=action, at=event.at)
        if notify:
            dossier_notify(dossier=locked, event=action)
    if locked is not dossier:
        dossier.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return dossier


# --- codes and dates ---------------------------------------------------------------------------------------


def dossier_code_allocate(*, agency: Agency, at: datetime) -> str:
    """`{agency code}-{yyMMdd}-{NNNN}`: the next number of that agency on that day, atomically, never reused.

    Must run inside the caller's transaction: the counter row stays locked until it commits, so concurrent
    acceptances in the same agency get consecutive numbers.
    """
    day = timezone.localtime(at).date()
    counters = DossierCodeCounter.objects.filter(agency=agency, day=day)
    if not counters.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                DossierCodeCounter.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:  # created by a concurrent transaction in between
            counters.update(last=F("last") + 1)
    number = counters.values_list("last", flat=True).get()
    width = 4 if number < 10_000 else len(str(number))
    return f"{agency.code}-{day:%y%m%d}-{number:0{width}d}"


def case_duration(case, *, online: bool) -> tuple[str, Decimal]:
    value = case.online_duration if online and case.online_duration else case.duration
    return case.unit, Decimal(value)


def dossier_due(*, dossier: Dossier, start: datetime) -> datetime:
    """The due instant from the case's processing time, counted from acceptance in the province's calendar."""
    from motcua.worktime.clock import Pause, PauseKind, SupplementMode, due_instant
    from motcua.worktime.services import calendar_for_province

    calendar = calendar_for_province(settings.PROVINCE_CODE)
    unit, amount = case_duration(dossier.case, online=dossier.channel == "online")
    kwargs: dict[str, Any]
    if unit == "working_days" and amount == int(amount):
        kwargs = {"working_days": int(amount)}
    elif unit == "working_days":
        kwargs = {"working_hours": float(amount * 8)}
    elif unit == "working_hours":
        kwargs = {"working_hours": int(amount) if amount == int(amount) else float(amount)}
    else:
        kwargs = {"calendar_days": int(amount)}
    pauses = [
        Pause(p.started_at, p.ended_at, PauseKind.SUPPLEMENT if p.kind == "supplement" else PauseKind.OTHER)
        for p in DossierPause.objects.filter(dossier=dossier, ended_at__isnull=False, started_at__gte=start)
    ]
    mode = (
        SupplementMode.RESTART
        if dossier.case.supplement_mode == "restart"
        else SupplementMode.PAUSE_AND_EXTEND
    )
    return due_instant(
        calendar=calendar,
        start=start,
        cutoff=dossier.case.cutoff,
        pauses=pauses,
        supplement_mode=mode,
        **kwargs,
    )


# --- reception actions -------------------------------------------------------------------------------------


def _require_desk(actor, dossier: Dossier) -> None:
    """The desk of the receiving agency; after acceptance also whoever may act on the dossier's current step."""
    if dossier.status in {S.ACCEPTED, S.PROCESSING} and dossier.current_step_id:
        from motcua.dossiers.models import DossierStep

        step = DossierStep.objects.filter(pk=dossier.current_step_id).first()
        if step is not None and rules.can_act_on_step(actor, step):
            return
    if not rules.can_receive(actor, dossier):
        raise DossierError(_("Bạn không phải cán bộ một cửa của nơi tiếp nhận hồ sơ này."), code="forbidden")


def _reason(text: str, *, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DossierError(_("Cần ghi rõ %(what)s.") % {"what": what}, code="reason_required", field="reason")
    if len(text) > MAX_REASON:
        raise DossierError(
            _("%(what)s dài quá %(n)s ký tự.") % {"what": what.capitalize(), "n": MAX_REASON},
            code="reason_too_long",
            field="reason",
        )
    return text


def _accept_changes(actor, now: datetime) -> Callable[[Dossier], dict[str, Any]]:
    def apply(locked: Dossier) -> dict[str, Any]:
        locked.accepted_at = now
        from motcua.dossiers.processing import processing_start_changes

        due = dossier_due(dossier=locked, start=now)
        return {
            "code": locked.code or dossier_code_allocate(agency=locked.agency, at=now),
            "accepted_at": now,
            "due_at": due,
            "original_due_at": due,
            "received_by_id": actor.pk,
            **processing_start_changes(locked, actor=actor, now=now),
        }

    return apply


def dossier_accept(
    *, dossier: Dossier, actor, expected_revision: int | None = None, note: str = ""
) -> Dossier:
    """T2: the desk officer accepts a complete online dossier (→ Được tiếp nhận). The clock starts now."""
    _require_desk(actor, dossier)
    now = timezone.now()
    return dossier_transition(
        dossier=dossier,
        action="accepted",
        actor=actor,
        expected_revision=expected_revision,
        apply=_accept_changes(actor, now),
        data={"note": (note or "").strip()[:MAX_REASON]},
    )


def dossier_refuse(*, dossier: Dossier, actor, reason: str, expected_revision: int | None = None) -> Dossier:
    """T3: refused at reception (→ Không được tiếp nhận), with the written reason (Mẫu 03)."""
    _require_desk(actor, dossier)
    reason = _reason(reason, what=_("lý do từ chối"))
    now = timezone.now()
    return dossier_transition(
        dossier=dossier,
        action="refused",
        actor=actor,
        expected_revision=expected_revision,
        apply=lambda locked: {"refusal_reason": reason, "refused_at": now, "received_by_id": actor.pk},
        data={"reason": reason},
    )


def dossier_supplement_request(
    *, dossier: Dossier, actor, items: list[str], reason: str, expected_revision: int | None = None
) -> Dossier:
    """T4/T7: one consolidated written request (Mẫu 02) of what is missing (→ Yêu cầu bổ sung).

    At reception the clock has not started; after acceptance it pauses (or restarts, per the procedure case)."""
    _require_desk(actor, dossier)
    items = [item.strip()[:500] for item in items if item and item.strip()]
    if not items:
        raise DossierError(
            _("Cần liệt kê ít nhất một giấy tờ phải bổ sung, hoàn thiện."),
            code="items_required",
            field="items",
        )
    reason = _reason(reason, what=_("lý do yêu cầu bổ sung"))
    now = timezone.now()

    def apply(locked: Dossier) -> dict[str, Any]:
        if locked.status != S.SUBMITTED:
            DossierPause.objects.create(
                dossier=locked, kind=DossierPause.Kind.SUPPLEMENT, started_at=now, reason=reason
            )
        return {
            "supplement_items": items,
            "supplement_reason": reason,
            "supplement_requested_at": now,
            "supplement_from": locked.status,
        }

    return dossier_transition(
        dossier=dossier,
        action="supplement_requested",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"items": items, "reason": reason},
    )


def supplement_complete_changes(locked: Dossier, now: datetime) -> dict[str, Any]:
    """Close the open supplement pause and move the due date (pause and extend, or restart)."""
    changes: dict[str, Any] = {"supplement_from": ""}
    open_pause = (
        DossierPause.objects.filter(dossier=locked, ended_at__isnull=True).order_by("-started_at").first()
    )
    if open_pause is not None:
        open_pause.ended_at = now
        open_pause.save(update_fields=["ended_at"])
        if locked.accepted_at is not None:  # a lawful extension: the KPI's due date moves with it
            changes.update(due_dates_recomputed(locked))
    return changes


def due_dates_recomputed(locked: Dossier) -> dict[str, Any]:
    """After a lawful pause ends: the indicators' due date is recomputed from acceptance with every closed pause;
    the date the citizen sees (later, if an apology moved it) and the open step's deadline move by the same
    amount; the deadline warnings are due again for the new dates."""
    from datetime import timedelta

    from motcua.dossiers.models import DossierStep

    due = dossier_due(dossier=locked, start=locked.accepted_at)
    shift = due - locked.original_due_at if locked.original_due_at else timedelta(0)
    if locked.current_step_id and shift:
        DossierStep.objects.filter(pk=locked.current_step_id, due_at__isnull=False).update(
            due_at=F("due_at") + shift, due_soon_notified_at=None, late_notified_at=None
        )
    return {
        "original_due_at": due,
        "due_at": (locked.due_at or due) + shift,
        "due_soon_notified_at": None,
        "late_notified_at": None,
    }
