"""Writes for reports: the one transition function, routing, and the operators' and coordinator's actions.

    report_route(report=r, agencies=[a, b], actor=operator)            # → Đã chuyển xử lý (parallel shares)
    report_reject(report=r, actor=operator, reason="…")                # NĐ 20/2008 Điều 7
    report_merge(report=dup, into=master, actor=operator)
    report_publish(report=r, actor=coordinator, answer="…", public_description="…")

Agency actions (accept, notes, questions, progress, extension, answer, send back) are in `motcua.feedback.handling`;
the citizen's (more information, rating) in `motcua.feedback.citizen`.

Every change goes through `report_transition`: it locks the row, checks the allowed-from states (TRANSITIONS, one
screen) and the revision the caller saw, lets `apply` make the dependent writes under the lock, saves with a
conditional UPDATE (two people acting at the same instant cannot both win), writes the audit event
`feedback.report.<action>` and queues the reporter's notifications — all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.audit import SYSTEM, SystemActor, audit_event_record
from motcua.directory.models import Agency
from motcua.feedback import rules
from motcua.feedback.errors import FeedbackError, StaleReport
from motcua.feedback.models import Assignment, Event, Report, ReportPhoto, RoutingRule, Status

S = Status
OPEN = frozenset({S.RECEIVED, S.RETURNED, S.ROUTED, S.IN_PROGRESS, S.ANSWERED})
# action → (states it may start from, state it leads to; None = unchanged, or what `apply` computes)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "routed": (frozenset({S.RECEIVED, S.RETURNED}), None),
    "rerouted": (frozenset({S.ROUTED, S.IN_PROGRESS}), None),
    "rejected": (frozenset({S.RECEIVED, S.RETURNED, S.ROUTED}), S.REJECTED),
    "merged": (frozenset({S.RECEIVED, S.RETURNED, S.ROUTED}), S.MERGED),
    "accepted": (frozenset({S.ROUTED, S.IN_PROGRESS}), S.IN_PROGRESS),
    "noted": (OPEN, None),
    "info_requested": (frozenset({S.ROUTED, S.IN_PROGRESS}), None),
    "info_provided": (frozenset({S.RECEIVED, S.RETURNED, S.ROUTED, S.IN_PROGRESS}), None),
    "progress_reported": (frozenset({S.IN_PROGRESS}), None),
    "extended": (frozenset({S.ROUTED, S.IN_PROGRESS}), None),
    "answered": (frozenset({S.IN_PROGRESS}), None),
    "sent_back": (frozenset({S.ROUTED, S.IN_PROGRESS}), None),
    "escalated": (frozenset({S.ROUTED, S.IN_PROGRESS}), None),
    "revision_requested": (frozenset({S.ANSWERED}), S.IN_PROGRESS),
    "published": (frozenset({S.ANSWERED}), S.PUBLISHED),
    "rated_satisfied": (frozenset({S.PUBLISHED}), S.CLOSED),
    "reopened": (frozenset({S.PUBLISHED}), S.IN_PROGRESS),
}
ACTION_LABELS = {
    "routed": gettext_lazy("chuyển xử lý"),
    "rerouted": gettext_lazy("chuyển lại"),
    "rejected": gettext_lazy("không tiếp nhận"),
    "merged": gettext_lazy("gộp"),
    "accepted": gettext_lazy("nhận xử lý"),
    "noted": gettext_lazy("ghi chú"),
    "info_requested": gettext_lazy("đề nghị bổ sung thông tin"),
    "info_provided": gettext_lazy("bổ sung thông tin"),
    "progress_reported": gettext_lazy("báo cáo tiến độ"),
    "extended": gettext_lazy("gia hạn"),
    "answered": gettext_lazy("trả lời"),
    "sent_back": gettext_lazy("trả lại"),
    "escalated": gettext_lazy("báo điều phối"),
    "revision_requested": gettext_lazy("yêu cầu hoàn thiện trả lời"),
    "published": gettext_lazy("công khai"),
    "rated_satisfied": gettext_lazy("đánh giá"),
    "reopened": gettext_lazy("mở lại"),
}
# Events the reporter is told about (motcua.feedback.notify).
NOTIFIED = {"routed", "rejected", "merged", "info_requested", "extended", "published", "reopened"}
MAX_TEXT = 5000
LIVE = (Assignment.State.PENDING, Assignment.State.ACCEPTED, Assignment.State.ANSWERED)
CITIZEN = SystemActor("Người phản ánh (đường dẫn riêng)")


def report_transition(
    *,
    report: Report,
    action: str,
    actor,
    expected_revision: int | None = None,
    apply: Callable[[Report], dict[str, Any]] | None = None,
    data: dict[str, Any] | None = None,
    notify: bool = True,
) -> Report:
    """Move a report by one action; `apply(locked)` makes dependent writes and returns the fields to set."""
    allowed_from, target = TRANSITIONS[action]
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("category").get(pk=report.pk)
        if expected_revision is not None and locked.revision != expected_revision:
            raise StaleReport(
                _("Phản ánh %(code)s vừa được người khác cập nhật (hiện “%(status)s”). Hãy tải lại trang.")
                % {"code": locked.code, "status": locked.get_status_display()},
                code="stale",
            )
        if locked.status not in allowed_from:
            raise FeedbackError(
                _("Không thể %(action)s phản ánh %(code)s khi đang ở trạng thái “%(status)s”.")
                % {
                    "action": ACTION_LABELS[action],
                    "code": locked.code,
                    "status": locked.get_status_display(),
                },
                code="not_allowed",
            )
        before, revision = locked.status, locked.revision
        changes = apply(locked) if apply else {}
        changes["status"] = target or changes.get("status") or before
        changes["revision"] = revision + 1
        changes["updated_at"] = timezone.now()
        if Report.objects.filter(pk=locked.pk, revision=revision).update(**changes) != 1:
            raise StaleReport(
                _("Phản ánh %(code)s vừa được người khác xử lý. Hãy tải lại trang.") % {"code": locked.code},
                code="stale",
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        audit_event_record(
            action=f"feedback.report.{action}",
            actor=actor,
            obj=locked,
            data={"from": before, "to": locked.status, "revision": locked.revision, **(data or {})},
        )
        if notify and action in NOTIFIED:
            from motcua.feedback.notify import report_notify

            report_notify(report=locked, event=action, data=data)
    report.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return report


# --- dates and shares ----------------------------------------------------------------------------------------


def due_after(
    *, start: datetime, working_days: int | None = None, working_hours: int | None = None, calendar=None
) -> datetime:
    """A deadline in the province's working time (holidays, Tết, substituted days, office hours)."""
    from motcua.worktime.clock import due_instant
    from motcua.worktime.services import calendar_for_province

    calendar = calendar or calendar_for_province(settings.PROVINCE_CODE)
    if working_days:
        return due_instant(calendar=calendar, start=start, working_days=working_days)
    return due_instant(calendar=calendar, start=start, working_hours=working_hours)


