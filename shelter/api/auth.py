"""Bearer-token authentication. Sessions are not accepted by the API, so a browser's cookies can
never act through it (and there is no CSRF surface)."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from shelter.accounts.models import ApiToken, Role
from shelter.records import sealing
from shelter.security import alerts, lockdown


class TokenAuth(HttpBearer):
    def __call__(self, request):
        # Overrides HttpBearer.__call__, which logs a malformed header (possibly a token) in DEBUG.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        user = ApiToken.objects.authenticate(token)
        if user is None:
            return None
        if user.role == Role.AUDITOR:
            raise HttpError(403, _("Auditors read the audit log only, and the API serves no audit log."))
        # Suspended, not revoked: a token minted by a compromised session reads nothing during the
        # incident, and the others work again once it is understood and the lockdown lifted.
        if lockdown.is_active():
            raise HttpError(503, _("Shelter is in lockdown: API tokens are suspended until an administrator lifts it."))
        # Past the hourly threshold of identity reads the UI raises an alert; a script paging through
        # every person would have it all before anyone looked, so the API also stops serving.
        if user.reads_identity and alerts.over_read_threshold(user):
            alerts.check(user)
            raise HttpError(429, _("You read the identity data of more than %(count)d records in the last hour: the API "
                                   "serves you again when the hour has passed. Identity data in bulk leaves Shelter "
                                   "through an export with two-person approval.")
                            % {"count": settings.SHELTER_ALERT_READS_PER_HOUR})
        # The identity_scope middleware opened the scope for the session user (usually anonymous);
        # from here on, decryption and the read audit follow the token's user.
        request.user = user
        sealing.current().reveal = user.reads_identity
        return user
