from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "shelter.actors"
    verbose_name = "Actors and identifiers"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

        from .legacy import move_after_migrate
        from .models import Identifier

        post_save.connect(_linked, sender=Identifier, dispatch_uid="actors.identifier.linked")
        pre_delete.connect(_remember_links, sender=Identifier, dispatch_uid="actors.identifier.links")
        post_delete.connect(_unlinked, sender=Identifier, dispatch_uid="actors.identifier.unlinked")
        # Names written on involvements before actors were records become actors once the key is at hand.
        post_migrate.connect(move_after_migrate, sender=self, dispatch_uid="actors.legacy.moved")


def _linked(sender, instance, raw=False, **kwargs):
    """Links are found as identifiers are saved (not while a backup is restored: raw)."""
    if not raw:
        from .links import on_save

        on_save(instance)


def _remember_links(sender, instance, **kwargs):
    instance._links = list(instance.link_sides.values_list("link_id", flat=True))


def _unlinked(sender, instance, **kwargs):
    from .links import drop_single_sided

    drop_single_sided(getattr(instance, "_links", []))
