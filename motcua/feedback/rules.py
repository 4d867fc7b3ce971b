"""Who may see and act on a report. Views, endpoints and services name the predicate they need.

- hotline operators (điện thoại viên 1022) record calls, classify, route, re-route, reject and merge; they see all;
- the provincial coordinator (điều phối) does what an operator does, reviews answers and publishes them;
- staff of an agency see only the reports routed to their agency (an active or answered assignment) and act on
  their agency's share: accept, notes, questions to the citizen, progress, extension, answer, send back;
- the province administrator sees everything (support), and every view of personal data is audited by the caller;
- citizens see published reports, and their own report through the link with its token; nobody else sees anything.
"""

from __future__ import annotations

from motcua.directory.models import Role, StaffAssignment

HANDLING_ROLES = (Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER, Role.DESK_OFFICER)


def _assignments(user):
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return StaffAssignment.objects.none()
    return StaffAssignment.objects.filter(user=user, active=True)


def _roles(user) -> set[str]:
    cache = getattr(user, "_feedback_roles", None)
    if cache is None:
        cache = set(_assignments(user).values_list("role", flat=True))
        if getattr(user, "is_authenticated", False):
            user._feedback_roles = cache
    return cache


def is_coordinator(user) -> bool:
    return bool(_roles(user) & {Role.FEEDBACK_COORDINATOR})


def is_operator(user) -> bool:
    """Operators and coordinators run the queue: classify, route, re-route, reject, merge."""
    return bool(_roles(user) & {Role.HOTLINE_OPERATOR, Role.FEEDBACK_COORDINATOR})


def sees_all(user) -> bool:
    return bool(_roles(user) & {Role.HOTLINE_OPERATOR, Role.FEEDBACK_COORDINATOR, Role.PROVINCE_ADMIN})


def handling_agency_ids(user) -> set[int]:
    """Agencies in which the user may handle feedback (any staff role but community-team membership)."""
    return set(_assignments(user).filter(role__in=HANDLING_ROLES).values_list("agency_id", flat=True))


def may_use_feedback_desk(user) -> bool:
    return sees_all(user) or bool(handling_agency_ids(user))


def agency_ids_for_report(user, report) -> set[int]:
    """The user's agencies that hold a live share (not returned, not withdrawn) of this report."""
    mine = handling_agency_ids(user)
    if not mine:
        return set()
    return {a.agency_id for a in report.assignments.all() if a.agency_id in mine and a.active}


def can_view(user, report) -> bool:
    return sees_all(user) or bool(agency_ids_for_report(user, report))


def can_handle(user, report, agency_id: int) -> bool:
    """Act for this agency on its share of the report."""
    return agency_id in handling_agency_ids(user) and any(
        a.agency_id == agency_id and a.active for a in report.assignments.all()
    )
