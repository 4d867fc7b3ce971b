from __future__ import annotations

from datetime import date, time

import pytest

from motcua.core.models import AuditEvent
from motcua.worktime.clock import WorktimeError, due_instant
from motcua.worktime.models import CalendarOverride, OfficePeriod
from motcua.worktime.services import (
    calendar_for_province,
    calendar_override_create,
    calendar_override_delete,
)
from tests.worktime.conftest import at

pytestmark = pytest.mark.django_db


def test_calendar_for_province_follows_the_law_without_overrides(places):
    calendar = calendar_for_province("75")
    assert due_instant(calendar=calendar, start=at(2026, 2, 13, 16), working_days=3) == at(2026, 2, 25, 16)


def test_calendar_for_province_is_cached_until_an_override_changes(personas):
    first = calendar_for_province("75")
    assert calendar_for_province("75") is first
    calendar_override_create(
        actor=personas.admin,
        province=personas.province,
        day=date(2026, 2, 23),
        kind=CalendarOverride.Kind.DAY_OFF,
        reason="UBND tỉnh cho nghỉ thêm sau Tết",
    )
    second = calendar_for_province("75")
    assert second is not first
    assert not second.is_working_day(date(2026, 2, 23))
    assert due_instant(calendar=second, start=at(2026, 2, 13, 16), working_days=3) == at(2026, 2, 26, 16)


def test_calendar_for_province_sees_a_change_made_elsewhere(places):
    """Another process (or the admin site) writes a row: the version check notices it without a signal."""
    province = places[0]
    first = calendar_for_province("75")
    CalendarOverride.objects.create(
        province=province, day=date(2026, 3, 7), kind=CalendarOverride.Kind.WORKING_DAY, reason="Làm bù"
    )
    assert calendar_for_province("75").is_working_day(date(2026, 3, 7))
    assert not first.is_working_day(date(2026, 3, 7))


def test_calendar_for_province_uses_configured_office_hours(places):
    province = places[0]
    for weekday in range(5):
        OfficePeriod.objects.create(province=province, weekday=weekday, start=time(7, 30), end=time(11, 30))
        OfficePeriod.objects.create(province=province, weekday=weekday, start=time(13), end=time(17))
    calendar = calendar_for_province("75")
    assert calendar.periods_on(date(2026, 3, 2)) == ((time(7, 30), time(11, 30)), (time(13), time(17)))
    assert due_instant(calendar=calendar, start=at(2026, 3, 2, 7), working_hours=4) == at(2026, 3, 2, 11, 30)


def test_calendar_for_province_unknown_code_is_refused(places):
    with pytest.raises(WorktimeError, match="Không có tỉnh, thành phố mã 99"):
        calendar_for_province("99")


def test_calendar_override_create_working_saturday_is_audited(personas):
    override = calendar_override_create(
        actor=personas.admin,
        province=personas.province,
        day=date(2026, 3, 7),
        kind=CalendarOverride.Kind.WORKING_DAY,
        reason="Làm bù cho ngày 2/1",
    )
    assert calendar_for_province("75").is_working_day(date(2026, 3, 7))
    event = AuditEvent.objects.get(action="worktime.override.created")
    assert (event.actor, event.object_id) == (personas.admin, str(override.pk))
    assert event.data == {
        "province": "75",
        "day": "2026-03-07",
        "kind": "working_day",
        "reason": "Làm bù cho ngày 2/1",
    }


def test_calendar_override_delete_restores_the_law_and_is_audited(personas):
    override = calendar_override_create(
        actor=personas.admin,
        province=personas.province,
        day=date(2026, 2, 16),
        kind=CalendarOverride.Kind.WORKING_DAY,
        reason="thử",
    )
    assert calendar_for_province("75").is_working_day(date(2026, 2, 16))
    calendar_override_delete(actor=personas.admin, override=override)
    assert not calendar_for_province("75").is_working_day(date(2026, 2, 16))
    assert not CalendarOverride.objects.exists()
    event = AuditEvent.objects.get(action="worktime.override.deleted")
    assert event.data["day"] == "2026-02-16"


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (date(2026, 2, 17), CalendarOverride.Kind.DAY_OFF, "đã là ngày nghỉ"),
        (date(2026, 2, 14), CalendarOverride.Kind.DAY_OFF, "đã là ngày nghỉ"),
        (date(2026, 3, 2), CalendarOverride.Kind.WORKING_DAY, "đã là ngày làm việc"),
        (date(2060, 3, 2), CalendarOverride.Kind.DAY_OFF, "Chỉ điều chỉnh được các năm"),
    ],
)
def test_calendar_override_create_refuses_what_changes_nothing(personas, day, kind, message):
    with pytest.raises(WorktimeError, match=message):
        calendar_override_create(
            actor=personas.admin, province=personas.province, day=day, kind=kind, reason="x"
        )
    assert not AuditEvent.objects.filter(action="worktime.override.created").exists()


def test_calendar_override_create_refuses_a_second_override_for_the_same_day(personas):
    kwargs = {"actor": personas.admin, "province": personas.province, "day": date(2026, 3, 3), "reason": "x"}
    calendar_override_create(kind=CalendarOverride.Kind.DAY_OFF, **kwargs)
    with pytest.raises(WorktimeError, match="đã có điều chỉnh"):
        calendar_override_create(kind=CalendarOverride.Kind.WORKING_DAY, **kwargs)


def test_calendar_override_create_needs_a_reason(personas):
    with pytest.raises(WorktimeError, match="lý do"):
        calendar_override_create(
            actor=personas.admin,
            province=personas.province,
            day=date(2026, 3, 3),
            kind=CalendarOverride.Kind.DAY_OFF,
            reason="  ",
        )
