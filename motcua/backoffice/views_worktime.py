"""Back office: the province's working calendar for a year, and the administrator's overrides (add, remove)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.backoffice.views import staff_required
from motcua.directory.rules import is_province_admin
from motcua.worktime.clock import WorktimeError
from motcua.worktime.law import FIRST_YEAR, LAST_YEAR
from motcua.worktime.models import CalendarOverride, Weekday
from motcua.worktime.queries import special_days_of_year
from motcua.worktime.services import (
    calendar_override_create,
    calendar_override_delete,
    office_hours_of,
    province_get,
)


def province_admin_required(view):
    """Staff with the provincial administrator role; other staff and citizens get 403, anonymous → login."""

    @staff_required
    def wrapped(request, *args, **kwargs):
        if not is_province_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class OverrideForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Ngày"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại điều chỉnh"), choices=CalendarOverride.Kind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=gettext_lazy("Lý do, căn cứ"),
        max_length=255,
        help_text=gettext_lazy("Ví dụ: Thông báo số 123/TB-UBND ngày 10/12/2026 của UBND tỉnh."),
    )


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam") or request.POST.get("nam") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def _render(request, *, year: int, form: OverrideForm, status: int = 200):
    province = province_get(settings.PROVINCE_CODE)
    hours = office_hours_of(province)
    context = {
        "province": province,
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "special_days": special_days_of_year(province=province, year=year),
        "office_hours": [(Weekday(day).label, periods) for day, periods in enumerate(hours)],
        "form": form,
    }
    return render(request, "backoffice/worktime/calendar.html", context, status=status)


@require_GET
@province_admin_required
def calendar_page(request):
    year = _year(request)
    return _render(request, year=year, form=OverrideForm(initial={"kind": CalendarOverride.Kind.DAY_OFF}))


@require_POST
@province_admin_required
def override_create(request):
    form = OverrideForm(request.POST)
    year = _year(request)
    if form.is_valid():
        day = form.cleaned_data["day"]
        try:
            calendar_override_create(
                actor=request.user,
                province=province_get(settings.PROVINCE_CODE),
                day=day,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except WorktimeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu điều chỉnh cho ngày %(day)s.") % {"day": f"{day:%d/%m/%Y}"})
            return redirect(f"{reverse('backoffice:worktime-calendar')}?nam={day.year}")
    return _render(request, year=year, form=form, status=400)


@require_POST
@province_admin_required
def override_delete(request, pk: int):
    override = get_object_or_404(
        CalendarOverride, pk=pk, province__code=settings.PROVINCE_CODE, province__level="province"
    )
    day: date = override.day
    calendar_override_delete(actor=request.user, override=override)
    messages.success(
        request,
        _("Đã xóa điều chỉnh ngày %(day)s; ngày này trở lại theo quy định.") % {"day": f"{day:%d/%m/%Y}"},
    )
    return redirect(f"{reverse('backoffice:worktime-calendar')}?nam={day.year}")
