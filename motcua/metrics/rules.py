"""Who sees which figures. Leaders (department and agency leaders) see their agency's tree; the provincial
administrator and the leaders of the Provincial People's Committee and its office see the whole province."""

from __future__ import annotations

from dataclasses import dataclass

from motcua.directory.models import Agency, Role, StaffAssignment
from motcua.metrics.slices import agency_tree_ids

LEADERS = (Role.DEPARTMENT_LEADER, Role.AGENCY_LEADER)
PROVINCIAL = (Agency.Kind.PROVINCIAL_PEOPLES_COMMITTEE, Agency.Kind.PROVINCIAL_OFFICE)


@dataclass(frozen=True)
class Viewer:
    province: bool  # sees the whole province
    allowed: set[int] | None  # the agencies the viewer may see; None with `province`
    home: Agency | None  # the agency shown first


def dashboard_viewer(user) -> Viewer | None:
    """What the user may see on the dashboard, or None (refused)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    assignments = list(
        StaffAssignment.objects.filter(user=user, active=True, role__in=(*LEADERS, Role.PROVINCE_ADMIN))
        .select_related("agency")
        .order_by("agency__code")
    )
    if not assignments:
        return None
    if any(a.role == Role.PROVINCE_ADMIN or a.agency.kind in PROVINCIAL for a in assignments):
        return Viewer(province=True, allowed=None, home=None)
    agencies = [a.agency for a in assignments]
    return Viewer(province=False, allowed=agency_tree_ids([a.pk for a in agencies]), home=agencies[0])
