"""Reads for working time: the special days of a year, with where each comes from (law or override)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from motcua.directory.models import AdministrativeUnit
from motcua.worktime.law import law_days
from motcua.worktime.models import CalendarOverride


@dataclass(frozen=True)
class SpecialDay:
    day: date
    is_working: bool  # True: a working day although normally off (làm bù); False: a day off
    name: str
    source: str  # "law" or "override"
    override: CalendarOverride | None = None

    @property
    def source_label(self) -> str:
        return _("Quản trị điều chỉnh") if self.source == "override" else _("Theo quy định (gói holidays)")


def special_days_of_year(*, province: AdministrativeUnit, year: int) -> list[SpecialDay]:
    """Holidays, substituted days off, swapped working days and overrides of one year, by date.

    Weekends are not listed (they follow the office hours). An override replaces the law's entry for its date.
    """
    law = law_days()
    days: dict[date, SpecialDay] = {}
    for day, name in law.days_off.items():
        if day.year == year:
            days[day] = SpecialDay(day=day, is_working=False, name=name, source="law")
    for day, name in law.working_days.items():
        if day.year == year:
            days[day] = SpecialDay(day=day, is_working=True, name=name, source="law")
    for override in CalendarOverride.objects.filter(province=province, day__year=year):
        days[override.day] = SpecialDay(
            day=override.day,
            is_working=override.kind == CalendarOverride.Kind.WORKING_DAY,
            name=override.reason,
            source="override",
            override=override,
        )
    return [days[day] for day in sorted(days)]
