from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "shelter.screening"
    verbose_name = "Screening"
