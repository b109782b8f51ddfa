from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="security"),
    path("lockdown/", views.lockdown_switch, name="security-lockdown"),
    path("alerts/<int:pk>/acknowledge/", views.alert_acknowledge, name="security-alert-ack"),
    path("exports/", views.export_approvals, name="security-exports"),
    path("exports/<uuid:pk>/approve/", views.export_approve, name="security-export-approve"),
]
