from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "shelter.security"
    verbose_name = "Security"
