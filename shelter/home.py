"""Where an instance keeps its state, and how it is configured.

Everything an instance owns (database file, master key, secret key, evidence files, backups by
default) lives under one directory: ``$SHELTER_HOME``, by default ``~/.local/share/shelter``.
Settings come from ``$SHELTER_HOME/shelter.toml`` and are overridden by ``SHELTER_*`` environment
variables, so that several instances can run side by side and tests never touch a user's data.
"""

import ipaddress
import os
import secrets
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlparse

DEFAULT_HOME = Path.home() / ".local" / "share" / "shelter"


class ConfigError(Exception):
    pass


def shelter_home() -> Path:
    home = Path(os.environ.get("SHELTER_HOME") or DEFAULT_HOME).expanduser().resolve()
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    return home


def load_config(home: Path) -> dict:
    path = home / "shelter.toml"
    config = {}
    if path.exists():
        try:
            config = tomllib.loads(path.read_text())
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: {e}") from e
    for key in ("database_url", "secret_key", "debug", "allowed_hosts", "max_upload_mb", "demo", "trusted_proxies",
                "import_max_mb", "import_max_rows", "audit_checkpoint_dir", "dns_server"):
        env = os.environ.get("SHELTER_" + key.upper())
        if env is not None:
            config[key] = env
    return config


def as_bool(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def networks(value) -> list:
    """``trusted_proxies``: addresses or networks, as a TOML list or a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    try:
        return [ipaddress.ip_network(str(item).strip(), strict=False) for item in items if str(item).strip()]
    except ValueError as e:
        raise ConfigError(f"trusted_proxies: {e} (give IP addresses or networks, not host names)") from e


def secret_key(home: Path, config: dict) -> str:
    if config.get("secret_key"):
        return config["secret_key"]
    path = home / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database(url: str | None, home: Path) -> dict:
    """Django DATABASES entry from a URL: ``postgres://user:pass@host:5432/name`` or ``sqlite:///path``."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(home / "shelter.sqlite3")}
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        # sqlite:////absolute/path.db, or sqlite:///name.db inside $SHELTER_HOME
        path = unquote(parts.path)
        name = path[1:] if path.startswith("//") else str(home / path.lstrip("/")) if path.strip("/") else ""
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name or str(home / "shelter.sqlite3")}
    if parts.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            # Kept open between requests (a new connection cost each request about 5 ms and a server
            # process of its own); checked before reuse, so a restarted server is not an error page.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            # PostgreSQL's JIT compiled a name search's plan in 80 ms for a query of 340 ms at a million
            # persons: a web page's queries are too short to repay it.
            "OPTIONS": {"options": "-c jit=off"},
        }
    raise ConfigError(f"unsupported database URL scheme {parts.scheme!r}: use postgres:// or sqlite://")
