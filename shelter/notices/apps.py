from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "shelter.notices"
    label = "wanted"  # the app's first name: its tables and migrations keep it
    default_auto_field = "django.db.models.BigAutoField"
