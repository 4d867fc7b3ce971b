"""Writes for working time (administrator overrides, each audited) and the province's calendar, cached.

How to use::

    from motcua.worktime.services import calendar_for_province
    cal = calendar_for_province("75")      # a WorkingCalendar; pass it to motcua.worktime.clock functions

The calendar is built once per process and reused while the province's overrides and office hours are unchanged
(one small aggregate query checks that), so an override saved by any process is seen by all on their next call.
"""

from __future__ import annotations

import threading
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.core.audit import audit_event_record
from motcua.directory.models import AdministrativeUnit
from motcua.worktime.clock import DEFAULT_OFFICE_HOURS, Periods, WorkingCalendar, WorktimeError
from motcua.worktime.law import FIRST_YEAR, LAST_YEAR, calendar_build
from motcua.worktime.models import CalendarOverride, OfficePeriod

_cache: dict[str, tuple[tuple, WorkingCalendar]] = {}
_lock = threading.Lock()


def province_get(code: str) -> AdministrativeUnit:
    try:
        return AdministrativeUnit.objects.get(level=AdministrativeUnit.Level.PROVINCE, code=code)
    except AdministrativeUnit.DoesNotExist:
        raise WorktimeError(_("Không có tỉnh, thành phố mã %(code)s.") % {"code": code}) from None


def office_hours_of(province: AdministrativeUnit) -> tuple[Periods, ...]:
    """The province's office periods per weekday (Monday … Sunday); the default when none are configured."""
    rows = list(OfficePeriod.objects.filter(province=province).order_by("weekday", "start"))
    if not rows:
        return DEFAULT_OFFICE_HOURS
    hours: list[list] = [[] for _day in range(7)]
    for row in rows:
        hours[row.weekday].append((row.start, row.end))
    return tuple(tuple(periods) for periods in hours)


def _version(code: str) -> tuple | None:
    """How many overrides and office periods the province has and when each was last changed: one statement (it
    runs on every use of the calendar, so a change saved by any process is seen by all)."""
    from django.db import connection

    unit = AdministrativeUnit._meta.db_table
    override, period = CalendarOverride._meta.db_table, OfficePeriod._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {override} o WHERE o.province_id = p.id),"
            f" (SELECT MAX(o.updated_at) FROM {override} o WHERE o.province_id = p.id),"
            f" (SELECT COUNT(*) FROM {period} w WHERE w.province_id = p.id),"
            f" (SELECT MAX(w.updated_at) FROM {period} w WHERE w.province_id = p.id)"
            f" FROM {unit} p WHERE p.level = %s AND p.code = %s",
            [AdministrativeUnit.Level.PROVINCE, code],
        )
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def calendar_for_province(code: str) -> WorkingCalendar:
    """The working calendar of a province (law + its overrides + its office hours), cached per process."""
    version = _version(code)
    cached = _cache.get(code)
    if cached is not None and cached[0] == version:
        return cached[1]
    province = province_get(code)
    overrides = CalendarOverride.objects.filter(province=province)
    calendar = calendar_build(
        office_hours=office_hours_of(province),
        extra_days_off={o.day: o.reason for o in overrides if o.kind == CalendarOverride.Kind.DAY_OFF},
        extra_working_days={
            o.day: o.reason for o in overrides if o.kind == CalendarOverride.Kind.WORKING_DAY
        },
    )
    with _lock:
        _cache[code] = (version, calendar)
    return calendar


def calendar_cache_clear() -> None:
    with _lock:
        _cache.clear()


def _check_year(day: date) -> None:
    if not (FIRST_YEAR <= day.year <= LAST_YEAR):
        raise WorktimeError(
            _("Chỉ điều chỉnh được các năm từ %(first)s đến %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def calendar_override_create(
    *, actor, province: AdministrativeUnit, day: date, kind: str, reason: str
) -> CalendarOverride:
    """Add an extra day off, or make a day off a working day, for one date of the province. Audited."""
    _check_year(day)
    reason = (reason or "").strip()
    if not reason:
        raise WorktimeError(_("Hãy ghi lý do hoặc căn cứ (số văn bản) của điều chỉnh."))
    if kind not in CalendarOverride.Kind.values:
        raise WorktimeError(_("Loại điều chỉnh không hợp lệ."))
    with transaction.atomic():
        if CalendarOverride.objects.filter(province=province, day=day).exists():
            raise WorktimeError(
                _("Ngày %(day)s đã có điều chỉnh; xóa điều chỉnh cũ trước khi thêm mới.")
                % {"day": f"{day:%d/%m/%Y}"}
            )
        working = calendar_for_province(province.code).is_working_day(day)
        if kind == CalendarOverride.Kind.DAY_OFF and not working:
            raise WorktimeError(_("Ngày %(day)s đã là ngày nghỉ.") % {"day": f"{day:%d/%m/%Y}"})
        if kind == CalendarOverride.Kind.WORKING_DAY and working:
            raise WorktimeError(_("Ngày %(day)s đã là ngày làm việc.") % {"day": f"{day:%d/%m/%Y}"})
        try:
            with transaction.atomic():
                override = CalendarOverride.objects.create(
                    province=province, day=day, kind=kind, reason=reason[:255], created_by=actor_user(actor)
                )
        except IntegrityError:
            raise WorktimeError(
                _("Ngày %(day)s đã có điều chỉnh; xóa điều chỉnh cũ trước khi thêm mới.")
                % {"day": f"{day:%d/%m/%Y}"}
            ) from None
        audit_event_record(
            action="worktime.override.created",
            actor=actor,
            obj=override,
            data={"province": province.code, "day": day.isoformat(), "kind": kind, "reason": override.reason},
        )
    calendar_cache_clear()
    return override


def calendar_override_delete(*, actor, override: CalendarOverride) -> None:
    """Remove an override: the date goes back to what the law says. Audited."""
    with transaction.atomic():
        audit_event_record(
            action="worktime.override.deleted",
            actor=actor,
            obj=override,
            data={
                "province": override.province.code,
                "day": override.day.isoformat(),
                "kind": override.kind,
                "reason": override.reason,
            },
        )
        override.delete()
    calendar_cache_clear()


def actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
