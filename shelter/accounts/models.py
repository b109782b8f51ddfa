import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    RESEARCHER = "researcher", _("Researcher")
    AUDITOR = "auditor", _("Auditor")


class User(AbstractUser):
    """A Shelter account. What it may see is decided by its role and the cases' access lists."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CASEWORKER)

    @property
    def sees_all_cases(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def reads_identity(self) -> bool:
        """Researchers work on pseudonymised records; auditors read the audit log only."""
        return self.role in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.CASEWORKER)

    @property
    def edits_records(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.COORDINATOR, Role.CASEWORKER)

    @property
    def reads_audit(self) -> bool:
        return self.role in (Role.ADMINISTRATOR, Role.AUDITOR)

    @property
    def manages_users(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def opens_cases(self) -> bool:
        return self.role in (Role.COORDINATOR, Role.CASEWORKER)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenManager(models.Manager):
    def issue(self, user, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """Create a token valid for ``days`` (default ``SHELTER_TOKEN_DAYS``, at most
        ``SHELTER_TOKEN_MAX_DAYS``); the clear text is returned once and never stored."""
        days = settings.SHELTER_TOKEN_DAYS if days is None else days
        if not 1 <= days <= settings.SHELTER_TOKEN_MAX_DAYS:
            raise ValueError(validity_error())
        clear = "sht_" + secrets.token_urlsafe(32)
        now = timezone.now()
        token = self.create(user=user, name=name, digest=_digest(clear), prefix=clear[:8],
                            created_at=now, expires_at=now + timedelta(days=days))
        return token, clear

    def usable(self):
        return self.filter(revoked_at=None, expires_at__gt=timezone.now(), user__is_active=True)

    def authenticate(self, clear: str):
        token = self.usable().select_related("user").filter(digest=_digest(clear)).first()
        if token is None:
            return None
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user

    def revoke_all(self, user) -> int:
        """Revoke every token of ``user``; returns how many were still valid."""
        return self.filter(user=user, revoked_at=None).update(revoked_at=timezone.now())


def validity_error() -> str:
    return _("A token is valid for between 1 and %(max)d days.") % {"max": settings.SHELTER_TOKEN_MAX_DAYS}


class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenManager()


class ApiSubmission(models.Model):
    """An ``Idempotency-Key`` an API client sent with a create request: a retried or repeated request
    with the same key is refused instead of creating the record twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("user", "key")]


class TOTPDevice(models.Model):
    """A user's authenticator (RFC 6238). The shared secret is stored sealed (see ``shelter.accounts.mfa``),
    never in clear; ``last_step`` is the last time step accepted, so a code cannot be used twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    sealed_secret = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)


class RecoveryCode(models.Model):
    """A one-time code standing in for the authenticator; only its keyed digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginFailure(models.Model):
    """One failed password, MFA code or re-authentication, counted to lock accounts and addresses.
    Rows older than the lock-out window are deleted; the audit log keeps the history."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)


class UserSession(models.Model):
    """A logged-in browser session, kept in sync by ``shelter.accounts.middleware.session_guard``.
    A session without a row here is not accepted, so deleting the row revokes the session."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)  # as Django's session table stores it
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    @property
    def agent_summary(self) -> str:
        """"Firefox · Linux" rather than the whole user-agent string."""
        return short_user_agent(self.user_agent)


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iOS"), ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux")]


def short_user_agent(agent: str) -> str:
    browser = next((name for token, name in _BROWSERS if token in agent), "")
    system = next((name for token, name in _SYSTEMS if token in agent), "")
    return " · ".join(part for part in (browser, system) if part) or agent[:40]
