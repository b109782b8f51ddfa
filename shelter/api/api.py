"""The API object: token authentication, no docs page (ninja's loads Swagger from a CDN), JSON
errors, and responses that no browser or proxy keeps."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError

from shelter.records import sealing

from . import actors, artefacts, cases, evidence, exports, incidents, legal_processes, notices, organisations, persons, screening, sources
from .auth import TokenAuth


class ShelterApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "no-store"
        return response


NO_STORE = {"Cache-Control": "no-store"}


def users_only(view):
    """The schema maps every operation and field an attacker could probe: it is served to a valid
    token, or to a logged-in browser (reading it there runs nothing through the API)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_authenticated:
            try:
                user = TokenAuth()(request)
            except HttpError as e:  # lockdown, the hourly read threshold
                return JsonResponse({"detail": str(e)}, status=e.status_code, headers=NO_STORE)
            if user is None:
                return JsonResponse({"detail": "authentication required"}, status=401, headers=NO_STORE)
        return view(request, *args, **kwargs)

    return guarded


api = ShelterApi(
    title="Shelter API",
    version="1",
    description="Cases of transnational repression. Authenticate with `Authorization: Bearer <token>` "
    "(issued with `shelter token create`).",
    urls_namespace="api-v1",
    docs_url=None,
    docs_decorator=users_only,
    auth=TokenAuth(),
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(sealing.Erased)
def case_erased(request, exc):
    return api.create_response(request, {"detail": "the case was crypto-erased"}, status=400)


api.add_router("/cases", cases.router)
api.add_router("/persons", persons.router)
api.add_router("/organisations", organisations.router)
api.add_router("/incidents", incidents.router)
api.add_router("/legal-processes", legal_processes.router)
api.add_router("/sources", sources.router)
api.add_router("/evidence", evidence.router)
api.add_router("/suspicious", artefacts.router)
api.add_router("/campaigns", artefacts.campaigns_router)
api.add_router("/actors", actors.router)
api.add_router("/links", actors.links_router)
api.add_router("/screen", screening.router)
api.add_router("/notices", notices.router)
api.add_router("/exports", exports.router)
api.add_router("/alerts", notices.alerts_router)
