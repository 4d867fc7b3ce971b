"""Properties of the arithmetic over any start in 2025–2027 (hypothesis), against the law's calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.worktime.clock import TZ, Pause, SupplementMode, due_instant, elapsed_working_time
from tests.worktime.conftest import LAW

starts = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)).map(
    lambda dt: dt.replace(tzinfo=TZ)
)
durations = st.one_of(
    st.builds(lambda n: {"working_days": n}, st.integers(1, 60)),
    st.builds(lambda n: {"working_hours": n}, st.integers(1, 400)),
    st.builds(lambda n: {"working_hours": n / 4}, st.integers(1, 400)),
    st.builds(lambda n: {"calendar_days": n}, st.integers(1, 90)),
)
FAST = settings(max_examples=300, deadline=None)


def _inside_office_hours(instant: datetime) -> bool:
    local = instant.astimezone(TZ)
    periods = LAW.periods_on(local.date())
    return any(start < local.time() <= end for start, end in periods)


@FAST
@given(start=starts, duration=durations)
def test_due_instant_is_always_within_office_hours_of_a_working_day(start, duration):
    due = due_instant(calendar=LAW, start=start, **duration)
    assert due.utcoffset() == timedelta(hours=7)
    assert LAW.is_working_day(due.date())
    assert _inside_office_hours(due)
    assert due > start


@FAST
@given(
    start=starts,
    kind=st.sampled_from(["working_days", "working_hours", "calendar_days"]),
    n=st.integers(1, 60),
)
def test_due_instant_more_time_never_gives_an_earlier_due_instant(start, kind, n):
    shorter = due_instant(calendar=LAW, start=start, **{kind: n})
    longer = due_instant(calendar=LAW, start=start, **{kind: n + 1})
    assert longer >= shorter
    if kind != "calendar_days":  # two calendar-day limits may both land on a weekend and share its Monday
        assert longer > shorter


@FAST
@given(start=starts, later=st.integers(0, 14 * 24 * 60), days=st.integers(1, 30))
def test_due_instant_later_start_never_gives_an_earlier_due_instant(start, later, days):
    first = due_instant(calendar=LAW, start=start, working_days=days)
    second = due_instant(calendar=LAW, start=start + timedelta(minutes=later), working_days=days)
    assert second >= first


@FAST
@given(
    start=starts,
    duration=durations,
    offset=st.integers(0, 30 * 24 * 60),
    length=st.integers(1, 20 * 24 * 60),
    mode=st.sampled_from(list(SupplementMode)),
)
def test_due_instant_a_pause_never_gives_an_earlier_due_instant(start, duration, offset, length, mode):
    pause_start = start + timedelta(minutes=offset)
    pause = Pause(pause_start, pause_start + timedelta(minutes=length))
    without = due_instant(calendar=LAW, start=start, **duration)
    with_pause = due_instant(calendar=LAW, start=start, pauses=[pause], supplement_mode=mode, **duration)
    assert with_pause >= without
    assert _inside_office_hours(with_pause)


@FAST
@given(start=starts, hours=st.integers(1, 400))
def test_elapsed_working_time_to_the_due_instant_is_the_duration(start, hours):
    due = due_instant(calendar=LAW, start=start, working_hours=hours)
    assert elapsed_working_time(calendar=LAW, start=start, end=due) == timedelta(hours=hours)
