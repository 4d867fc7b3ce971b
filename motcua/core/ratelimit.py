"""Rate limits for public look-ups (tracking codes, feedback forms, API): fixed windows counted in the database,
so every application process shares them without Redis.

    from motcua.core.ratelimit import rate_limited

    @rate_limited("tracking.lookup", limit=20, window_seconds=600)
    def lookup(request): ...

or, inside a service or an API endpoint: `rate_limit_allow(scope=..., key=client_ip(request), limit=..., window_seconds=...)`.
"""

from __future__ import annotations

import functools
import time

from django.db import connection
from django.shortcuts import render

from motcua.core.middleware import client_ip
from motcua.core.models import RateCounter

# One statement per hit on SQLite (≥ 3.35) and PostgreSQL alike: create the window's counter or add one to it,
# atomically, and read the new count back. Public look-ups pass here on every request: one round trip, not three.
_TABLE = RateCounter._meta.db_table
_UPSERT = (
    f'INSERT INTO "{_TABLE}" ("scope", "key", "window", "count") VALUES (%s, %s, %s, 1) '
    f'ON CONFLICT ("scope", "key", "window") DO UPDATE SET "count" = "{_TABLE}"."count" + 1 RETURNING "count"'
)


MAX_WINDOW_SECONDS = 24 * 3600


def rate_limit_allow(
    *, scope: str, key: str, limit: int, window_seconds: int, now: float | None = None
) -> bool:
    """Count one hit for (scope, key) in the current window; False once the window holds more than `limit`."""
    if not 0 < window_seconds <= MAX_WINDOW_SECONDS:
        raise ValueError(f"window_seconds must be within a day, not {window_seconds}")
    window = (
        int((time.time() if now is None else now) // window_seconds) * window_seconds
    )  # its start, epoch s
    key = (key or "-")[:128]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [scope, key, window])
        (count,) = cursor.fetchone()
    return count <= limit


def rate_counters_prune(*, now: float | None = None) -> int:
    """Delete the counters of windows that started more than a day ago (scheduled job `rate_counters_prune`): every
    new client address leaves one row per window, and nothing else removes them. Windows are at most a day long."""
    started_before = int((time.time() if now is None else now) - MAX_WINDOW_SECONDS)
    return RateCounter.objects.filter(window__lt=started_before).delete()[0]


def rate_limited(scope: str, *, limit: int, window_seconds: int, methods: tuple[str, ...] = ("GET", "POST")):
    """View decorator: over the limit the client gets 429 with a Vietnamese explanation and a Retry-After."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and not rate_limit_allow(
                scope=scope, key=client_ip(request) or "-", limit=limit, window_seconds=window_seconds
            ):
                response = render(
                    request, "429.html", {"window_minutes": max(1, window_seconds // 60)}, status=429
                )
                response["Retry-After"] = str(window_seconds)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
