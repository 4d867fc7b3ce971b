"""Who may see and act on a dossier. Views, endpoints and services name the predicate they need.

- the applicant (owner account) sees their own dossiers; the community-team member who assisted sees those;
- a desk officer sees and receives the dossiers submitted to their agency or service centre;
- staff of the resolving agency (specialists, leaders) see that agency's accepted dossiers;
- the provincial administrator sees every dossier (for support), and every view is audited by the caller;
- nobody else, ever.
"""

from __future__ import annotations

from django.db.models import Q

from motcua.directory.models import Role, StaffAssignment


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
    return dossier.status not in {"submitted", "refused"} and dossier.agency_id in staff_agency_ids(user)


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
    return ~Q(status="draft") & (
        Q(receiving_agency_id__in=desk)
        | Q(agency_id__in=desk)
        | (Q(agency_id__in=staff) & ~Q(status__in=["submitted", "refused"]))
    )