def status_from_shares(report: Report) -> str:
    return _status_of(list(report.assignments.all()))


def _status_of(shares: list[Assignment]) -> str:
    live = [a for a in shares if a.state in LIVE]
    if not live:
        return S.RETURNED
    if all(a.state == Assignment.State.ANSWERED for a in live):
        return S.ANSWERED
    if any(a.state != Assignment.State.PENDING for a in live):
        return S.IN_PROGRESS
    return S.ROUTED


def shares_summary(report: Report) -> dict[str, Any]:
    """The report's denormalised view of its live shares: agency names and the latest due date."""
    return _summary_of(
        list(report.assignments.filter(state__in=LIVE).select_related("agency").order_by("id"))
    )


def _summary_of(live: list[Assignment]) -> dict[str, Any]:
    """`shares_summary` of live shares already in memory (with their agencies), in id order."""
    return {
        "agencies_label": ", ".join(a.agency.short_name or a.agency.name for a in live)[:500],
        "due_at": max((a.due_at for a in live), default=None),
    }


def _share_open(report: Report, agency: Agency, now: datetime) -> Assignment:
    from motcua.worktime.services import calendar_for_province

    calendar = calendar_for_province(settings.PROVINCE_CODE)
    share = Assignment.objects.create(
        report=report,
        agency=agency,
        assigned_at=now,
        due_at=due_after(start=now, working_days=report.category.answer_days, calendar=calendar),
        claim_due_at=due_after(
            start=now, working_hours=settings.FEEDBACK_CLAIM_WORKING_HOURS, calendar=calendar
        ),
    )
    # No timer task per share: the scheduled job `feedback_escalation` (every 10 minutes) escalates the shares
    # past their claim deadline. Thousands of far-future task rows would slow every worker's fetch of the queue.
    return share


