from shelter.audit.log import record

from . import sealing

MAX_LOGGED_OBJECTS = 200


def identity_scope(get_response):
    """Decrypt identity data only for roles that may read it, and audit every record read."""

    def middleware(request):
        user = request.user
        reveal = user.is_authenticated and user.reads_identity
        with sealing.scope(reveal=reveal) as scope:
            response = get_response(request)
            user = request.user  # API token authentication sets it inside the view
            if scope.reads and user.is_authenticated:
                objects = [{"type": t, "id": i, "case": str(c)} for (t, i), c in scope.reads.items()]
                record(
                    user,
                    "read_identity",
                    request=request,
                    object_type="many" if len(objects) > 1 else objects[0]["type"],
                    object_id="" if len(objects) > 1 else objects[0]["id"],
                    count=len(objects),
                    objects=objects[:MAX_LOGGED_OBJECTS],
                    path=request.resolver_match.view_name if request.resolver_match else "",
                )
        return response

    return middleware
