"""Django settings, derived from $SHELTER_HOME and SHELTER_* variables (see shelter.home)."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from shelter import home as _home

BASE_DIR = Path(__file__).resolve().parent
SHELTER_HOME = _home.shelter_home()
CONFIG = _home.load_config(SHELTER_HOME)

SECRET_KEY = _home.secret_key(SHELTER_HOME, CONFIG)
DEBUG = _home.as_bool(CONFIG.get("debug", False))
SHELTER_DEMO = _home.as_bool(CONFIG.get("demo", False))
# Production mode: neither a demo nor a debugging instance. Security requirements that would get in
# the way of a demo (mandatory MFA, HSTS, Secure cookies) apply in production mode.
SHELTER_PRODUCTION = not DEBUG and not SHELTER_DEMO
_hosts = CONFIG.get("allowed_hosts", "localhost,127.0.0.1,[::1]")
ALLOWED_HOSTS = [h.strip() for h in (_hosts.split(",") if isinstance(_hosts, str) else _hosts) if h.strip()]

SHELTER_MASTER_KEY_FILE = SHELTER_HOME / "master.key"
SHELTER_EVIDENCE_DIR = SHELTER_HOME / "evidence"
SHELTER_MAX_UPLOAD_BYTES = int(float(CONFIG.get("max_upload_mb", 25)) * 1024 * 1024)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shelter.accounts",
    "shelter.audit",
    "shelter.records",
    "shelter.front",
    "shelter.api",
    "shelter.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shelter.records.middleware.identity_scope",
]

ROOT_URLCONF = "shelter.urls"
WSGI_APPLICATION = "shelter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shelter.front.context.shelter",
            ],
        },
    },
]

DATABASES = {"default": _home.database(CONFIG.get("database_url"), SHELTER_HOME)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": str(SHELTER_HOME / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = SHELTER_HOME / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Uploads stay in memory up to the limit and are then rejected; nothing plain lands in /tmp.
FILE_UPLOAD_MAX_MEMORY_SIZE = SHELTER_MAX_UPLOAD_BYTES + 1
DATA_UPLOAD_MAX_MEMORY_SIZE = SHELTER_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on form posts,
# which Django's CSRF check rightly refuses. Nothing leaks to other sites either way.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not SHELTER_DEMO and _home.as_bool(CONFIG.get("https", True)):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True

# Requests are never logged with their bodies or query strings; errors go to stderr without locals.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "shelter": {"handlers": ["console"], "level": "INFO"},
    },
}
