from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecordsConfig(AppConfig):
    name = "shelter.records"
    verbose_name = "Records"

    def ready(self):
        from . import tallies
        from .external_ids import seal_after_migrate
        from .thesauri import sync_thesauri

        tallies.watch()
        post_migrate.connect(sync_thesauri, sender=self)
        post_migrate.connect(seal_after_migrate, sender=self)
