"""Settings fail loudly, naming the variable, for bad or half-configured input."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from motcua.env import database_from_url, env_bool, env_int, require_when


def test_env_bool_accepts_only_true_or_false(monkeypatch):
    monkeypatch.setenv("USE_SMS", "true")
    assert env_bool("USE_SMS", False) is True
    monkeypatch.setenv("USE_SMS", "yes")
    with pytest.raises(ImproperlyConfigured, match="USE_SMS"):
        env_bool("USE_SMS", False)


def test_env_int_checks_type_and_range(monkeypatch):
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "năm")
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT"):
        env_int("LOGIN_FAILURE_LIMIT", 5)
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT"):
        env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)


def test_half_configured_integration_names_the_missing_variables(monkeypatch):
    monkeypatch.setenv("SMS_GATEWAY_URL", "https://sms.example.vn")
    monkeypatch.delenv("SMS_GATEWAY_TOKEN", raising=False)
    monkeypatch.delenv("SMS_BRANDNAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SMS_GATEWAY_TOKEN, SMS_BRANDNAME"):
        require_when("USE_SMS", True, ["SMS_GATEWAY_URL", "SMS_GATEWAY_TOKEN", "SMS_BRANDNAME"])
    assert require_when("USE_SMS", False, ["SMS_GATEWAY_URL"]) == {}


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgres//127.0.0.1/db", "postgres://127.0.0.1:5432/", "nonsense"]
)
def test_malformed_database_url_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url("DATABASE_URL", url, sqlite_path="/tmp/x.sqlite3")


def test_database_url_selects_postgresql_and_absent_selects_sqlite_wal():
    pg = database_from_url(
        "DATABASE_URL", "postgres://motcua:secret@db.local:5433/motcua", sqlite_path="/tmp/x"
    )
    assert (pg["ENGINE"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql",
        "db.local",
        5433,
        "motcua",
    )
    lite = database_from_url("DATABASE_URL", None, sqlite_path="/tmp/x.sqlite3")
    assert lite["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in lite["OPTIONS"]["init_command"]


def _start(env_overrides):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG", "MOTCUA_DEMO", "SECRET_KEY"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "motcua", "check"], env=env, capture_output=True, text=True, timeout=120
    )


def test_startup_stops_on_malformed_database_url_naming_it():
    result = _start({"SECRET_KEY": "x" * 50, "DATABASE_URL": "mysql://root@localhost/motcua"})
    assert result.returncode != 0
    assert "DATABASE_URL không hợp lệ" in result.stderr


def test_startup_stops_on_half_configured_smtp_naming_the_variable():
    result = _start({"SECRET_KEY": "x" * 50, "USE_SMTP": "true", "DEFAULT_FROM_EMAIL": "a@b.vn"})
    assert result.returncode != 0
    assert "USE_SMTP=true nhưng thiếu biến môi trường: EMAIL_HOST" in result.stderr


def test_startup_refuses_demo_mode_without_debug():
    result = _start({"SECRET_KEY": "x" * 50, "MOTCUA_DEMO": "true"})
    assert result.returncode != 0
    assert "MOTCUA_DEMO=true chỉ được dùng khi DEBUG=true" in result.stderr


def test_startup_requires_secret_key_in_production():
    result = _start({})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_hash_passwords_with_argon2_and_secure_cookies():
    import motcua.settings as module  # the module as loaded, not the per-test override

    assert module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert module.LANGUAGE_CODE == "vi"
    assert module.TIME_ZONE == "Asia/Ho_Chi_Minh"
    if not module.DEBUG:
        assert module.SESSION_COOKIE_SECURE and module.CSRF_COOKIE_SECURE
