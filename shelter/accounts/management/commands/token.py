"""``shelter token``: issue, list and revoke API tokens.

A token expires (``--days``, 90 unless told, a year at most); it is revoked with its user's sessions
and when the user is deactivated, and suspended during a lockdown.

The clear token is printed once, at creation, and never stored: only its SHA-256 and its first
characters (the prefix, to tell tokens apart) are kept."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shelter.accounts.models import ApiToken, User
from shelter.audit.log import record

ACTOR = "command line"


class Command(BaseCommand):
    help = "Issue, list and revoke API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for, e.g. 'import script'")
        create.add_argument("--days", type=int, default=None,
                            help=f"how long it is valid (default {settings.SHELTER_TOKEN_DAYS}, at most {settings.SHELTER_TOKEN_MAX_DAYS})")
        revoke = actions.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")
        revoke.add_argument("--user", help="the token's user, where two tokens share a prefix")
        listing = actions.add_parser("list", help="a user's tokens (prefixes, never the tokens)")
        listing.add_argument("username")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    def create(self, username, name, days=None, **options):
        user = active_user(username)
        try:
            token, clear = ApiToken.objects.issue(user, name, days=days)
        except ValueError as e:
            raise CommandError(str(e)) from None
        record(ACTOR, "token", token, operation="create", user=user.get_username(), prefix=token.prefix,
               expires=token.expires_at.isoformat())
        self.stdout.write(clear)
        self.stderr.write("Store this token now: it is not shown again.")

    def revoke(self, prefix, user=None, **options):
        tokens = ApiToken.objects.filter(prefix=prefix, revoked_at=None).select_related("user")
        tokens = list(tokens.filter(user__username=user) if user else tokens)
        if not tokens:
            raise CommandError(f"no active token has the prefix {prefix!r}")
        if len(tokens) > 1:
            raise CommandError(f"{len(tokens)} active tokens share the prefix {prefix!r}: name the user with --user")
        token = tokens[0]
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(ACTOR, "token", token, operation="revoke", user=token.user.get_username(), prefix=token.prefix)
        self.stdout.write(f"Revoked {token.prefix} ({token.name}) of {token.user.get_username()}.")

    def list(self, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        for token in ApiToken.objects.filter(user=user).order_by("created_at"):
            state = f"revoked {when(token.revoked_at)}" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.prefix}  {token.name}  created {when(token.created_at)}  "
                f"expires {when(token.expires_at)}  last used {when(token.last_used_at)}  {state}"
            )


def active_user(username):
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"no active user {username!r}")
    return user


def when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "never"
