"""Settings read from the environment, with safe local defaults.

A newcomer needs no configuration: everything local lives in GMMP_DATA_DIR (default ./var/),
secrets are generated there on first run. With GMMP_ENV=production the process refuses to start
unless the real secrets and hosts are given in the environment.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("GMMP_ENV", "local")
PRODUCTION = ENV == "production"

DATA_DIR = Path(os.environ.get("GMMP_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _local_secret(name: str, nbytes: int = 48) -> str:
    """A secret kept in the data directory, generated once, for local use only."""
    path = DATA_DIR / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(nbytes))
    return path.read_text().strip()


def _secret(env_name: str, file_name: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{env_name} must be set in production.")
    return _local_secret(file_name)


SECRET_KEY = _secret("GMMP_SECRET_KEY", "django_secret_key")
# Key for personal data encrypted at rest (evidence files). A Fernet key: 32 url-safe base64 bytes.
_file_key = os.environ.get("GMMP_FILE_ENCRYPTION_KEY") or ("" if PRODUCTION else None)
if _file_key is None:
    from cryptography.fernet import Fernet

    _key_path = DATA_DIR / "secrets" / "file_encryption_key"
    if not _key_path.exists():
        _key_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(_key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    _file_key = _key_path.read_text().strip()
FILE_ENCRYPTION_KEY: str = _file_key
if PRODUCTION and not FILE_ENCRYPTION_KEY:
    raise ImproperlyConfigured("GMMP_FILE_ENCRYPTION_KEY must be set in production.")

DEBUG = os.environ.get("GMMP_DEBUG", "0" if PRODUCTION else "1") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("GMMP_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("GMMP_ALLOWED_HOSTS must be set in production.")
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
# Key of the ledgers' keyed chain (core/ledger_chain.py): never in the database.
LEDGER_KEY = _secret("GMMP_LEDGER_KEY", "ledger_key")
# The signed heads published each night (outside the database); default DATA_DIR/ledger/heads.jsonl.
LEDGER_HEADS_FILE = os.environ.get("GMMP_LEDGER_HEADS_FILE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
    "gmmp.core",
    "gmmp.organisations",
    "gmmp.audit",
    "gmmp.cases",
    "gmmp.identification",
    "gmmp.documents",
    "gmmp.indicators",
    "gmmp.governance",
    "gmmp.mobility",
    "gmmp.minors",
    "django_tasks",
    "django_tasks_db",
    "gmmp.notifications",
    "gmmp.collab",
    "gmmp.api",
    "gmmp.www",
    "gmmp.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A token in a URL is refused before anything logs the URL (tokens go in the Authorization header).
    "gmmp.api.middleware.NoCredentialsInUrlMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Under /api/ Django's own 404/405/500 answer JSON like the API does (after the language is chosen).
    "gmmp.api.middleware.ApiJsonErrorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Nothing is public by accident: views opt out with @login_not_required.
    "gmmp.core.middleware.LoginRequiredExceptApiMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gmmp.core.middleware.SessionIdleTimeoutMiddleware",
    "gmmp.core.middleware.DisplayTimezoneMiddleware",
    "gmmp.core.middleware.RulesReadOnceMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "gmmp.core.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "gmmp.urls"
WSGI_APPLICATION = "gmmp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gmmp.www.navigation.navigation",
                "gmmp.www.notifications.context.bell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gmmp.sqlite3'}"),
        # Persistent connections (deploy/gunicorn.conf.py sets 300 s): a new PostgreSQL connection per
        # request cost the server ~12 ms of CPU (bench/RESULTS.md, "Load, fourth pass"); a reused one is
        # checked at the start of each request, so a restarted database costs one reconnection.
        conn_max_age=int(os.environ.get("GMMP_DB_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a command writes; IMMEDIATE avoids lock upgrades deadlocking.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the user's organisation read in the same query (sessions issued by the plain
    # ModelBackend before end once: their user is asked to log in again).
    "gmmp.organisations.backends.UserWithOrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "www:home"
LOGOUT_REDIRECT_URL = "login"

# Second factor (TOTP). Users who enrolled always need their code; with GMMP_MFA_REQUIRED=1 (the
# production default) every user must enrol before reaching any page.
MFA_REQUIRED = os.environ.get("GMMP_MFA_REQUIRED", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "GMMP"

AXES_FAILURE_LIMIT = int(os.environ.get("GMMP_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage; display converts to the user's zone
DISPLAY_TIME_ZONE = os.environ.get("GMMP_DISPLAY_TIME_ZONE", "Europe/Paris")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "files"  # never served publicly: files go through access-checked views

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# The language cookie: the same attributes whether Django's language switcher or the login and the
# preferences page (www/accounts/views.py) set it.
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept readable for forms
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GMMP_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# HTTPS, behind a reverse proxy (README, "Production"): the proxy terminates TLS and says so in
# X-Forwarded-Proto; Django then redirects plain HTTP and sends HSTS. The health check stays reachable
# over plain HTTP for the load balancer's probes.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_SSL_REDIRECT = os.environ.get("GMMP_SSL_REDIRECT", "1" if PRODUCTION else "0") == "1"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("GMMP_HSTS_SECONDS", str(365 * 24 * 3600) if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_REFERRER_POLICY = "same-origin"
USE_X_FORWARDED_HOST = False

# Content Security Policy (django-csp): scripts and styles from this site only (htmx included), no
# inline script; images may be data: URIs (photos, QR codes). Style attributes are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
SESSION_COOKIE_AGE = 8 * 3600  # absolute limit of a session
# Idle limit: a session unused this long ends; pages warn two minutes before.
SESSION_IDLE_SECONDS = int(os.environ.get("GMMP_SESSION_IDLE_MINUTES", "30")) * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Evidence uploads
EVIDENCE_MAX_BYTES = int(os.environ.get("GMMP_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
EVIDENCE_CONTENT_TYPES = {"application/pdf": b"%PDF", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG"}
DATA_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_credentials": {"()": "gmmp.core.logfilters.RedactCredentialsFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_credentials"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GMMP_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# A cache shared by every worker (rate limits): the database is enough, no other service to run.
# Its table is created by a migration (core 0002).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gmmp_cache",
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
}
# Public and API laissez-passer checks: (requests, per seconds), per client address or API token.
LPC_VERIFY_RATE = (30, 60)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Background work: django-tasks with its database backend (no broker); `gmmp worker` runs the tasks.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (notifications): console locally (or `file`: one file per message under var/mail/), SMTP in
# production, configured from the environment.
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[os.environ.get("GMMP_EMAIL_BACKEND", "smtp" if PRODUCTION else "console")]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("GMMP_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("GMMP_EMAIL_PORT", "587" if PRODUCTION else "25"))
EMAIL_HOST_USER = os.environ.get("GMMP_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GMMP_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("GMMP_EMAIL_TLS", "1" if PRODUCTION else "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("GMMP_EMAIL_FROM", "GMMP <no-reply@gmmp.localhost>")
# Links in e-mails point here.
GMMP_BASE_URL = os.environ.get("GMMP_BASE_URL", "http://127.0.0.1:8000")
GMMP_MAIL_DOMAIN = os.environ.get("GMMP_MAIL_DOMAIN", "gmmp.localhost")

REGISTER_DIR = DATA_DIR / "register"  # the identification engine's memory-mapped index
