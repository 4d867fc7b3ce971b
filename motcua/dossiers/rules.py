"""Who may see and act on a dossier. Views, endpoints and services name the predicate they need.

- the applicant (owner account) sees their own dossiers; the community-team member who assisted sees those;
- a desk officer sees and receives the dossiers submitted to their agency or service centre;
- staff of the resolving agency (specialists, leaders) see that agency's accepted dossiers;
- the provincial administrator sees every dossier (for support), and every view is audited by the caller;
- nobody else, ever.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from motcua.directory.models import Role, StaffAssignment
from motcua.dossiers.models import DossierStep


def _active_assignments(user):
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return StaffAssignment.objects.none()
    return StaffAssignment.objects.filter(user=user, active=True)


def desk_agency_ids(user) -> set[int]:
    """Agencies (or centres) where the user is a desk officer."""
    return set(_active_assignments(user).filter(role=Role.DESK_OFFICER).values_list("agency_id", flat=True))


def staff_agency_ids(user) -> set[int]:
    return set(
        _active_assignments(user).exclude(role=Role.COMMUNITY_MEMBER).values_list("agency_id", flat=True)
    )


def is_province_admin(user) -> bool:
    return _active_assignments(user).filter(role=Role.PROVINCE_ADMIN).exists()


def can_receive(user, dossier) -> bool:
    """Accept, refuse or ask for a supplement at reception."""
    desk = desk_agency_ids(user)
    return bool(desk) and (dossier.receiving_agency_id in desk or dossier.agency_id in desk)


def can_receive_for(user, agency) -> bool:
    """Record a walk-in dossier at this receiving agency or centre."""
    return agency.pk in desk_agency_ids(user)


def can_view_as_staff(user, dossier) -> bool:
    if dossier.status == "draft":
        return False
    if can_receive(user, dossier) or is_province_admin(user):
        return True
    staff = staff_agency_ids(user)
    if not staff or dossier.status in {"submitted", "refused"}:
        return False
    # The resolving agency sees its accepted dossiers; another agency only once the dossier is handed to it.
    return dossier.agency_id in staff or dossier.steps.filter(agency_id__in=staff).exists()


def can_view_as_applicant(user, dossier) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return dossier.owner_id == user.pk or (
        dossier.assisted_by_id == user.pk and dossier.assisted_by_id is not None
    )


def can_view(user, dossier) -> bool:
    return can_view_as_applicant(user, dossier) or can_view_as_staff(user, dossier)


def can_edit_as_applicant(user, dossier) -> bool:
    """Fill in a draft, or supply what a supplement request asks for."""
    return can_view_as_applicant(user, dossier) and dossier.status in {"draft", "supplement"}


def staff_visible_q(user) -> Q:
    """The dossiers a staff member may list (the same rule as `can_view_as_staff`, as a query)."""
    if is_province_admin(user):
        return ~Q(status="draft")
    desk = desk_agency_ids(user)
    staff = staff_agency_ids(user)
    handed = Exists(DossierStep.objects.filter(dossier_id=OuterRef("pk"), agency_id__in=staff))
    return ~Q(status="draft") & (
        Q(receiving_agency_id__in=desk)
        | Q(agency_id__in=desk)
        | ((Q(agency_id__in=staff) | handed) & ~Q(status__in=["submitted", "refused"]))
    )


# --- processing (issue 6) -------------------------------------------------------------------------------------

LEADER_ROLES = (Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER)


def _holds(user, *, role: str, agency_id: int, department_id: int | None = None) -> bool:
    assignments = _active_assignments(user).filter(role=role, agency_id=agency_id)
    if department_id is not None:
        assignments = assignments.filter(department_id=department_id)
    return assignments.exists()


def leads_step(user, step) -> bool:
    """A leader of the step's department (or, without a department, of its agency) or of the whole agency."""
    if _holds(user, role=Role.AGENCY_LEADER, agency_id=step.agency_id):
        return True
    return step.department_id is not None and _holds(
        user, role=Role.DEPARTMENT_LEADER, agency_id=step.agency_id, department_id=step.department_id
    )


def can_take_step(user, step) -> bool:
    """Take an unassigned step: someone who holds the step's role in its agency (and department)."""
    return (
        step is not None
        and step.ended_at is None
        and step.assignee_id is None
        and _holds(user, role=step.role, agency_id=step.agency_id, department_id=step.department_id)
    )


def can_act_on_step(user, step) -> bool:
    """Only the assignee or a leader of that department may act on a step. A desk step is the desk's: any desk
    officer of that agency may act on it (the counter is shared)."""
    if step is None or step.ended_at is not None or not getattr(user, "is_authenticated", False):
        return False
    if step.assignee_id == user.pk or leads_step(user, step):
        return True
    return step.role == Role.DESK_OFFICER and _holds(user, role=Role.DESK_OFFICER, agency_id=step.agency_id)


def can_assign_step(user, step) -> bool:
    return step is not None and step.ended_at is None and leads_step(user, step)


def may_be_assigned(user, step) -> bool:
    """Whom a leader may give the step to: staff of the step's agency (in its department, when it has one)."""
    assignments = (
        _active_assignments(user).filter(agency_id=step.agency_id).exclude(role=Role.COMMUNITY_MEMBER)
    )
    if step.department_id is not None:
        assignments = assignments.filter(department_id=step.department_id)
    return assignments.exists()


def handled_agency_ids(dossier) -> set[int]:
    """Agencies the dossier has been handed to so far (each sees it from then on)."""
    return set(dossier.steps.values_list("agency_id", flat=True))


def can_apologize(user, dossier) -> bool:
    """The processing agency apologises: whoever may act on the current step, or a leader of an agency that holds
    or held the dossier, or the desk of the receiving agency (which sends it to the citizen)."""
    step = dossier.current_step
    if step is not None and can_act_on_step(user, step):
        return True
    agencies = handled_agency_ids(dossier) | {dossier.agency_id}
    leaders = _active_assignments(user).filter(role__in=LEADER_ROLES, agency_id__in=agencies).exists()
    return leaders or dossier.receiving_agency_id in desk_agency_ids(user)
