"""Response headers that Django's SecurityMiddleware does not set: a strict Content-Security-Policy
(no inline script or style anywhere, nothing from another origin), Permissions-Policy and
Cross-Origin-Resource-Policy, and ``Cache-Control: no-store`` on every response but static files.
Cross-Origin-Opener-Policy, nosniff, Referrer-Policy and HSTS come
from Django's own settings."""

from django.conf import settings


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Content-Security-Policy", settings.SHELTER_CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", settings.SHELTER_PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        # Every page may show identity data (a name, a search result, an error quoting a form), and a
        # per-view list misses one: nothing but static files may be kept on a laptop's disk or a proxy.
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response

    return middleware
