"""The control sheet's rows (Phiếu kiểm soát quá trình giải quyết hồ sơ): one row per hand-off of a dossier.

    step_timeliness(step)              # "Trước hạn" / "Đúng hạn" / "Quá hạn" / "Đang xử lý"
    step_timeliness_code(step, now=t)  # "early" / "on_time" / "late" / "open" (for CSS classes, filters)
    control_rows(dossier)              # the rows the PDF prints, for the back-office timeline too

A step's result compares its end with its own deadline (REFERENCE §5.5, the step's budget): ended on an earlier date
than the deadline → early; on the deadline's date and not after the deadline instant → on time; after the deadline
→ late. An open step is late once its deadline has passed, otherwise still in progress. A step without a deadline
that ended is on time. Dates are compared in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

EARLY, ON_TIME, LATE, OPEN = "early", "on_time", "late", "open"
LABELS = {
    EARLY: gettext_noop("Trước hạn"),
    ON_TIME: gettext_noop("Đúng hạn"),
    LATE: gettext_noop("Quá hạn"),
    OPEN: gettext_noop("Đang xử lý"),
}


def step_timeliness_code(step, now: datetime | None = None) -> str:
    """early / on_time / late / open for one DossierStep (see the module's rule)."""
    due, ended = step.due_at, step.ended_at
    if ended is None:
        now = now or timezone.now()
        return LATE if due is not None and now > due else OPEN
    if due is None:
        return ON_TIME
    if timezone.localtime(ended).date() < timezone.localtime(due).date():
        return EARLY
    return ON_TIME if ended <= due else LATE


def step_timeliness(step, now: datetime | None = None) -> str:
    """The step's result as printed on the control sheet, in the active language (Vietnamese by default)."""
    return _(LABELS[step_timeliness_code(step, now)])


def instant(value) -> str:
    """HH:MM dd/mm/yyyy in local time, or an empty string."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _person(user) -> str:
    return (user.full_name or user.get_username()) if user is not None else ""


def control_rows(dossier, now: datetime | None = None) -> list[dict]:
    """One dict per DossierStep in sequence: who handed the dossier to whom, when, by when, and how it went.

    The first step is handed over by the submitter (at the desk or online); each later one by the previous step's
    agency and the person who sent it (`sent_by`)."""
    from motcua.dossiers.models import DossierStep

    now = now or timezone.now()
    steps = (
        DossierStep.objects.filter(dossier_id=dossier.pk)
        .select_related("agency", "department", "assignee", "sent_by")
        .order_by("sequence")
    )
    submitter = dossier.submitter_name or dossier.applicant_name
    rows, previous = [], None
    for step in steps:
        code = step_timeliness_code(step, now)
        rows.append(
            {
                "sequence": step.sequence,
                "step": step.name,
                "from_agency": previous.agency.name if previous else "",
                "from_person": _person(step.sent_by) if previous else submitter,
                "to_agency": step.agency.name,
                "to_department": step.department.name if step.department_id else "",
                "to_person": _person(step.assignee),
                "handed_at": instant(step.started_at),
                "due_at": instant(step.due_at),
                "ended_at": instant(step.ended_at),
                "timeliness_code": code,
                "timeliness": _(LABELS[code]),
                "outcome": step.get_outcome_display() if step.outcome else "",
                "note": step.note,
                "open": step.ended_at is None,
            }
        )
        previous = step
    return rows
