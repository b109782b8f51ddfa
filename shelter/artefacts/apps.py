from django.apps import AppConfig


class ArtefactsConfig(AppConfig):
    name = "shelter.artefacts"
    verbose_name = "Suspicious messages and files"
