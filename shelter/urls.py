from django.urls import include, path

urlpatterns = [
    path("api/", include("shelter.api.urls")),
    path("", include("shelter.accounts.urls")),
    path("security/", include("shelter.security.urls")),
    path("", include("shelter.front.urls")),
]
