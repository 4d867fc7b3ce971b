"""Vietnam's days off by law, from the `holidays` package, as plain data (no database).

The package knows lunar Tết, Hùng Kings' day, National Day's second day, days off substituted for a weekend
(nghỉ bù) and the government's swapped days (a Saturday worked in exchange: `weekend_workdays`).
The province's administrator corrects any year through overrides (models.CalendarOverride).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from motcua.worktime.clock import DEFAULT_OFFICE_HOURS, Periods, WorkingCalendar

FIRST_YEAR = 2010
LAST_YEAR = 2050


@dataclass(frozen=True)
class LawDays:
    days_off: dict[date, str]  # holiday or substituted day off → its Vietnamese name
    working_days: dict[date, str]  # weekend days worked in exchange → an explanation


@lru_cache(maxsize=8)
def law_days(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> LawDays:
    import holidays

    years = range(first_year, last_year + 1)
    country = holidays.country_holidays("VN", years=years, language="vi")
    days_off = {day: str(name) for day, name in sorted(country.items())}
    swaps = {}
    for day in sorted(getattr(country, "weekend_workdays", ())):
        if first_year <= day.year <= last_year:
            swaps[day] = "Ngày làm việc bù (hoán đổi ngày nghỉ)"
    return LawDays(days_off=days_off, working_days=swaps)


def calendar_build(
    *,
    office_hours: tuple[Periods, ...] = DEFAULT_OFFICE_HOURS,
    extra_days_off: dict[date, str] | None = None,
    extra_working_days: dict[date, str] | None = None,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> WorkingCalendar:
    """The law's calendar plus overrides (an override beats the law for its date)."""
    law = law_days(first_year, last_year)
    off = dict(law.days_off)
    working = dict(law.working_days)
    for day, name in (extra_days_off or {}).items():
        working.pop(day, None)
        off[day] = name
    for day, name in (extra_working_days or {}).items():
        off.pop(day, None)
        working[day] = name
    return WorkingCalendar(
        office_hours=office_hours,
        days_off=frozenset(off),
        extra_working_days=frozenset(working),
        first_year=first_year,
        last_year=last_year,
        names={**off, **working},
    )
