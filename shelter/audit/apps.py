from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shelter.audit"
