"""The processing inbox: the open steps a person may act on, most urgent first, with their deadline marks.

    rows, more = processing_inbox(user, scope="mine", after=None)    # scope: mine | unassigned | team
    flags = deadline_marks(now)                                       # (now, the "due within 24 h" threshold)

An open step (`ended_at` empty) belongs to its assignee; an unassigned step to whoever holds its role in its agency
(and department); a department leader sees the steps of the department, an agency leader those of the agency.
Keyset-paged on (step deadline, id) over the partial indexes `dossierstep_open` and `dossierstep_open_assignee`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from motcua.directory.models import Role, StaffAssignment
from motcua.dossiers.models import DossierStep

PAGE_SIZE = 25
SCOPES = ("mine", "unassigned", "team")


@dataclass(frozen=True)
class Marks:
    now: datetime
    soon: datetime  # a deadline at or before this instant is "due within 24 working hours"

    def of(self, due: datetime | None) -> str:
        if due is None:
            return ""
        if due <= self.now:
            return "late"
        return "soon" if due <= self.soon else ""


def deadline_marks(now: datetime | None = None) -> Marks:
    from motcua.worktime.clock import due_instant
    from motcua.worktime.services import calendar_for_province

    now = now or timezone.now()
    calendar = calendar_for_province(settings.PROVINCE_CODE)
    return Marks(
        now, due_instant(calendar=calendar, start=now, working_hours=settings.DUE_SOON_WORKING_HOURS)
    )


def _role_q(user, *, leaders: bool) -> Q:
    """Steps matching the user's roles (unassigned ones) or, for leaders, every step of what they lead."""
    q = Q(pk__in=[])
    assignments = StaffAssignment.objects.filter(user=user, active=True).exclude(role=Role.COMMUNITY_MEMBER)
    for a in assignments.values("agency_id", "department_id", "role"):
        if leaders and a["role"] == Role.AGENCY_LEADER:
            q |= Q(agency_id=a["agency_id"])
        elif leaders and a["role"] == Role.DEPARTMENT_LEADER and a["department_id"]:
            q |= Q(agency_id=a["agency_id"], department_id=a["department_id"])
        elif not leaders:
            match = Q(agency_id=a["agency_id"], role=a["role"], assignee__isnull=True)
            if a["department_id"]:
                match &= Q(department_id=a["department_id"]) | Q(department__isnull=True)
            q |= match
    return q


def processing_inbox(user, *, scope: str = "mine", after: tuple[datetime, int] | None = None, marks=None):
    """(steps, more): open steps for this person in the scope, by deadline then id."""
    steps = DossierStep.objects.filter(ended_at__isnull=True).select_related(
        "dossier", "dossier__procedure_version", "agency", "department", "assignee"
    )
    if scope == "mine":  # the desk is shared: its unassigned steps (results to return) are everyone's there
        desks = StaffAssignment.objects.filter(user=user, active=True, role=Role.DESK_OFFICER).values(
            "agency_id"
        )
        steps = steps.filter(
            Q(assignee=user) | Q(assignee__isnull=True, role=Role.DESK_OFFICER, agency_id__in=desks)
        )
    elif scope == "unassigned":
        steps = steps.filter(_role_q(user, leaders=False))
    else:
        steps = steps.filter(_role_q(user, leaders=True))
    if after is not None:
        due, pk = after
        steps = steps.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk))
    rows = list(steps.order_by("due_at", "pk")[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def flagged_ratings(user, *, limit: int = 20):
    """Dissatisfied ratings of the dossiers of the agencies the user leads, not yet reviewed."""
    from motcua.dossiers.models import DossierRating

    led = StaffAssignment.objects.filter(user=user, active=True, role=Role.AGENCY_LEADER).values("agency_id")
    return list(
        DossierRating.objects.filter(flagged=True, reviewed_at__isnull=True, dossier__agency_id__in=led)
        .select_related("dossier", "dossier__procedure_version")
        .order_by("-rated_at")[:limit]
    )
