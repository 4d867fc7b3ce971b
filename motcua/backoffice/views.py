from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from motcua.directory.models import StaffAssignment
from motcua.directory.rules import is_province_admin, is_staff_member
from motcua.feedback import rules as feedback_rules
from motcua.metrics.rules import dashboard_viewer


def staff_required(view):
    """Logged in, and holding an active role in some agency; otherwise 403 (never another agency's data)."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@staff_required
def home(request):
    assignments = (
        StaffAssignment.objects.filter(user=request.user, active=True)
        .select_related("agency", "department")
        .order_by("agency__code", "role")
    )
    return render(
        request,
        "backoffice/home.html",
        {
            "assignments": assignments,
            "is_province_admin": is_province_admin(request.user),
            "may_use_feedback": feedback_rules.may_use_feedback_desk(request.user),
            "can_see_metrics": dashboard_viewer(request.user) is not None,
        },
    )
