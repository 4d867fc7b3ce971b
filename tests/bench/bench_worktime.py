"""Benchmark: 1,000,000 due-date computations on one core (issue 4 asks for under 10 s).

Run: .venv/bin/python tests/bench/bench_worktime.py [N]   (or `make bench`). Not collected by pytest.
The calendar is the law's calendar (holidays package, 2010–2050) built once, as a process does in production.
Starts are spread over 2025–2027 at every minute of the day; durations mix working days, hours and calendar days.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")


def main(n: int) -> float:
    import django

    django.setup()
    from motcua.worktime.clock import TZ, due_instant
    from motcua.worktime.law import calendar_build

    built = time.perf_counter()
    calendar = calendar_build()
    build_seconds = time.perf_counter() - built

    first = datetime(2025, 1, 1, tzinfo=TZ)
    starts = [first + timedelta(minutes=(i * 7919) % (3 * 365 * 24 * 60)) for i in range(10_007)]
    kinds = [("working_days", 3), ("working_days", 15), ("working_hours", 4), ("calendar_days", 30)]
    jobs = [(starts[i % len(starts)], kinds[i % len(kinds)]) for i in range(n)]

    began = time.perf_counter()
    last = None
    for start, (kind, amount) in jobs:
        if kind == "working_days":
            last = due_instant(calendar=calendar, start=start, working_days=amount)
        elif kind == "working_hours":
            last = due_instant(calendar=calendar, start=start, working_hours=amount)
        else:
            last = due_instant(calendar=calendar, start=start, calendar_days=amount)
    seconds = time.perf_counter() - began
    print(f"calendar build (2010–2050, holidays package): {build_seconds:.2f} s")
    print(
        f"{n:,} due-date computations: {seconds:.2f} s ({seconds / n * 1e6:.2f} µs each); last = {last.isoformat()}"
    )
    return seconds


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    elapsed = main(count)
    if count == 1_000_000 and elapsed >= 10:
        print("CHẬM: quá 10 giây cho 1 triệu phép tính (slower than the 10 s target).")
        sys.exit(1)
