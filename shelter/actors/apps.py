from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "shelter.actors"
    verbose_name = "Actors and identifiers"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

        from shelter.records.models import Incident, Involvement

        from .legacy import move_after_migrate
        from .models import Actor, ActorName, Identifier

        post_save.connect(_linked, sender=Identifier, dispatch_uid="actors.identifier.linked")
        pre_delete.connect(_remember_links, sender=Identifier, dispatch_uid="actors.identifier.links")
        post_delete.connect(_unlinked, sender=Identifier, dispatch_uid="actors.identifier.unlinked")
        # Names written on involvements before actors were records become actors once the key is at hand.
        post_migrate.connect(move_after_migrate, sender=self, dispatch_uid="actors.legacy.moved")
        # Likely the same actor: found again when what is compared changes — a name, the actor's
        # organisations and dates, the incidents it is involved in (their dates and places).
        post_save.connect(_name_saved, sender=ActorName, dispatch_uid="actors.name.indexed")
        post_save.connect(_actor_saved, sender=Actor, dispatch_uid="actors.actor.linked")
        post_save.connect(_involvement_saved, sender=Involvement, dispatch_uid="actors.involvement.linked")
        post_save.connect(_incident_saved, sender=Incident, dispatch_uid="actors.incident.linked")
        pre_delete.connect(_remember_links, sender=Actor, dispatch_uid="actors.actor.links")
        post_delete.connect(_unlinked, sender=Actor, dispatch_uid="actors.actor.unlinked")


# Nothing is linked while a backup is restored (raw): `shelter restore` rebuilds the name index and
# the records come back with the links they had.


def _linked(sender, instance, raw=False, **kwargs):
    """Links are found as identifiers are saved."""
    if not raw:
        from .links import on_save

        on_save(instance)


def _name_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        from .links import on_name_saved

        on_name_saved(instance)


def _actor_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        from .links import on_actor_changed

        on_actor_changed(instance)


def _involvement_saved(sender, instance, raw=False, **kwargs):
    if not raw and instance.actor_id:
        from .links import on_actor_changed

        on_actor_changed(instance.actor)


def _incident_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:  # a new incident has no one involved yet
        return
    from .links import on_actor_changed
    from .models import Actor

    for actor in Actor.objects.filter(involvements__incident=instance).distinct():
        on_actor_changed(actor)


def _remember_links(sender, instance, **kwargs):
    instance._links = list(instance.link_sides.values_list("link_id", flat=True))


def _unlinked(sender, instance, **kwargs):
    from .links import drop_single_sided

    drop_single_sided(getattr(instance, "_links", []))
