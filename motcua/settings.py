"""Một Cửa settings: one file, everything from the environment (see README.md for the table)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from motcua.env import database_from_url, env_bool, env_int, env_list, env_str, require_when

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(BASE_DIR.parent / "var")) or "var").resolve()

DEBUG = env_bool("DEBUG", False)
# Demo mode loads the demo province and gives its accounts known passwords. Never with DEBUG off.
DEMO_MODE = env_bool("MOTCUA_DEMO", False)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured(
        "MOTCUA_DEMO=true chỉ được dùng khi DEBUG=true: mật khẩu mẫu không bao giờ có trên hệ thống thật. "
        "(MOTCUA_DEMO needs DEBUG=true.)"
    )

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Thiếu biến môi trường SECRET_KEY. (SECRET_KEY is required when DEBUG=false.)"
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = (env_str("SITE_URL", "http://127.0.0.1:8000") or "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "motcua.core",
    "motcua.directory",
    "motcua.worktime",
    "motcua.catalog",
    "motcua.notifications",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.metrics",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
]

MIDDLEWARE = [
    "motcua.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.core.context_processors.site",
                "motcua.directory.context_processors.roles",
            ],
        },
    }
]

# --- database ---------------------------------------------------------------------------------------------
DATABASES = {
    "default": database_from_url(
        "DATABASE_URL", env_str("DATABASE_URL"), sqlite_path=str(DATA_DIR / "motcua.sqlite3")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The covering index of the monthly rollups (INCLUDE columns) is a PostgreSQL speed-up; SQLite builds the same
    # index without them, which is right for the embedded set-up: no warning on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts and passwords ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "directory.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"
AUTHENTICATION_BACKENDS = ["motcua.directory.auth.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login lock-out: this many failures for one account (or 4x for one address) within the window locks it.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1, maximum=100)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=24 * 60)

# --- security headers and cookies ---------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# --- language, time, formats --------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["motcua.formats"]

# --- static and uploaded files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
USE_S3 = env_bool("USE_S3", False)
_s3 = require_when(
    "USE_S3", USE_S3, ["S3_BUCKET", "S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"]
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if USE_S3:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _s3["S3_BUCKET"],
            "endpoint_url": _s3["S3_ENDPOINT_URL"],
            "access_key": _s3["S3_ACCESS_KEY_ID"],
            "secret_key": _s3["S3_SECRET_ACCESS_KEY"],
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# --- background tasks ---------------------------------------------------------------------------------------
USE_REDIS_QUEUE = env_bool("USE_REDIS_QUEUE", False)
_redis = require_when("USE_REDIS_QUEUE", USE_REDIS_QUEUE, ["REDIS_URL"])
TASK_QUEUES = ["default", "notifications"]
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}
        if USE_REDIS_QUEUE
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
    )
}
# Finished rows of the database queue are deleted after this many days (scheduled job `task_results_prune`); failed
# ones are kept longer, for whoever looks into them.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14, minimum=1, maximum=3650)
TASK_FAILURES_KEEP_DAYS = env_int("TASK_FAILURES_KEEP_DAYS", 90, minimum=1, maximum=3650)
if USE_REDIS_QUEUE:
    RQ_QUEUES = {name: {"URL": _redis["REDIS_URL"]} for name in TASK_QUEUES}

# --- e-mail -------------------------------------------------------------------------------------------------
USE_SMTP = env_bool("USE_SMTP", False)
_smtp = require_when("USE_SMTP", USE_SMTP, ["EMAIL_HOST", "DEFAULT_FROM_EMAIL"])
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Một Cửa <khong-tra-loi@motcua.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if USE_SMTP:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _smtp["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
else:
    # Development: each message becomes a file under var/mail, readable by a person.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# --- integrations we cannot reach from here (each behind an interface; fail loudly when half-configured) -----
USE_SMS = env_bool("USE_SMS", False)
SMS = require_when("USE_SMS", USE_SMS, ["SMS_GATEWAY_URL", "SMS_GATEWAY_TOKEN", "SMS_BRANDNAME"])
USE_ZALO = env_bool("USE_ZALO", False)
ZALO = require_when("USE_ZALO", USE_ZALO, ["ZALO_OA_ID", "ZALO_ACCESS_TOKEN"])
USE_OIDC = env_bool("USE_OIDC", False)
OIDC = require_when("USE_OIDC", USE_OIDC, ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"])
USE_PAYMENT = env_bool("USE_PAYMENT", False)
PAYMENT = require_when(
    "USE_PAYMENT", USE_PAYMENT, ["PAYMENT_GATEWAY_URL", "PAYMENT_MERCHANT_CODE", "PAYMENT_SECRET"]
)

# --- dossiers ------------------------------------------------------------------------------------------------
# Upload limits (checked by content, not by name): one file, one dossier, and the pixels of one image
# (a larger image is refused as a possible decompression bomb).
DOSSIER_MAX_FILE_MB = env_int("DOSSIER_MAX_FILE_MB", 10, minimum=1, maximum=200)
DOSSIER_MAX_TOTAL_MB = env_int("DOSSIER_MAX_TOTAL_MB", 50, minimum=1, maximum=2000)
DOSSIER_MAX_IMAGE_MEGAPIXELS = env_int("DOSSIER_MAX_IMAGE_MEGAPIXELS", 60, minimum=1, maximum=500)
# A late dossier's result cannot be approved before an apology (Mẫu 04) promising a later date exists.
DOSSIER_APOLOGY_REQUIRED = env_bool("DOSSIER_APOLOGY_REQUIRED", True)
# "Sắp đến hạn": a step or a dossier with at most this many working hours left.
DUE_SOON_WORKING_HOURS = env_int("DUE_SOON_WORKING_HOURS", 24, minimum=1, maximum=200)
# Public tracking look-ups per client address per 10 minutes (codes cannot be enumerated).
TRACKING_LOOKUPS_PER_10_MINUTES = env_int("TRACKING_LOOKUPS_PER_10_MINUTES", 30, minimum=1, maximum=10000)
# --- citizen feedback (phản ánh, kiến nghị) and the 1022 hotline -----------------------------------------------
# Reports one client address may send from the public form per 10 minutes (a flood is refused with 429).
FEEDBACK_REPORTS_PER_10_MINUTES = env_int("FEEDBACK_REPORTS_PER_10_MINUTES", 10, minimum=1, maximum=100000)
# Reports one client address may post through Open311 per 10 minutes (the api_key of a phone app is not a secret;
# a partner's server posting for many people from one address needs more).
OPEN311_POSTS_PER_10_MINUTES = env_int("OPEN311_POSTS_PER_10_MINUTES", 60, minimum=1, maximum=1000000)
# Largest photo (JPEG or PNG, checked by content); a report has at most 5.
FEEDBACK_MAX_PHOTO_MB = env_int("FEEDBACK_MAX_PHOTO_MB", 8, minimum=1, maximum=50)
# Working hours an agency has to accept a routed report before it is escalated to the provincial coordinator.
FEEDBACK_CLAIM_WORKING_HOURS = env_int("FEEDBACK_CLAIM_WORKING_HOURS", 4, minimum=1, maximum=80)
# The province's bounding box "south,west,north,east" (a pin outside it is refused). Default: Đồng Nai (2025).
FEEDBACK_BOUNDS = env_str("FEEDBACK_BOUNDS", "10.50,106.40,12.35,107.65") or "10.50,106.40,12.35,107.65"
try:
    _south, _west, _north, _east = (float(v) for v in FEEDBACK_BOUNDS.split(","))
except ValueError:
    _south = _north = 0.0
if not (-90 <= _south < _north <= 90):
    raise ImproperlyConfigured(
        f"FEEDBACK_BOUNDS không hợp lệ: {FEEDBACK_BOUNDS!r} (cần “nam,tây,bắc,đông”, ví dụ 10.5,106.4,12.35,107.65). "
        "(FEEDBACK_BOUNDS must be south,west,north,east.)"
    )
# --- the province this installation serves ------------------------------------------------------------------
PROVINCE_CODE = env_str("MOTCUA_PROVINCE_CODE", "75") or "75"  # 75 = Đồng Nai (QĐ 19/2025/QĐ-TTg)

# --- logging: one JSON object per line on standard output ---------------------------------------------------
LOG_LEVEL = (env_str("LOG_LEVEL", "INFO") or "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL không hợp lệ: {LOG_LEVEL!r}. (LOG_LEVEL must be DEBUG…CRITICAL.)")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "motcua.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "motcua.core.logging.JsonFormatter"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}
