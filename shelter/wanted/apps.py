from django.apps import AppConfig


class WantedConfig(AppConfig):
    name = "shelter.wanted"
    label = "wanted"
    default_auto_field = "django.db.models.BigAutoField"
