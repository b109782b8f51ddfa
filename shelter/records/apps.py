from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    name = "shelter.records"
    verbose_name = "Records"

    def ready(self):
        from .thesauri import sync_thesauri

        post_migrate.connect(sync_thesauri, sender=self)
