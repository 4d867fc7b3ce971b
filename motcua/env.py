"""Tiny typed helpers that read settings from the environment and fail loudly.

Imported by settings.py; it must not import models or apps.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise ImproperlyConfigured(
        f"Biến môi trường {name} phải là 'true' hoặc 'false', không phải {value!r}. "
        f"({name} must be 'true' or 'false'.)"
    )


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Biến môi trường {name} phải là số nguyên, không phải {value!r}. ({name} must be an integer.)"
        ) from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(
            f"Biến môi trường {name}={number} nằm ngoài khoảng [{minimum}, {maximum}]. ({name} out of range.)"
        )
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def require_when(flag: str, enabled: bool, names: list[str]) -> dict[str, str]:
    """Return the named variables when an integration is switched on; stop if any is missing."""
    if not enabled:
        return {}
    missing = [name for name in names if _raw(name) is None]
    if missing:
        raise ImproperlyConfigured(
            f"{flag}=true nhưng thiếu biến môi trường: {', '.join(missing)}. "
            f"({flag} is on but these variables are missing: {', '.join(missing)}.)"
        )
    return {name: _raw(name) or "" for name in names}


def database_from_url(name: str, url: str | None, *, sqlite_path: str) -> dict:
    """DATABASE_URL selects PostgreSQL; without it the embedded SQLite database (WAL) is used."""
    if url is None:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_path,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Tests use a file too (not shared-cache memory), so locking behaves as in the embedded set-up;
            # one per test process, so parallel runs never share it.
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"motcua-test-{os.getpid()}.sqlite3")},
        }
    import dj_database_url

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} không hợp lệ: cần dạng postgres://người_dùng:mật_khẩu@máy:cổng/tên_csdl "
            f"hoặc sqlite:///đường/dẫn.db. ({name} is malformed: expected postgres://user:pass@host:port/db.)"
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad input
        raise ImproperlyConfigured(f"{name} không hợp lệ: {exc}. ({name} is malformed.)") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(
            f"{name} thiếu tên cơ sở dữ liệu (…/tên_csdl). ({name} has no database name.)"
        )
    return config
