"""Settings for every deployment; the environment chooses what differs.

`DATABASE_URL` selects the database (SQLite in `var/` by default, PostgreSQL
in production), `STEDENPLATFORM_SECRET_KEY` the signing key, and
`STEDENPLATFORM_DEBUG=1` the development mode.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("STEDENPLATFORM_VAR", PROJECT_DIR / "var"))
if os.environ.get("PYTEST_XDIST_WORKER"):
    # Parallel test workers each keep their own files (uploads, Parquet).
    VAR_DIR = VAR_DIR / f"test-{os.environ['PYTEST_XDIST_WORKER']}"
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("STEDENPLATFORM_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get(
    "STEDENPLATFORM_SECRET_KEY", "onveilig-alleen-voor-demo-en-tests-" + "x" * 20
)
ALLOWED_HOSTS = os.environ.get(
    "STEDENPLATFORM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'stedenplatform.sqlite3'}",
        conn_max_age=int(os.environ.get("STEDENPLATFORM_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "stedenplatform.core",
    "stedenplatform.plans",
    "stedenplatform.stats",
    "stedenplatform.social",
    "stedenplatform.rights",
    "stedenplatform.knowledge",
]
if IS_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")

# The order in which `stedenplatform load-demo` loads each module's demo data:
# later modules build on the organisations, areas and plans of earlier ones.
DEMO_LOADERS = [
    "stedenplatform.core.demo_data",
    "stedenplatform.plans.demo_data",
    "stedenplatform.stats.demo_data",
    "stedenplatform.social.demo_data",
    "stedenplatform.rights.demo_data",
    "stedenplatform.knowledge.demo_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "stedenplatform.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "stedenplatform.urls"
WSGI_APPLICATION = "stedenplatform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stedenplatform.core.context_processors.platform",
            ],
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "stedenplatform",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and os.environ.get("STEDENPLATFORM_HTTPS", "0") == "1":
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "stedenplatform": {
            "handlers": ["console"],
            "level": os.environ.get("STEDENPLATFORM_LOG_LEVEL", "WARNING"),
        }
    },
}

# Brevo (newsletter) and the Connector's signing key come from the environment.
BREVO_API_URL = os.environ.get("BREVO_API_URL", "https://api.brevo.com/v3")
BREVO_API_KEY = os.environ.get("BREVO_API_KEY", "")
