"""``shelter security check``: is this deployment configured as docs/production.md says?

Each check returns a ``Result``; a check that cannot apply (the database check when skipped) is
``SKIP``, never a silent pass.
"""

import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks as django_checks
from django.db import DatabaseError, connection

from shelter.crypto import keys
from shelter.exchange import archive

ONE_YEAR = 365 * 24 * 3600
MIN_SECRET_BITS = 256
MIN_SECRET_LENGTH = 50


@dataclass
class Result:
    status: str  # "OK", "FAIL" or "SKIP"
    name: str
    message: str

    def line(self) -> str:
        return f"{self.status:<4} {self.name}: {self.message}"


def ok(name, message):
    return Result("OK", name, message)


def fail(name, message):
    return Result("FAIL", name, message)


def run_all(skip_database=False) -> list[Result]:
    results = [
        check_debug(),
        check_demo(),
        check_secret_key(),
        check_config_file(),
        check_master_key(),
        check_home(),
        check_allowed_hosts(),
        check_cookies(),
        check_hsts(),
        check_https(),
        check_client_address(),
        check_mfa(),
        check_export_approval(),
        Result("SKIP", "database", "skipped (--skip-database): check it on the production server") if skip_database
        else check_database(),
        check_backups(),
        check_audit_checkpoints(),
    ]
    return results + django_deploy_checks()


def check_debug():
    if settings.DEBUG:
        return fail("debug", "DEBUG is on: remove `debug` from shelter.toml and SHELTER_DEBUG from the environment")
    return ok("debug", "DEBUG is off")


def check_demo():
    if settings.SHELTER_DEMO:
        return fail("demo", "demo mode is on: set `demo = false` (or unset SHELTER_DEMO); demo instances hold fictional data only")
    return ok("demo", "demo mode is off")


def secret_bits(secret: str) -> float:
    """A generous estimate: length × log2(distinct characters)."""
    distinct = len(set(secret))
    return len(secret) * math.log2(distinct) if distinct > 1 else 0.0


def check_secret_key():
    secret = settings.SECRET_KEY
    if len(secret) < MIN_SECRET_LENGTH or secret_bits(secret) < MIN_SECRET_BITS or secret.startswith("django-insecure"):
        return fail("secret key", f"too short or too guessable: use at least {MIN_SECRET_LENGTH} random characters "
                    "(delete $SHELTER_HOME/secret.key and unset `secret_key` to have one generated)")
    if settings.CONFIG.get("secret_key"):
        return ok("secret key", "long and random (from the configuration)")
    return private_file("secret key", settings.SHELTER_HOME / "secret.key")


def private_file(name, path: Path):
    if not path.exists():
        return fail(name, f"{path} is missing")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return fail(name, f"{path} has mode {mode:04o}: run `chmod 600 {path}`")
    return ok(name, f"{path} is readable by its owner only")


def check_config_file():
    path = settings.SHELTER_HOME / "shelter.toml"
    if not path.exists():
        return ok("shelter.toml", "no configuration file (settings come from the environment)")
    # It may hold the database password and the secret key.
    return private_file("shelter.toml", path)


def check_master_key():
    if os.environ.get(keys.ENV_VAR):
        return ok("master key", f"from the environment ({keys.ENV_VAR})")
    return private_file("master key", settings.SHELTER_MASTER_KEY_FILE)


def check_home():
    home = settings.SHELTER_HOME
    mode = stat.S_IMODE(home.stat().st_mode)
    if mode & 0o077:
        return fail("SHELTER_HOME", f"{home} has mode {mode:04o}: run `chmod 700 {home}`")
    return ok("SHELTER_HOME", f"{home} is accessible to its owner only")


def check_allowed_hosts():
    hosts = settings.ALLOWED_HOSTS
    if not hosts or "*" in hosts:
        return fail("allowed hosts", "set `allowed_hosts` to the instance's host name(s), never `*`")
    local = {"localhost", "127.0.0.1", "[::1]"}
    if set(hosts) <= local:
        return fail("allowed hosts", "only local host names: set `allowed_hosts` to the public host name")
    return ok("allowed hosts", ", ".join(hosts))


def check_cookies():
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        return fail("cookies", "session and CSRF cookies are not Secure: keep `https = true` (the default) and turn demo and debug mode off")
    return ok("cookies", "session and CSRF cookies are Secure and HttpOnly" if settings.SESSION_COOKIE_HTTPONLY
              else "session and CSRF cookies are Secure")


def check_hsts():
    if settings.SECURE_HSTS_SECONDS < ONE_YEAR or not settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        return fail("HSTS", "Strict-Transport-Security is off: keep `https = true` (the default) and turn demo and debug mode off")
    return ok("HSTS", f"max-age={settings.SECURE_HSTS_SECONDS}; includeSubDomains")


def not_production():
    return "not in production mode (demo or debug mode is on): turn both off"


