from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("login/confirm/", views.login_confirm, name="login-confirm"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/mfa/", views.mfa_enrol, name="mfa-enrol"),
    path("account/sessions/<int:pk>/revoke/", views.session_revoke, name="session-revoke"),
    path("account/sessions/revoke-others/", views.sessions_revoke_others, name="sessions-revoke-others"),
    path("account/users/<int:pk>/sessions/revoke/", views.user_sessions_revoke, name="user-sessions-revoke"),
]
