"""What the reporter does without an account, through the personal link (code + token) sent to them:

report_token(report)                                   # the token in the link; derived, never stored
report_by_token(code, token)                           # → the report, or None
report_info_provide(report=r, text="…", photos=[…])    # answers an agency's question
report_rate(report=r, satisfied=False, comment="…")    # "không hài lòng" reopens it for the same agencies
"""

from __future__ import annotations

import hmac
from typing import Any

from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from motcua.feedback.errors import FeedbackError
from motcua.feedback.models import Assignment, Event, Rating, Report
from motcua.feedback.services import CITIZEN, MAX_TEXT, due_after, report_transition, shares_summary

TOKEN_SALT = "motcua.feedback.report"


def report_token(report: Report) -> str:
    return salted_hmac(TOKEN_SALT, f"{report.code}:{report.public_id}").hexdigest()[:32]


def report_by_token(code: str, token: str) -> Report | None:
    code, token = (code or "").strip().upper()[:16], (token or "").strip()[:64]
    report = Report.objects.select_related("category", "commune").filter(code=code).first() if code else None
    if report is None or not hmac.compare_digest(report_token(report), token):
        return None
    return report


def report_info_provide(*, report: Report, text: str, photos: list = ()) -> Report:  # type: ignore[assignment]
    from motcua.feedback.photos import photos_check, photos_store

    text = (text or "").strip()
    if not text:
        raise FeedbackError(_("Chưa nhập thông tin bổ sung."), code="text_required", field="text")
    photos = list(photos)
    photos_check(photos, already=report.photos.count())

    def apply(locked: Report) -> dict[str, Any]:
        event = Event.objects.create(
            report=locked, kind=Event.Kind.INFO_REPLY, text=text[:MAX_TEXT], public=True
        )
        photos_store(report=locked, photos=photos, event=event)
        return {}

    return report_transition(
        report=report, action="info_provided", actor=CITIZEN, apply=apply, data={"photos": len(photos)}
    )


def report_rate(*, report: Report, satisfied: bool, comment: str = "") -> Report:
    """Hài lòng closes the report; không hài lòng reopens it for the agencies that answered, with a new deadline."""
    comment = (comment or "").strip()[:MAX_TEXT]
    now = timezone.now()

    def apply(locked: Report) -> dict[str, Any]:
        Rating.objects.create(report=locked, satisfied=satisfied, comment=comment)
        if satisfied:
            return {"satisfied": True, "closed_at": now}
        for share in locked.assignments.filter(state=Assignment.State.ANSWERED):
            share.state = Assignment.State.ACCEPTED
            share.due_at = due_after(start=now, working_days=locked.category.answer_days)
            share.save(update_fields=["state", "due_at"])
        return {"satisfied": False, "reopened_count": locked.reopened_count + 1, **shares_summary(locked)}

    return report_transition(
        report=report,
        action="rated_satisfied" if satisfied else "reopened",
        actor=CITIZEN,
        apply=apply,
        data={"satisfied": satisfied, "comment": comment},
    )
