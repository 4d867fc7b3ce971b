"""Worked examples (REFERENCE §13B and issue 4): exact instants, so any slip in the arithmetic fails a test."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from motcua.worktime.clock import (
    Pause,
    PauseKind,
    SupplementMode,
    Timeliness,
    WorkingCalendar,
    classify,
    due_explained,
    due_instant,
    due_within,
    elapsed_working_time,
)
from tests.worktime.conftest import LAW, PLAIN, at

# 2025-03-03 is a Monday; March 2025 has no holiday.


# --- REFERENCE §13B ---------------------------------------------------------------------------------------------
def test_due_instant_half_day_from_monday_morning_skips_lunch():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 10), working_hours=4) == at(2025, 3, 3, 16)


def test_due_instant_three_days_from_friday_afternoon_is_wednesday_same_hour():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 7, 16), working_days=3) == at(2025, 3, 12, 16)


def test_due_instant_after_hours_start_counts_from_next_morning_and_ends_at_period_end():
    # §13B writes "Thu 07:00" (the [TH] form); the end-of-period rule writes the same instant of working
    # time as the end of Wednesday's office hours.
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 7, 17, 30), working_days=3) == at(2025, 3, 12, 17)


def test_due_instant_supplement_pause_and_extend_adds_the_paused_working_time():
    pause = Pause(at(2025, 3, 4, 9), at(2025, 3, 6, 9))
    due = due_instant(calendar=PLAIN, start=at(2025, 3, 3, 9), working_days=5, pauses=[pause])
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 9), working_days=5) == at(2025, 3, 10, 9)
    assert due == at(2025, 3, 12, 9)


def test_due_instant_supplement_restart_counts_the_full_duration_from_the_supplement():
    pause = Pause(at(2025, 3, 4, 9), at(2025, 3, 6, 9))
    due = due_instant(
        calendar=PLAIN,
        start=at(2025, 3, 3, 9),
        working_days=5,
        pauses=[pause],
        supplement_mode=SupplementMode.RESTART,
    )
    assert due == at(2025, 3, 13, 9)


def test_due_instant_restart_mode_still_extends_for_a_non_supplement_pause():
    pauses = [
        Pause(at(2025, 3, 4, 9), at(2025, 3, 6, 9)),
        Pause(at(2025, 3, 10, 9), at(2025, 3, 11, 9), PauseKind.OTHER, "chờ nộp thuế"),
    ]
    due = due_instant(
        calendar=PLAIN,
        start=at(2025, 3, 3, 9),
        working_days=5,
        pauses=pauses,
        supplement_mode=SupplementMode.RESTART,
    )
    assert due == at(2025, 3, 14, 9)


# --- start rules --------------------------------------------------------------------------------------------------
def test_due_instant_lunch_time_start_counts_from_the_afternoon():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 12), working_hours=2) == at(2025, 3, 3, 15, 30)


def test_due_instant_early_morning_start_counts_from_seven():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 6), working_hours=4) == at(2025, 3, 3, 11)


def test_due_instant_weekend_start_counts_from_monday_morning():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 8, 10), working_days=1) == at(2025, 3, 10, 17)


def test_due_instant_start_after_cutoff_counts_from_next_working_day():
    due = due_instant(calendar=LAW, start=at(2026, 2, 10, 15, 30), working_days=1, cutoff=time(15))
    assert due == at(2026, 2, 11, 17)


def test_due_instant_start_at_cutoff_still_counts_the_same_day():
    due = due_instant(calendar=LAW, start=at(2026, 2, 10, 15), working_days=1, cutoff=time(15))
    assert due == at(2026, 2, 11, 15)


def test_due_instant_start_before_cutoff_is_unaffected():
    due = due_instant(calendar=LAW, start=at(2026, 2, 10, 14, 59), working_days=1, cutoff=time(15))
    assert due == at(2026, 2, 11, 14, 59)


def test_due_instant_cutoff_on_the_eve_of_tet_moves_past_the_holidays():
    due = due_instant(calendar=LAW, start=at(2026, 2, 13, 15, 30), working_days=1, cutoff=time(15))
    assert due == at(2026, 2, 23, 17)


# --- end-of-period rule ---------------------------------------------------------------------------------------------
def test_due_instant_ending_at_lunch_is_half_past_eleven_not_the_afternoon():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 7), working_hours=4.5) == at(2025, 3, 3, 11, 30)


def test_due_instant_one_day_from_opening_time_is_the_same_evening():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 3, 7), working_days=1) == at(2025, 3, 3, 17)


def test_due_instant_eight_hours_from_opening_friday_is_friday_evening_not_monday():
    assert due_instant(calendar=PLAIN, start=at(2025, 3, 7, 7), working_hours=8) == at(2025, 3, 7, 17)


# --- holidays of the law (holidays package) ---------------------------------------------------------------------------
def test_law_calendar_tet_2026_is_off_from_14_to_22_february():
    assert LAW.is_working_day(date(2026, 2, 13))
    assert [LAW.is_working_day(date(2026, 2, d)) for d in range(14, 23)] == [False] * 9
    assert LAW.is_working_day(date(2026, 2, 23))


def test_due_instant_across_tet_2026_skips_the_nine_days_off():
    assert due_instant(calendar=LAW, start=at(2026, 2, 13, 16), working_days=3) == at(2026, 2, 25, 16)


def test_due_instant_across_30_april_and_1_may_2026():
    # Mon 27/4 is Hùng Kings' day observed (26/4 is a Sunday); Thu 30/4 and Fri 1/5 are off.
    assert not LAW.is_working_day(date(2026, 4, 27))
    assert due_instant(calendar=LAW, start=at(2026, 4, 24, 10), working_days=1) == at(2026, 4, 28, 10)
    assert due_instant(calendar=LAW, start=at(2026, 4, 29, 10), working_days=2) == at(2026, 5, 5, 10)


def test_due_instant_across_national_day_2026_with_its_swapped_saturday():
    # 31/8 is off in exchange for Saturday 22/8, which is worked; 1/9 and 2/9 are National Day.
    assert LAW.is_working_day(date(2026, 8, 22))
    assert [LAW.is_working_day(date(2026, 8, 31)), LAW.is_working_day(date(2026, 9, 1))] == [False, False]
    assert due_instant(calendar=LAW, start=at(2026, 8, 21, 16), working_days=1) == at(2026, 8, 22, 16)
    assert due_instant(calendar=LAW, start=at(2026, 8, 28, 10), working_days=1) == at(2026, 9, 3, 10)


def test_due_instant_substituted_day_off_2025_and_its_working_saturday():
    # 2025: Fri 2/5 off, substituted from Sat 26/4, which is worked.
    assert LAW.is_working_day(date(2025, 4, 26))
    assert due_instant(calendar=LAW, start=at(2025, 4, 25, 10), working_days=1) == at(2025, 4, 26, 10)
    assert due_instant(calendar=LAW, start=at(2025, 4, 29, 10), working_days=1) == at(2025, 5, 5, 10)


def test_due_instant_holiday_on_saturday_2027_gives_monday_off():
    # 1/5/2027 is a Saturday: the day off moves to Monday 3/5.
    assert not LAW.is_working_day(date(2027, 5, 3))
    assert due_instant(calendar=LAW, start=at(2027, 4, 29, 10), working_days=1) == at(2027, 5, 4, 10)


# --- calendar days ---------------------------------------------------------------------------------------------------
def test_due_instant_calendar_days_on_a_working_day_is_its_end():
    assert due_instant(calendar=LAW, start=at(2026, 3, 2, 10), calendar_days=3) == at(2026, 3, 5, 17)


def test_due_instant_calendar_days_landing_in_tet_moves_to_end_of_next_working_day():
    assert due_instant(calendar=LAW, start=at(2026, 2, 10, 10), calendar_days=4) == at(2026, 2, 23, 17)


def test_due_instant_calendar_days_pause_moves_by_whole_days_rounded_up():
    pause = Pause(at(2026, 3, 3, 9), at(2026, 3, 4, 10))  # 25 hours → 2 days
    due = due_instant(calendar=LAW, start=at(2026, 3, 2, 10), calendar_days=3, pauses=[pause])
    assert due == at(2026, 3, 9, 17)  # 5/3 + 2 = Sat 7/3 → Monday 9/3


# --- overrides built from code ---------------------------------------------------------------------------------------
def test_working_calendar_extra_working_saturday_uses_monday_hours():
    calendar = WorkingCalendar(
        extra_working_days=frozenset({date(2025, 3, 8)}), first_year=2025, last_year=2025
    )
    assert calendar.periods_on(date(2025, 3, 8)) == ((time(7), time(11, 30)), (time(13, 30), time(17)))
    assert due_instant(calendar=calendar, start=at(2025, 3, 7, 16), working_days=1) == at(2025, 3, 8, 16)


def test_working_calendar_custom_office_hours_count_that_days_hours():
    saturday_morning = ((time(7, 30), time(11, 30)),)
    hours = (((time(7, 30), time(11, 30)), (time(13), time(17))),) * 5 + (saturday_morning, ())
    calendar = WorkingCalendar(office_hours=hours, first_year=2025, last_year=2025)
    # Friday 15:00 is 6.5 h into Friday; Saturday has 4 h, so one working day later is Saturday's close.
    assert due_instant(calendar=calendar, start=at(2025, 3, 7, 15), working_days=1) == at(2025, 3, 8, 11, 30)
    assert due_instant(calendar=calendar, start=at(2025, 3, 7, 15), working_hours=3) == at(2025, 3, 8, 8, 30)


# --- elapsed, classification, "due soon" -----------------------------------------------------------------------------
def test_elapsed_working_time_across_tet_counts_only_office_hours():
    spent = elapsed_working_time(calendar=LAW, start=at(2026, 2, 13, 16), end=at(2026, 2, 23, 8))
    assert spent == timedelta(hours=2)


def test_elapsed_working_time_excludes_pauses():
    pause = Pause(at(2025, 3, 4, 9), at(2025, 3, 6, 9))
    spent = elapsed_working_time(
        calendar=PLAIN, start=at(2025, 3, 3, 9), end=at(2025, 3, 7, 9), pauses=[pause]
    )
    assert spent == timedelta(hours=16)


def test_classify_compares_dates_not_times():
    due = at(2026, 2, 25, 16)
    assert classify(due=due, finished_at=at(2026, 2, 24, 16, 59)) == Timeliness.EARLY
    assert classify(due=due, finished_at=at(2026, 2, 25, 16, 30)) == Timeliness.ON_TIME
    assert classify(due=due, finished_at=at(2026, 2, 26, 7, 1)) == Timeliness.LATE


def test_classify_in_progress_by_period_end_and_without_due_date():
    due = at(2026, 2, 25, 16)
    assert classify(due=due, as_of=date(2026, 2, 25)) == Timeliness.ON_TIME
    assert classify(due=due, as_of=date(2026, 2, 26)) == Timeliness.LATE
    assert classify(due=None, finished_at=at(2030, 1, 1)) == Timeliness.ON_TIME


def test_due_within_24_working_hours():
    due = at(2026, 2, 25, 16)
    assert due_within(calendar=LAW, due=due, now=at(2026, 2, 13, 16))  # 1 h + 8 h + 8 h + 7 h = 24 h left
    assert not due_within(calendar=LAW, due=due, now=at(2026, 2, 13, 15))  # 25 working hours left
    assert not due_within(calendar=LAW, due=due, now=at(2026, 2, 25, 16))  # already due


# --- explanation -------------------------------------------------------------------------------------------------------
def test_due_explained_names_the_tet_days_and_the_counted_days():
    due, steps = due_explained(calendar=LAW, start=at(2026, 2, 13, 17, 30), working_days=3)
    assert due == at(2026, 2, 25, 17)
    assert steps[0] == "Tiếp nhận lúc 17:30 thứ Sáu 13/02/2026."
    assert "Bắt đầu tính thời hạn từ 07:00 thứ Hai 23/02/2026 (giờ làm việc đầu tiên)." in steps
    assert "Các ngày làm việc được tính: 23/02, 24/02, 25/02." in steps
    assert any("17/02/2026 (Tết Nguyên Đán)" in step for step in steps)
    assert steps[-1] == "Hạn trả kết quả: 17:00 thứ Tư 25/02/2026."


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"working_days": 1}, at(2026, 2, 23, 16)),
        ({"working_hours": 1}, at(2026, 2, 13, 17)),
        ({"working_hours": 2}, at(2026, 2, 23, 8)),
        ({"calendar_days": 1}, at(2026, 2, 23, 17)),
    ],
)
def test_due_instant_every_duration_kind_from_the_eve_of_tet(kwargs, expected):
    assert due_instant(calendar=LAW, start=at(2026, 2, 13, 16), **kwargs) == expected