def check_https():
    # `shelter serve` speaks plain HTTP: TLS ends at the reverse proxy, which must say so.
    if not settings.SHELTER_PRODUCTION:
        return fail("https", not_production())
    if not settings.SHELTER_HTTPS:
        return fail("https", "`https = false`: serve Shelter over HTTPS only and keep `https = true`")
    if not settings.SECURE_PROXY_SSL_HEADER:
        return fail("https", "set `proxy_ssl_header = true` and have the TLS proxy set X-Forwarded-Proto "
                    "(overwriting any the client sent); otherwise Shelter cannot tell HTTPS requests from HTTP ones")
    if not settings.SECURE_SSL_REDIRECT:
        return fail("https", "plain HTTP requests are not redirected to HTTPS")
    return ok("https", "behind a TLS proxy (X-Forwarded-Proto); HTTP is redirected to HTTPS")


def check_client_address():
    # Behind the TLS proxy that check_https requires, REMOTE_ADDR is the proxy's for every client.
    if not settings.SHELTER_TRUSTED_PROXIES:
        return fail("client address", "set `trusted_proxies` to the reverse proxy's address: otherwise every client "
                    "is the proxy, and 20 failed logins from anyone lock everyone out")
    return ok("client address", "from X-Forwarded-For, believed from " + ", ".join(map(str, settings.SHELTER_TRUSTED_PROXIES)))


def check_mfa():
    required = getattr(settings, "SHELTER_MFA_REQUIRED", None)
    if required is None:
        return fail("MFA", "this Shelter has no multi-factor authentication setting (SHELTER_MFA_REQUIRED)")
    if not required:
        return fail("MFA", "multi-factor authentication is not required: " + not_production())
    from shelter.accounts import mfa
    from shelter.accounts.models import Role

    exempt = [role for role in Role.values if not mfa.required_for(role)]
    if exempt:
        return fail("MFA", "multi-factor authentication is not required for " + ", ".join(exempt))
    return ok("MFA", "required for every account")


def check_export_approval():
    if not settings.SHELTER_EXPORT_APPROVAL:
        return fail("export approval", "exports with identity data do not need two-person approval: "
                    "remove `export_approval = false`")
    return ok("export approval", "exports with identity data need two-person approval")


def check_database():
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        return fail("database", "SQLite is for a single user: a multi-user production instance needs PostgreSQL "
                    "(`database_url = \"postgres://…\"`)")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
    except DatabaseError as e:
        # The driver's first line names the host and the problem, never the password.
        return fail("database", f"cannot connect to PostgreSQL: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
    if row is None or row[0]:
        return fail("database", "the database user is a PostgreSQL superuser: connect as a user that only owns the "
                    "Shelter database (`createuser shelter; createdb -O shelter shelter`)")
    return ok("database", "PostgreSQL, as a user without superuser rights")


def check_backups():
    directory = settings.SHELTER_BACKUP_DIR
    if not directory.exists():
        return ok("backups", f"no backup directory ({directory})")
    plain = [p for p in sorted(directory.rglob("*")) if p.is_file() and not is_encrypted_backup(p)]
    if plain:
        shown = ", ".join(p.name for p in plain[:5]) + (" …" if len(plain) > 5 else "")
        return fail("backups", f"{len(plain)} file(s) in {directory} are not encrypted `shelter backup` archives "
                    f"({shown}): move or delete them")
    return ok("backups", f"every file in {directory} is an encrypted archive")


def check_audit_checkpoints():
    """The newest checkpoint kept outside the database: without a recent one, the end of the audit
    log could be cut off unnoticed."""
    from django.utils import timezone

    from shelter.audit import checkpoint as checkpoints
    from shelter.audit import outside

    try:
        kept = outside.latest()
    except (checkpoints.CheckpointError, OSError, ValueError) as e:
        return fail("audit checkpoints", f"the newest one in {settings.SHELTER_AUDIT_CHECKPOINT_DIR} cannot be trusted ({e})")
    if kept is None:
        if Path(settings.SHELTER_AUDIT_SIGNING_KEY_FILE).exists():
            return fail("audit checkpoints", f"none in {settings.SHELTER_AUDIT_CHECKPOINT_DIR}, though this instance "
                        "has signed the log before: were they deleted?")
        return ok("audit checkpoints", "none yet: `shelter serve` takes one daily, `shelter backup` one each time")
    age = timezone.now() - kept.created_at
    if age > outside.STALE:
        return fail("audit checkpoints", f"the newest is {age.days} days old: is `shelter serve` running?")
    return ok("audit checkpoints", f"the newest holds the log up to #{kept.head.sequence}, taken {kept.created_at:%Y-%m-%d %H:%M} UTC")


def is_encrypted_backup(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(archive.MAGIC)) == archive.MAGIC
    except OSError:
        return False


def django_deploy_checks() -> list[Result]:
    messages = django_checks.run_checks(include_deployment_checks=True)
    results = []
    for message in messages:
        if message.is_silenced() or message.level < django_checks.WARNING:
            continue
        results.append(fail(f"django {message.id}", f"{message.msg} {message.hint or ''}".strip()))
    return results or [ok("django check --deploy", "no warnings")]
