"""A controllable clock for demo data and tests: the services read the time from `django.utils.timezone.now`.

    with clock_at(datetime(2026, 3, 9, 8, 0, tzinfo=TZ)) as clock:
        dossier_accept(...)                      # accepted_at, audit event, step start: Mon 08:00
        clock.advance(hours=2)
        dossier_forward(...)                     # Mon 10:00

Every module of the project calls `timezone.now()` through the module (never `from django.utils.timezone import
now`), and Django's own `localdate()`, `auto_now` and `auto_now_add` do too, so replacing the module's attribute
moves them all. Only for demo loading and tests: never while serving requests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.utils import timezone


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.set(instant)

    def set(self, instant: datetime) -> None:
        if timezone.is_naive(instant):
            raise ValueError("the demo clock needs an aware datetime")
        self.instant = instant.astimezone(UTC)  # as Django's own now(): aware, in UTC

    def advance(self, **delta: float) -> datetime:
        self.instant = self.instant + timedelta(**delta)
        return self.instant

    def __call__(self) -> datetime:
        return self.instant


@contextmanager
def clock_at(instant: datetime) -> Iterator[Clock]:
    clock = Clock(instant)
    with mock.patch.object(timezone, "now", clock):
        yield clock
