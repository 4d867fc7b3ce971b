"""Permission predicates for the directory. Views and endpoints name the one they need."""

from __future__ import annotations

from motcua.directory.models import Role, StaffAssignment


def is_staff_member(user) -> bool:
    """Holds at least one active role in some agency."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and StaffAssignment.objects.filter(user=user, active=True).exists()
    )


def has_role(user, role: str, agency=None) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    assignments = StaffAssignment.objects.filter(user=user, role=role, active=True)
    if agency is not None:
        assignments = assignments.filter(agency=agency)
    return assignments.exists()


def is_province_admin(user) -> bool:
    return has_role(user, Role.PROVINCE_ADMIN)


def agencies_of(user):
    """Agencies where the user holds an active role (least privilege: officers see only these)."""
    from motcua.directory.models import Agency

    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    return Agency.objects.filter(assignments__user=user, assignments__active=True).distinct()
