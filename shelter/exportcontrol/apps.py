from django.apps import AppConfig


class ExportControlConfig(AppConfig):
    name = "shelter.exportcontrol"
    label = "exportcontrol"
    default_auto_field = "django.db.models.BigAutoField"
