"""The API object: token authentication, no docs page (ninja's loads Swagger from a CDN), JSON
errors, and responses that no browser or proxy keeps."""

from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from shelter.records import sealing

from . import cases, evidence, incidents, legal_processes, notices, organisations, persons, screening, sources
from .auth import TokenAuth


class ShelterApi(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        response["Cache-Control"] = "no-store"
        return response


api = ShelterApi(
    title="Shelter API",
    version="1",
    description="Cases of transnational repression. Authenticate with `Authorization: Bearer <token>` "
    "(issued with `shelter token create`).",
    urls_namespace="api-v1",
    docs_url=None,
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
api.add_router("/screen", screening.router)
api.add_router("/notices", notices.router)
api.add_router("/alerts", notices.alerts_router)
