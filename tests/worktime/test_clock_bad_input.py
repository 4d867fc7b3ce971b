"""Bad input gives a clear Vietnamese error, never a silent wrong date."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from motcua.worktime.clock import (
    Pause,
    WorkingCalendar,
    WorktimeError,
    due_instant,
    elapsed_working_time,
)
from tests.worktime.conftest import LAW, PLAIN, at


def test_due_instant_naive_start_is_refused():
    with pytest.raises(WorktimeError, match="phải có múi giờ"):
        due_instant(calendar=LAW, start=datetime(2026, 2, 13, 16), working_days=3)


def test_due_instant_other_time_zone_is_converted_to_vietnam_time():
    utc_start = datetime(2026, 2, 13, 9, tzinfo=UTC)  # 16:00 in Hà Nội
    due = due_instant(calendar=LAW, start=utc_start, working_days=3)
    assert due == at(2026, 2, 25, 16)
    assert due.isoformat() == "2026-02-25T16:00:00+07:00"


@pytest.mark.parametrize("value", [0, -1, -0.5])
def test_due_instant_zero_or_negative_duration_is_refused(value):
    with pytest.raises(WorktimeError, match="lớn hơn 0"):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), working_hours=value)


def test_due_instant_absurd_duration_over_ten_years_is_refused():
    with pytest.raises(WorktimeError, match="hơn 10 năm"):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), calendar_days=3654)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"working_days": 1, "calendar_days": 1}, {"working_days": 1, "working_hours": 8}],
)
def test_due_instant_needs_exactly_one_duration_kind(kwargs):
    with pytest.raises(WorktimeError, match="Cần đúng một loại thời hạn"):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), **kwargs)


@pytest.mark.parametrize("value", [1.5, True, "3"])
def test_due_instant_working_days_must_be_a_whole_number(value):
    with pytest.raises(WorktimeError):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), working_days=value)


def test_due_instant_inverted_pause_is_refused():
    with pytest.raises(WorktimeError, match="kết thúc phải sau thời điểm bắt đầu"):
        due_instant(
            calendar=LAW,
            start=at(2026, 3, 2, 9),
            working_days=5,
            pauses=[Pause(at(2026, 3, 4, 9), at(2026, 3, 3, 9))],
        )


def test_due_instant_overlapping_pauses_are_refused():
    pauses = [Pause(at(2026, 3, 3, 9), at(2026, 3, 5, 9)), Pause(at(2026, 3, 4, 9), at(2026, 3, 6, 9))]
    with pytest.raises(WorktimeError, match="chồng lên nhau"):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), working_days=5, pauses=pauses)


def test_due_instant_pause_before_the_start_is_refused():
    with pytest.raises(WorktimeError, match="trước thời điểm bắt đầu tính hạn"):
        due_instant(
            calendar=LAW,
            start=at(2026, 3, 2, 9),
            working_days=5,
            pauses=[Pause(at(2026, 3, 1, 9), at(2026, 3, 3, 9))],
        )


def test_due_instant_naive_pause_is_refused():
    with pytest.raises(WorktimeError, match="phải có múi giờ"):
        due_instant(
            calendar=LAW,
            start=at(2026, 3, 2, 9),
            working_days=5,
            pauses=[Pause(datetime(2026, 3, 3, 9), at(2026, 3, 4, 9))],
        )


def test_due_instant_beyond_the_calendar_years_is_refused():
    with pytest.raises(WorktimeError, match="ngoài lịch làm việc đã có|chỉ có dữ liệu"):
        due_instant(calendar=PLAIN, start=at(2028, 12, 1, 9), working_days=40)


def test_elapsed_working_time_end_before_start_is_refused():
    with pytest.raises(WorktimeError, match="kết thúc phải sau"):
        elapsed_working_time(calendar=LAW, start=at(2026, 3, 3, 9), end=at(2026, 3, 2, 9))


def test_working_calendar_inverted_office_period_is_refused():
    with pytest.raises(WorktimeError, match="bắt đầu trước giờ kết thúc"):
        WorkingCalendar(office_hours=(((time(17), time(7)),),) * 7, first_year=2025, last_year=2025)


def test_working_calendar_is_immutable():
    with pytest.raises(AttributeError):
        PLAIN.first_year = 2000  # type: ignore[misc]


def test_due_instant_error_message_follows_the_active_language():
    from django.utils import translation

    with translation.override("en"), pytest.raises(WorktimeError) as error:
        due_instant(calendar=LAW, start=datetime(2026, 2, 13, 16), working_days=3)
    assert "time zone" in str(error.value)


def test_due_instant_cutoff_must_be_a_time():
    with pytest.raises(WorktimeError, match="Giờ chốt"):
        due_instant(calendar=LAW, start=at(2026, 3, 2, 9), working_days=1, cutoff=timedelta(hours=15))
