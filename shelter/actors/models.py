"""Actors of transnational repression within a case — the officer, the informant, the "consular official",
the hacker persona — and the identifiers they leave (a phone, an account, a car). Names and values are
identity data, sealed with the case's key; each identifier also keeps a keyed digest of its one written
form (shelter.identifiers), so that the same phone in two cases can be linked without either case's
value being read. Links between cases are kept for coordinators to confirm or reject."""

import uuid

from django.conf import settings
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shelter.crypto.blind import pseudonym
from shelter.identifiers.normalise import family, normalise
from shelter.matching import scripts
from shelter.records import sealing
from shelter.records.fields import CountryField, PartialDateField, SealedField
from shelter.records.models import Case, CaseScoped, Incident, Organisation, Person, Source, case_erased


class ActorKind(models.TextChoices):
    INTELLIGENCE_OFFICER = "intelligence_officer", _("Intelligence officer")
    POLICE = "police", _("Police officer")
    INFORMANT = "informant", _("Informant")
    PROVOCATEUR = "provocateur", _("Agent provocateur")
    CONSULAR = "consular", _("Embassy or consular official")
    HACKER = "hacker", _("Hacker persona")
    PRESSURED_RELATIVE = "pressured_relative", _("Relative under pressure")
    UNKNOWN = "unknown", _("Unknown")


class Confidence(models.TextChoices):
    ALLEGED = "alleged", _("Alleged")
    CORROBORATED = "corroborated", _("Corroborated")
    ESTABLISHED = "established", _("Established")


class Actor(CaseScoped):
    kind = models.CharField(_("kind"), max_length=30, choices=ActorKind.choices, default=ActorKind.UNKNOWN)
    claimed_organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                             verbose_name=_("claims to be from"))
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="actors",
                                     verbose_name=_("established affiliation"))
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices, default=Confidence.ALLEGED)
    first_seen = PartialDateField(pgettext_lazy("actor", "first seen"), blank=True)
    last_seen = PartialDateField(pgettext_lazy("actor", "last seen"), blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="actors", verbose_name=_("sources"))
    notes = SealedField(_("notes"), long=True)
    # The importer's own id (``shelter actors import``), found again by a keyed digest: re-importing updates.
    external_id = SealedField(_("external reference"))
    external_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def save(self, *args, **kwargs):
        value = self.__dict__.get("external_id")
        if isinstance(value, str):
            self.external_id_index = external_id_digest(self.case_id, value) if value else ""
        super().save(*args, **kwargs)

    def set_names(self, primary: str, aliases=()) -> None:
        """The names the actor is known by, replacing those it had (its links to likely same actors
        of other cases are found again once, with all of them)."""
        from . import links

        with links.holding(self):
            self.names.all().delete()
            ActorName.objects.create(actor=self, value=primary, kind="primary")
            for alias in aliases:
                ActorName.objects.create(actor=self, value=alias, kind="alias")

    @property
    def pseudonym(self) -> str:
        return pseudonym(sealing.index_key(), str(self.pk), "A")

    def primary_name(self) -> str:
        names = sorted(self.names.all(), key=lambda n: n.kind != "primary")
        return names[0].value if names else ""

    def display_name(self) -> str:
        if not sealing.current().reveal:
            return self.pseudonym
        return self.primary_name() or self.pseudonym

    def __str__(self):
        return self.display_name()


def external_id_digest(case_id, value: str) -> str:
    return sealing.blind(f"{case_id}:{value.strip()}", "actor.external_id")


class ActorName(CaseScoped):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="names")
    value = SealedField(_("name"))
    script = models.CharField(_("script"), max_length=4, blank=True, help_text=_("ISO 15924, e.g. Cyrl, Latn"))
    kind = models.CharField(_("kind"), max_length=10, choices=[("primary", _("Primary")), ("alias", _("Alias"))], default="primary")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("name")

    def save(self, *args, **kwargs):
        self.case_id = self.actor.case_id
        if not self.script and isinstance(self.value, str):
            self.script = scripts.iso_15924(self.value)
        super().save(*args, **kwargs)