# --- routing -------------------------------------------------------------------------------------------------


def routing_agency_for(*, category, commune) -> Agency | None:
    """The focal agency for a category in a commune: the commune's rule, else the category's default rule."""
    rules_ = {r.commune_id: r for r in RoutingRule.objects.filter(category=category).select_related("agency")}
    rule = (rules_.get(commune.pk) if commune is not None else None) or rules_.get(None)
    return rule.agency if rule is not None else None


def _require(predicate: bool, message: str) -> None:
    if not predicate:
        raise FeedbackError(message, code="forbidden")


def report_route(
    *, report: Report, agencies: Iterable[Agency], actor, note: str = "", expected_revision: int | None = None
) -> Report:
    """Route (or re-route) to one or more agencies in parallel. Shares not in the new list are withdrawn."""
    if actor is not SYSTEM:
        _require(
            rules.is_operator(actor), _("Chỉ điện thoại viên hoặc điều phối viên được chuyển xử lý phản ánh.")
        )
    agencies = list({a.pk: a for a in agencies}.values())
    if not agencies:
        raise FeedbackError(
            _("Hãy chọn ít nhất một cơ quan xử lý."), code="agency_required", field="agencies"
        )
    now = timezone.now()
    wanted = {a.pk for a in agencies}

    def apply(locked: Report) -> dict[str, Any]:
        # The live shares are read once; the new status and summary come from them in memory (no re-reading).
        live = {a.agency_id: a for a in locked.assignments.filter(state__in=LIVE).select_related("agency")}
        kept = []
        for agency_id, share in live.items():
            if agency_id not in wanted:
                share.state = Assignment.State.WITHDRAWN
                share.save(update_fields=["state"])
            else:
                kept.append(share)
        for agency in agencies:
            if agency.pk not in live:
                kept.append(_share_open(locked, agency, now))
        kept.sort(key=lambda a: a.pk)
        changes = {"status": _status_of(kept), **_summary_of(kept), "return_reason": ""}
        if locked.routed_at is None:
            changes["routed_at"] = now
        return changes

    action = "routed" if report.status in {S.RECEIVED, S.RETURNED} else "rerouted"
    return report_transition(
        report=report,
        action=action,
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={
            "agencies": [a.code for a in agencies],
            "note": note.strip()[:MAX_TEXT],
            "auto": actor is SYSTEM,
        },
    )


def report_route_auto(*, report: Report) -> Report:
    """At intake: route by category × commune when a rule matches; otherwise the report waits for an operator."""
    agency = routing_agency_for(category=report.category, commune=report.commune)
    if agency is None:
        return report
    return report_route(report=report, agencies=[agency], actor=SYSTEM)


