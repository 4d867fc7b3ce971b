from __future__ import annotations

from datetime import datetime

import pytest

from motcua.worktime.clock import TZ, WorkingCalendar
from motcua.worktime.law import calendar_build

# Built once for the whole session: the law's calendar (holidays package) with default office hours.
LAW = calendar_build()
# No holidays at all: the calendar of REFERENCE §13B's worked examples.
PLAIN = WorkingCalendar(first_year=2024, last_year=2028)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware instant in Asia/Ho_Chi_Minh."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def law():
    return LAW


@pytest.fixture
def plain():
    return PLAIN