class ActorNameKey(models.Model):
    """Blind index of actors' names: keyed digests of the name matcher's blocking keys of each name
    (``shelter.actors.name_index``), so that actors of other cases likely named alike are found without
    a name being read. In a domain of their own: an actor's digest never equals a targeted person's,
    so the index does not tell that a relative recorded in one case is an informant in another."""

    name = models.ForeignKey(ActorName, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, db_index=True)

    def __repr__(self):
        return f"<ActorNameKey: {self.pk}>"


class IdentifierKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    SIGNAL = "signal", "Signal"
    IMO = "imo", "IMO"
    VIBER = "viber", "Viber"
    VK = "vk", _("VK")
    OK = "ok", _("Odnoklassniki")
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    PLATE = "plate", _("Vehicle plate")
    ADDRESS = "address", _("Postal address")
    IP = "ip", _("IP address")
    WALLET = "wallet", _("Crypto wallet")
    IBAN = "iban", _("IBAN")
    BANK_ACCOUNT = "bank_account", _("Bank account")
    PASSPORT = "passport", _("Identity document number")


def identifier_digest(kind: str, value: str, country: str = "") -> str:
    """The keyed digest of an identifier's one written form (IdentifierError when it is not one)."""
    return sealing.blind(f"{family(kind)}:{normalise(kind, value, country)}", "identifier")


class Identifier(CaseScoped):
    """A phone, an account, a plate… of an actor, a targeted person, or an incident (the number that called)."""

    kind = models.CharField(_("kind"), max_length=20, choices=IdentifierKind.choices)
    value = SealedField(_("value"))
    country = CountryField(_("country"), blank=True, help_text=_("Reads national phone numbers; places plates and documents"))
    digest = models.CharField(max_length=64, db_index=True, editable=False)
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="identifiers")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="identifiers")
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="identifiers")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [models.CheckConstraint(
            condition=models.Q(actor__isnull=False, person__isnull=True, incident__isnull=True)
            | models.Q(actor__isnull=True, person__isnull=False, incident__isnull=True)
            | models.Q(actor__isnull=True, person__isnull=True, incident__isnull=False),
            name="identifier_has_one_owner")]

    @property
    def owner(self):
        return self.actor or self.person or self.incident

    def save(self, *args, **kwargs):
        self.case_id = self.owner.case_id
        value = self.__dict__.get("value")
        if isinstance(value, str):
            self.digest = identifier_digest(self.kind, value, self.country)
        super().save(*args, **kwargs)


class LinkKind(models.TextChoices):
    IDENTIFIER = "identifier", _("Same identifier")
    SAME_ACTOR = "same_actor", _("Likely the same actor")


class LinkStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("link", "Open")
    CONFIRMED = "confirmed", pgettext_lazy("link", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("link", "Rejected")


class Link(models.Model):
    """Records of different cases that may be one actor's: the same identifier (one digest) or a likely
    same actor. Not case-scoped: only coordinators, who see every case, see its sides."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    key = models.CharField(max_length=64, unique=True)  # the identifier's digest, or the pair of actors'
    identifier_kind = models.CharField(max_length=20, blank=True, choices=IdentifierKind.choices)
    score = models.FloatField(null=True, blank=True)  # same_actor: shelter.network.likeness
    # same_actor: why, as codes and numbers (shelter.network.likeness.Reason), never a name or a place.
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=LinkStatus.choices, default=LinkStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"L-{str(self.pk)[:6].upper()}"


class LinkSide(models.Model):
    """One record a link joins: an identifier, or an actor (same_actor links)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="sides")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    identifier = models.ForeignKey(Identifier, null=True, blank=True, on_delete=models.CASCADE, related_name="link_sides")
    actor = models.ForeignKey(Actor, null=True, blank=True, on_delete=models.CASCADE, related_name="link_sides")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "identifier"], name="link_side_identifier_once"),
                       models.UniqueConstraint(fields=["link", "actor"], name="link_side_actor_once")]


@receiver(case_erased)
def _forget_erased_case(sender, case, **kwargs):
    """An erased case's digests (of identifiers, of actors' names) would still confirm a guess at its
    values: they go with its key, and so do its sides of links (a link left with one case is no link)."""
    from . import links, name_index

    Identifier.objects.filter(case=case).update(digest="")
    Actor.objects.filter(case=case).update(external_id_index="")
    name_index.forget_case(case)
    touched = set(LinkSide.objects.filter(case=case).values_list("link_id", flat=True))
    LinkSide.objects.filter(case=case).delete()
    links.drop_single_sided(touched)