def _reason(text: str, *, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FeedbackError(
            _("Cần ghi rõ %(what)s.") % {"what": what}, code="reason_required", field="reason"
        )
    if len(text) > MAX_TEXT:
        raise FeedbackError(
            _("Nội dung dài quá %(n)s ký tự.") % {"n": MAX_TEXT}, code="reason_too_long", field="reason"
        )
    return text


def _withdraw_all(locked: Report) -> None:
    locked.assignments.filter(state__in=LIVE).update(state=Assignment.State.WITHDRAWN)


def report_reject(*, report: Report, actor, reason: str, expected_revision: int | None = None) -> Report:
    """Not accepted (NĐ 20/2008 Điều 7: unclear content, no sender details, outside the scope…), with the reason."""
    _require(rules.is_operator(actor), _("Chỉ điện thoại viên hoặc điều phối viên được từ chối tiếp nhận."))
    reason = _reason(reason, what=_("lý do không tiếp nhận"))
    now = timezone.now()
    return report_transition(
        report=report,
        action="rejected",
        actor=actor,
        expected_revision=expected_revision,
        apply=lambda locked: (
            _withdraw_all(locked) or {"reject_reason": reason, "closed_at": now, "due_at": None}
        ),
        data={"reason": reason},
    )


def report_merge(*, report: Report, into: Report, actor, expected_revision: int | None = None) -> Report:
    """A duplicate joins its master: its shares are withdrawn; its reporter follows the master from now on."""
    _require(rules.is_operator(actor), _("Chỉ điện thoại viên hoặc điều phối viên được gộp phản ánh."))
    if into.pk == report.pk or into.status in {S.MERGED, S.REJECTED}:
        raise FeedbackError(
            _("Không thể gộp vào phản ánh %(code)s.") % {"code": into.code}, code="bad_master"
        )
    if into.category_id != report.category_id:
        raise FeedbackError(_("Chỉ gộp các phản ánh cùng lĩnh vực."), code="other_category")
    now = timezone.now()

    def apply(locked: Report) -> dict[str, Any]:
        _withdraw_all(locked)
        return {"merged_into": into, "closed_at": now, "agencies_label": "", "due_at": None}

    return report_transition(
        report=report,
        action="merged",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"into": into.code},
    )


def report_revision_request(
    *, report: Report, actor, reason: str, expected_revision: int | None = None
) -> Report:
    """The coordinator sends the answers back to the agencies to be completed before publication."""
    _require(rules.is_coordinator(actor), _("Chỉ điều phối viên được duyệt kết quả trả lời."))
    reason = _reason(reason, what=_("nội dung cần hoàn thiện"))

    def apply(locked: Report) -> dict[str, Any]:
        shares = list(locked.assignments.filter(state=Assignment.State.ANSWERED))
        for share in shares:
            share.state = Assignment.State.ACCEPTED
            share.save(update_fields=["state"])
            Event.objects.create(
                report=locked, kind=Event.Kind.REVISION, agency=share.agency, author=_user(actor), text=reason
            )
        return {}

    return report_transition(
        report=report,
        action="revision_requested",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"reason": reason},
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def report_publish(
    *,
    report: Report,
    actor,
    answer: str,
    public_description: str,
    is_public: bool = True,
    hidden_photo_ids: Iterable[int] = (),
    expected_revision: int | None = None,
) -> Report:
    """The coordinator publishes the answer; the text shown publicly is the one they redacted (no names, phones)."""
    _require(rules.is_coordinator(actor), _("Chỉ điều phối viên được công khai kết quả trả lời."))
    answer = _reason(answer, what=_("nội dung trả lời công khai"))
    public_description = (public_description or "").strip()[:MAX_TEXT]
    if is_public and not public_description:
        raise FeedbackError(
            _("Cần nội dung phản ánh để công khai (đã che họ tên, số điện thoại, địa chỉ nhà riêng)."),
            code="public_description_required",
            field="public_description",
        )
    hidden = {int(i) for i in hidden_photo_ids}
    now = timezone.now()

    def apply(locked: Report) -> dict[str, Any]:
        from motcua.feedback.photos import photo_public_copy

        cover = None
        for photo in ReportPhoto.objects.filter(report=locked).order_by("id"):
            photo.hidden = photo.pk in hidden
            photo.save(update_fields=["hidden"])
            if not photo.hidden:
                photo_public_copy(photo)
                cover = cover or photo
        return {
            "answer": answer,
            "public_description": public_description,
            "is_public": is_public,
            "cover_photo": cover,
            "published_at": now,
        }

    return report_transition(
        report=report,
        action="published",
        actor=actor,
        expected_revision=expected_revision,
        apply=apply,
        data={"is_public": is_public, "hidden_photos": sorted(hidden)},
    )
