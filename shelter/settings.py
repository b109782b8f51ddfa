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
# Signs audit-chain checkpoints (shelter audit checkpoint); created on first use, never in the database.
SHELTER_AUDIT_SIGNING_KEY_FILE = SHELTER_HOME / "audit-signing.key"
# Where checkpoints are written daily and on every backup: best a place the database's
# administrators cannot rewrite (another machine's mount, a synced folder).
SHELTER_AUDIT_CHECKPOINT_DIR = Path(CONFIG.get("audit_checkpoint_dir") or SHELTER_HOME / "audit-checkpoints")
SHELTER_EVIDENCE_DIR = SHELTER_HOME / "evidence"
SHELTER_MAX_UPLOAD_BYTES = int(float(CONFIG.get("max_upload_mb", 25)) * 1024 * 1024)
# The largest request body accepted at all (`shelter serve` answers 413 above it, before the app
# sees it): one upload and the rest of its form.
SHELTER_MAX_REQUEST_BYTES = SHELTER_MAX_UPLOAD_BYTES + 1024 * 1024
# Spreadsheets `shelter import` reads: the file's size (an XLSX may unpack to ten times as much) and rows.
SHELTER_IMPORT_MAX_BYTES = int(float(CONFIG.get("import_max_mb", 100)) * 1_000_000)
SHELTER_IMPORT_MAX_ROWS = int(CONFIG.get("import_max_rows", 100_000))
# The name server `shelter triage --online` asks (HOST[:PORT], an IP address); empty: the system's resolver.
SHELTER_DNS_SERVER = str(CONFIG.get("dns_server", "") or "")

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
    "shelter.security",
    "shelter.screening",
    "shelter.notices",
    "shelter.returns",
    "shelter.artefacts",
    "shelter.actors",
    "shelter.exportcontrol",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "shelter.security.headers.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shelter.security.lockdown.LockdownMiddleware",
    "shelter.accounts.middleware.session_guard",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Outside identity_scope, so that it sees the read_identity event of the request it follows.
    "shelter.security.alerts.alert_middleware",
    "shelter.records.middleware.identity_scope",
]

ROOT_URLCONF = "shelter.urls"
WSGI_APPLICATION = "shelter.wsgi.application"

FORM_RENDERER = "shelter.front.forms.FormRenderer"

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
                "shelter.security.context.security",
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

# Authentication hardening (shelter.accounts): MFA, throttling, session lifetimes, re-authentication.
SHELTER_MFA_REQUIRED = SHELTER_PRODUCTION  # TOTP for every role
SHELTER_MFA_ISSUER = CONFIG.get("mfa_issuer", "Shelter")  # the name shown in authenticator apps
SHELTER_LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
SHELTER_LOGIN_MAX_FAILURES_PER_ADDRESS = 20
SHELTER_LOGIN_LOCKOUT_MINUTES = 15  # failures are counted over, and lock for, this many minutes
SHELTER_SESSION_IDLE_MINUTES = 30
SHELTER_SESSION_MAX_HOURS = 8
SHELTER_REAUTH_MINUTES = 10
SHELTER_TOKEN_DAYS = 90  # an API token's validity unless its creator chooses another
SHELTER_TOKEN_MAX_DAYS = 365
# Reverse proxies whose X-Forwarded-For names the real client (shelter.audit.log.client_ip); without
# them every client behind the proxy would share, and be locked out under, the proxy's address.
SHELTER_TRUSTED_PROXIES = _home.networks(CONFIG.get("trusted_proxies", ""))

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

# Uploads stay in memory (never TemporaryFileUploadHandler: nothing plain lands in /tmp) and the
# form refuses one over the limit. The memory handler takes a file only if the whole request body
# fits FILE_UPLOAD_MAX_MEMORY_SIZE, so that is the request limit: with the upload limit alone, a
# file near it would silently vanish from the form, envelope and all.
FILE_UPLOAD_MAX_MEMORY_SIZE = SHELTER_MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = SHELTER_MAX_REQUEST_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": with no-referrer browsers send "Origin: null" on form posts,
# which Django's CSRF check rightly refuses; accepting "null" would accept posts from sandboxed
# frames and data: pages of any site. With same-origin nothing leaks to other sites either.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# shelter.security.headers: nothing inline, nothing from another origin (htmx is told not to inject
# its indicator <style>, see base.html).
SHELTER_CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SHELTER_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
        "usb", "xr-spatial-tracking",
    )
)
# Production instances are served over HTTPS (config `https`, default true) by a TLS-terminating
# proxy; with `proxy_ssl_header = true` Shelter trusts its X-Forwarded-Proto and redirects HTTP.
SHELTER_HTTPS = SHELTER_PRODUCTION and _home.as_bool(CONFIG.get("https", True))
if SHELTER_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _home.as_bool(CONFIG.get("hsts_preload", False))
    if _home.as_bool(CONFIG.get("proxy_ssl_header", False)):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        SECURE_SSL_REDIRECT = True
# HSTS preload commits the whole domain for years: the operator opts in with `hsts_preload = true`.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Lockdown (shelter.security.lockdown): the only views that accept a POST while it is on: logging
# in and out, lifting the lockdown, taking access away (sessions, API tokens), and screening a name in
# the UI, which only reads (a notice arriving during a lockdown still has to be checked). API tokens
# are suspended altogether (shelter.api.auth).
SHELTER_LOCKDOWN_EXEMPT_VIEWS = [
    "login", "login-code", "login-confirm", "logout", "set_language", "security-lockdown",
    "session-revoke", "sessions-revoke-others", "user-sessions-revoke", "token-revoke",
    "screen",
]
# Insider alerts (shelter.security.alerts): thresholds per user.
SHELTER_ALERT_READS_PER_HOUR = int(CONFIG.get("alert_reads_per_hour", 200))
SHELTER_ALERT_EXPORTS_PER_DAY = int(CONFIG.get("alert_exports_per_day", 3))
# A user's dossiers (full identity exports of one person each) per 24 hours before each further one
# needs a two-person ExportApproval (shelter.front.views.returns).
SHELTER_DOSSIERS_PER_DAY = int(CONFIG.get("dossiers_per_day", 5))
# Exports with identity data need a two-person ExportApproval (shelter.security.approvals).
SHELTER_EXPORT_APPROVAL = _home.as_bool(CONFIG.get("export_approval", True))
SHELTER_BACKUP_DIR = Path(CONFIG.get("backup_dir") or SHELTER_HOME / "backups")

# Requests are never logged with their bodies or query strings; errors go to stderr without locals.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold_paths": {"()": "shelter.logfilters.WithholdRequestPaths"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        # 4xx/5xx responses are logged with their path, which may hold a name someone typed.
        "django.request": {"filters": ["withhold_paths"]},
        "django.security.csrf": {"filters": ["withhold_paths"]},
        # Never DEBUG, whatever "django" is raised to: its DEBUG records carry whole template contexts.
        "django.template": {"level": "INFO"},
        "shelter": {"handlers": ["console"], "level": "INFO"},
    },
}
