"""What an agency does with its share of a report, each through `report_transition` (locked, audited):

    report_accept(report=r, agency=a, actor=officer)
    report_note(report=r, agency=a, actor=officer, text="…")                  # internal, never shown to the citizen
    report_info_request(report=r, agency=a, actor=officer, text="…")          # the citizen is asked (SMS/e-mail)
    report_progress(report=r, agency=a, actor=officer, text="…", photos=[…])  # the citizen sees it
    report_extend(report=r, agency=a, actor=officer, working_days=5, reason="…")
    report_answer(report=r, agency=a, actor=officer, text="…")                # → Đã có kết quả when all answered
    report_send_back(report=r, agency=a, actor=officer, reason="…")           # wrongly routed: back to the operator

And the escalation of shares nobody claimed in time to the provincial coordinator (`assignment_escalate`).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.audit import SYSTEM
from motcua.feedback import rules
from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Assignment, Event, Report
from motcua.feedback.services import (
    LIVE,
    MAX_TEXT,
    _reason,
    _user,
    due_after,
    report_transition,
    shares_summary,
    status_from_shares,
)

MAX_EXTENSION_DAYS = 30


def _share(report: Report, agency, actor, *, states=LIVE) -> Assignment:
    if not rules.can_handle(actor, report, agency.pk):
        raise FeedbackError(_("Cơ quan của bạn không được giao xử lý phản ánh này."), code="forbidden")
    share = report.assignments.filter(agency=agency, state__in=states).first()
    if share is None:
        raise FeedbackError(
            _("Phần việc của cơ quan ở trạng thái không cho phép thao tác này."), code="not_allowed"
        )
    return share


def _event(locked: Report, kind: str, agency, actor, text: str, *, public: bool = False) -> Event:
    return Event.objects.create(
        report=locked, kind=kind, agency=agency, author=_user(actor), text=text, public=public
    )


def report_accept(*, report: Report, agency, actor, expected_revision: int | None = None) -> Report:
    share = _share(report, agency, actor, states=(Assignment.State.PENDING,))
    now = timezone.now()

    def apply(locked: Report) -> dict[str, Any]:
        Assignment.objects.filter(pk=share.pk).update(state=Assignment.State.ACCEPTED, accepted_at=now)
        return {}

    return report_transition(
        report=report,
        action="accepted",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"agency": agency.code},
    )


def report_note(*, report: Report, agency, actor, text: str) -> Report:
    _share(report, agency, actor)
    text = _reason(text, what=_("nội dung ghi chú"))
    return report_transition(
        report=report,
        action="noted",
        actor=actor,
        apply=lambda locked: (_event(locked, Event.Kind.NOTE, agency, actor, text), {})[1],
        data={"agency": agency.code},
    )


def report_info_request(*, report: Report, agency, actor, text: str) -> Report:
    _share(report, agency, actor)
    if not (report.reporter_phone or report.reporter_email):
        raise FeedbackError(
            _("Người phản ánh không để lại số điện thoại hay thư điện tử: không thể hỏi thêm."),
            code="no_contact",
        )
    text = _reason(text, what=_("thông tin cần người phản ánh cung cấp"))
    return report_transition(
        report=report,
        action="info_requested",
        actor=actor,
        apply=lambda locked: (_event(locked, Event.Kind.INFO_REQUEST, agency, actor, text, public=True), {})[
            1
        ],
        data={"agency": agency.code, "text": text},
    )


def report_progress(*, report: Report, agency, actor, text: str, photos: list = ()) -> Report:  # type: ignore[assignment]
    from motcua.feedback.photos import photos_check, photos_store

    _share(report, agency, actor, states=(Assignment.State.ACCEPTED,))
    text = _reason(text, what=_("nội dung tiến độ"))
    photos = list(photos)
    photos_check(photos)

    def apply(locked: Report) -> dict[str, Any]:
        event = _event(locked, Event.Kind.PROGRESS, agency, actor, text, public=True)
        photos_store(report=locked, photos=photos, event=event)
        return {}

    return report_transition(
        report=report,
        action="progress_reported",
        actor=actor,
        apply=apply,
        data={"agency": agency.code, "photos": len(photos)},
    )


def report_extend(*, report: Report, agency, actor, working_days: int, reason: str) -> Report:
    share = _share(report, agency, actor, states=(Assignment.State.PENDING, Assignment.State.ACCEPTED))
    if not 1 <= int(working_days) <= MAX_EXTENSION_DAYS:
        raise FeedbackError(
            _("Số ngày gia hạn từ 1 đến %(n)s ngày làm việc.") % {"n": MAX_EXTENSION_DAYS},
            code="bad_days",
            field="working_days",
        )
    reason = _reason(reason, what=_("lý do gia hạn"))
    new_due = due_after(start=max(share.due_at, timezone.now()), working_days=int(working_days))

    def apply(locked: Report) -> dict[str, Any]:
        Assignment.objects.filter(pk=share.pk).update(due_at=new_due)
        when = timezone.localtime(new_due).strftime("%d/%m/%Y")
        _event(locked, Event.Kind.EXTENSION, agency, actor, f"{reason} ({_('hạn mới')}: {when})", public=True)
        return {"due_at": shares_summary(locked)["due_at"]}

    return report_transition(
        report=report,
        action="extended",
        actor=actor,
        apply=apply,
        data={"agency": agency.code, "working_days": int(working_days), "reason": reason, "due_at": new_due},
    )


def report_answer(
    *, report: Report, agency, actor, text: str, expected_revision: int | None = None
) -> Report:
    share = _share(report, agency, actor, states=(Assignment.State.ACCEPTED,))
    text = _reason(text, what=_("nội dung trả lời"))
    now = timezone.now()

    def apply(locked: Report) -> dict[str, Any]:
        Assignment.objects.filter(pk=share.pk).update(
            state=Assignment.State.ANSWERED, answered_at=now, answer=text
        )
        _event(locked, Event.Kind.ANSWER, agency, actor, text)
        status = status_from_shares(locked)
        return {"status": status, "answered_at": now} if status == "answered" else {}

    return report_transition(
        report=report,
        action="answered",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"agency": agency.code},
    )


def report_send_back(
    *, report: Report, agency, actor, reason: str, expected_revision: int | None = None
) -> Report:
    """Wrongly routed: the agency returns its share with the reason; with no share left the operator re-routes."""
    share = _share(report, agency, actor, states=(Assignment.State.PENDING, Assignment.State.ACCEPTED))
    reason = _reason(reason, what=_("lý do trả lại"))

    def apply(locked: Report) -> dict[str, Any]:
        Assignment.objects.filter(pk=share.pk).update(state=Assignment.State.RETURNED, return_reason=reason)
        _event(locked, Event.Kind.RETURN, agency, actor, reason)
        return {"status": status_from_shares(locked), "return_reason": reason, **shares_summary(locked)}

    return report_transition(
        report=report,
        action="sent_back",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"agency": agency.code, "reason": reason[:MAX_TEXT]},
    )


def assignment_escalate(*, assignment_id: int) -> bool:
    """A share still unclaimed after its claim deadline goes to the provincial coordinator. True when escalated."""
    share = Assignment.objects.select_related("report", "agency").filter(pk=assignment_id).first()
    now = timezone.now()
    if (
        share is None
        or share.state != Assignment.State.PENDING
        or share.escalated_at
        or share.claim_due_at > now
    ):
        return False

    def apply(locked: Report) -> dict[str, Any]:
        Assignment.objects.filter(pk=share.pk).update(escalated_at=now)
        return {"escalated_at": now}

    report_transition(
        report=share.report,
        action="escalated",
        actor=SYSTEM,
        apply=apply,
        data={"agency": share.agency.code, "claim_due_at": share.claim_due_at},
    )
    from motcua.feedback.notify import coordinators_notify_escalation

    coordinators_notify_escalation(report=share.report, agency=share.agency)
    return True


def assignments_escalate_due(*, batch: int = 1000) -> int:
    """Escalate every share past its claim deadline that nobody accepted: the scheduled job `feedback_escalation`
    (every 10 minutes, `motcua run_scheduled_jobs`; `motcua feedback_sweep` by hand). Read in batches by id."""
    count, after = 0, 0
    while True:
        ids = list(
            Assignment.objects.filter(
                state=Assignment.State.PENDING,
                escalated_at__isnull=True,
                claim_due_at__lte=timezone.now(),
                pk__gt=after,
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        for pk in ids:
            try:
                count += assignment_escalate(assignment_id=pk)
            except FeedbackError:  # the report moved on meanwhile
                continue
        if len(ids) < batch:
            return count
        after = ids[-1]
