"""The documentation model: cases, persons, organisations, incidents, legal processes, sources and
evidence. Identity data is sealed with the owning case's data key (see fields.SealedField)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.query import ModelIterable
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from shelter import countries
from shelter.assessment import time_limits
from shelter.crypto import aead, keys
from shelter.crypto.blind import pseudonym
from shelter.matching import scripts

from . import name_index, sealing, topics
from .fields import Ciphertext, CountryField, PartialDateField, SealedField

# Sent by ``Case.erase`` before the case's key is destroyed, with ``case``: the apps built on records
# delete what ties the case to data sealed under other keys (an alert on a public notice), which the
# lost key would not make unreadable.
case_erased = Signal()


class KeyMaterial(models.Model):
    """Instance-wide keys, stored wrapped by the master key (never in clear)."""

    name = models.CharField(max_length=40, primary_key=True)
    wrapped = models.BinaryField()

    @classmethod
    def unwrapped(cls, name: str) -> bytes:
        row = cls.objects.filter(pk=name).first()
        if row is None:
            key = aead.new_key()
            cls.objects.get_or_create(pk=name, defaults={"wrapped": keys.wrap(sealing.master_key(), key, name)})
            row = cls.objects.get(pk=name)
        try:
            return keys.unwrap(sealing.master_key(), bytes(row.wrapped), name)
        except aead.DecryptionError as e:
            raise keys.MasterKeyError("the master key does not fit this database") from e


class Term(models.Model):
    """A term of a versioned thesaurus in shelter/data (synced after every migrate)."""

    thesaurus = models.CharField(max_length=30)
    code = models.CharField(max_length=40)
    category = models.CharField(max_length=30, blank=True)
    version = models.CharField(max_length=20)

    class Meta:
        unique_together = [("thesaurus", "code")]
        ordering = ["thesaurus", "id"]

    def __str__(self):
        from django.utils.translation import get_language

        from shelter import thesaurus

        return thesaurus.label(self.thesaurus, self.code, (get_language() or "en")[:2])


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    title = SealedField(_("title"))
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    notes = SealedField(_("notes"), long=True)
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CaseAccess", related_name="cases", verbose_name=_("handlers")
    )
    external_source = models.CharField(max_length=200, blank=True)
    never_publish = models.BooleanField(
        _("never publish"), default=False,
        help_text=_("Keep every record of this case out of published data, scorecards and briefs, even anonymised."))
    # The case's data key, wrapped by the master key. None once crypto-erased.
    wrapped_key = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on", "reference"]
        indexes = [models.Index(fields=["-opened_on", "reference"], name="records_case_list_order")]

    def __str__(self):
        return self.reference

    @property
    def sealing_case_id(self):
        return self.pk

    @property
    def erased(self) -> bool:
        return self.wrapped_key is None and not self._state.adding

    def sealing_key(self) -> bytes:
        return sealing.unwrap_case_key(self.pk, self.wrapped_key)

    def save(self, *args, **kwargs):
        if self._state.adding and self.wrapped_key is None:
            self.wrapped_key = keys.wrap(sealing.master_key(), aead.new_key(), sealing.case_label(self.pk))
        if not self.reference:
            self.reference = Case.next_reference()
        super().save(*args, **kwargs)

    @staticmethod
    def next_reference() -> str:
        year = timezone.localdate().year
        prefix = f"SH-{year}-"
        taken = Case.objects.filter(reference__startswith=prefix).count()
        n = taken + 1
        while Case.objects.filter(reference=f"{prefix}{n:04d}").exists():
            n += 1
        return f"{prefix}{n:04d}"

    def erase(self):
        """Crypto-erasure: destroy the data key. Identity data of the case becomes unreadable."""
        case_erased.send(sender=Case, case=self)
        Case.objects.filter(pk=self.pk).update(wrapped_key=None)
        name_index.forget_case(self)
        # The reference's digest would still confirm a guess: it goes with the key.
        Person.objects.filter(case=self).update(external_id_index="", external_id_legacy="")
        for evidence in EvidenceFile.objects.filter(case=self):
            evidence.blob_path.unlink(missing_ok=True)
        self.wrapped_key = None
        sealing.current().case_keys.pop(self.pk, None)


class CaseAccess(models.Model):
    """The access list: who works on a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_access")
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        unique_together = [("case", "user")]


def cases_by_reference(references) -> list:
    """The cases of these references in the order given (all cases when none are given), or
    LookupError naming the references no case has."""
    if not references:
        return list(Case.objects.order_by("reference"))
    found = {case.reference: case for case in Case.objects.filter(reference__in=references)}
    unknown = [ref for ref in references if ref not in found]
    if unknown:
        raise LookupError(f"no case with reference {', '.join(unknown)}")
    return [found[ref] for ref in dict.fromkeys(references)]


class CaseScopedQuerySet(models.QuerySet):
    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._iterable_class is ModelIterable:
            # No query: the first sealed value read asks for the keys of all these rows' cases at once.
            sealing.note_cases({row.case_id for row in self._result_cache})

    def visible_to(self, user):
        from .access import visible_case_ids

        ids = visible_case_ids(user)
        return self.all() if ids is None else self.filter(case_id__in=ids)  # every record has a case

    def of_publishable_cases(self):
        """Records of cases neither marked "never publish" nor crypto-erased."""
        return self.filter(case__never_publish=False, case__wrapped_key__isnull=False)


class CaseScoped(models.Model):
    """A record that belongs to exactly one case: it is sealed with that case's key and seen by
    exactly the users on that case's access list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, verbose_name=_("case"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def __repr__(self):
        # Not Django's "<Person: str(self)>": a repr ends up in logs and tracebacks, and str() shows names.
        return f"<{type(self).__name__}: {self.pk}>"

    @property
    def sealing_case_id(self):
        return self.case_id

    def sealing_key(self) -> bytes:
        # A case row read with the record (select_related) holds the wrapped key: no query for it,
        # however many cases a page's rows belong to.
        case = self._state.fields_cache.get("case")
        if case is not None:
            return sealing.unwrap_case_key(self.case_id, case.wrapped_key)
        return sealing.case_key(self.case_id)


class Deadline(CaseScoped):
    title = SealedField(_("title"))
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["due_on"]


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Unknown")


def external_id_digest(value: str) -> str:
    return sealing.blind(value.strip(), "person.external_id")


class PublicationConsent(models.TextChoices):
    NONE = "none", _("No consent to publication")
    ANONYMISED = "anonymised", _("Consents to anonymised publication")
    NAMED = "named", _("Consents to publication under their name")


CONSENTED = (PublicationConsent.ANONYMISED, PublicationConsent.NAMED)


class PersonQuerySet(CaseScopedQuerySet):
    def with_external_id(self, value: str):
        return self.filter(external_id_index=external_id_digest(value)) if value.strip() else self.none()


class Person(CaseScoped):
    birth_date = SealedField(_("date of birth"), help_text=_("YYYY, YYYY-MM or YYYY-MM-DD"))
    birth_place = SealedField(_("place of birth"))
    nationalities = models.JSONField(_("nationalities"), default=list, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    profiles = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"thesaurus": "profiles"}, verbose_name=_("profile")
    )
    notes = SealedField(_("notes"), long=True)
    # A UNHCR or passport number, or a registry's id (``shelter persons import``): identity data.
    # Sealed like the rest, and found again (re-import) by a keyed digest, never by the value.
    external_id = SealedField(_("external reference"))
    external_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # Values stored in clear before 0007: sealed and emptied by ``seal_legacy_external_ids``.
    external_id_legacy = models.CharField(max_length=100, blank=True, editable=False)
    # Whether what happened to the person may be published, and how the consent was given (who recorded
    # it, on which form): without it, nothing of theirs leaves Shelter, not even anonymised.
    publication_consent = models.CharField(_("consent to publication"), max_length=12, choices=PublicationConsent.choices,
                                           default=PublicationConsent.NONE)
    publication_consent_on = PartialDateField(_("consent given on"), blank=True)
    publication_consent_source = SealedField(_("how the consent was given"),
                                             help_text=_("For example: signed form kept in the case file, or a recorded interview."))

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["created_at"], name="records_person_created")]  # the lists' order

    def save(self, *args, **kwargs):
        self.index_external_id()
        fields = kwargs.get("update_fields")
        if fields is not None and "external_id" in fields:
            kwargs["update_fields"] = [*fields, "external_id_index"]
        super().save(*args, **kwargs)

    def index_external_id(self):
        """Bring the digest in line with the value (bulk_create skips save(): callers call this)."""
        value = self.__dict__.get("external_id")
        if isinstance(value, (Ciphertext, sealing.Hidden)):  # not changed since it was loaded
            return
        self.external_id_index = external_id_digest(value) if value else ""

    @property
    def pseudonym(self) -> str:
        return pseudonym(sealing.index_key(), str(self.pk), "P")

    def primary_name(self):
        names = list(self.names.all())
        for kind in (NameKind.PRIMARY, NameKind.ALIAS, NameKind.TRANSLITERATION, NameKind.FORMER):
            for n in names:
                if n.kind == kind:
                    return n.value
        return ""

    def display_name(self):
        """The primary name where identity may be revealed, the pseudonym otherwise."""
        if not sealing.current().reveal:
            return self.pseudonym
        return self.primary_name() or self.pseudonym

    def __str__(self):
        return self.display_name()


class NameKind(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    ALIAS = "alias", _("Alias")
    TRANSLITERATION = "transliteration", _("Transliteration")
    FORMER = "former", _("Maiden or former name")


class PersonName(CaseScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    value = SealedField(_("name"))
    script = models.CharField(_("script"), max_length=4, blank=True, help_text=_("ISO 15924, e.g. Cyrl, Latn"))
    language = models.CharField(_("language"), max_length=3, blank=True, help_text=_("ISO 639-1, e.g. ru, uz, tg"))
    kind = models.CharField(_("kind"), max_length=20, choices=NameKind.choices, default=NameKind.PRIMARY)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("name")
        verbose_name_plural = _("names")

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        if not self.script:
            self.script = scripts.iso_15924(self.value)
        super().save(*args, **kwargs)
        name_index.index_name(self)


class NameToken(models.Model):
    """Search index: keyed digests of the matcher's forms of the parts of a person's names
    (``name_index``), one row per person and digest — a form that several of the person's names share
    is stored once (half the rows of one per name)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    digest = models.BigIntegerField()  # 64 bits of the HMAC (``crypto.blind.blind_number``)

    class Meta:
        # Each (person, digest) once, by name_index's writing, not by a unique index: at a million
        # persons that index took 3.2 GB, a third of the blocking keys' size; the person's own index,
        # which the deletes need anyway, holds each person once (deduplicated) and takes a tenth of it.
        indexes = [models.Index(fields=["digest"], name="records_nametoken_digest")]


class BlockingKey(models.Model):
    """Screening index: keyed digests of the matcher's blocking keys of a person's names (``name_index``),
    one row per person and digest.
    A blocking key is built from the sounds of two name parts, so it is as revealing as the name:
    only its HMAC is stored. Its table keeps the name it had when the model lived in the screening app."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    digest = models.BigIntegerField()

    class Meta:
        db_table = "screening_blockingkey"
        indexes = [models.Index(fields=["digest"], name="screening_blockingkey_digest")]  # see NameToken

    def __repr__(self):
        return f"<BlockingKey: {self.pk}>"


class DataVersion(models.Model):
    """One row: raised by every write that could change a kept aggregate (``records.tallies``)."""

    version = models.BigIntegerField(default=0)


class NameIndexVersion(models.Model):
    """One row: the ``name_index.VERSION`` the stored NameToken and BlockingKey rows were built with."""

    version = models.PositiveIntegerField()


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ADDRESS = "address", _("Address")
    MESSENGER = "messenger", _("Messenger")
    OTHER = "other", _("Other")


class ContactDetail(CaseScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    value = SealedField(_("value"))

    class Meta:
        verbose_name = _("contact detail")
        verbose_name_plural = _("contact details")

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        super().save(*args, **kwargs)


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    TRAVEL_DOCUMENT = "travel_document", _("Refugee travel document")
    OTHER = "other", _("Other")


class IdentityDocument(CaseScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    number = SealedField(_("number"))
    issuing_country = CountryField(_("issuing country"), blank=True)
    expires_on = PartialDateField(_("expires on"), blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        super().save(*args, **kwargs)


class AsylumStatusKind(models.TextChoices):
    APPLIED = "applied", _("Asylum seeker")
    REFUGEE = "refugee", _("Refugee status")
    SUBSIDIARY = "subsidiary", _("Subsidiary protection")
    HUMANITARIAN = "humanitarian", _("Humanitarian status")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn or revoked")


class AsylumStatus(CaseScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="asylum_statuses")
    host_country = CountryField(_("host country"))
    status = models.CharField(_("status"), max_length=20, choices=AsylumStatusKind.choices)
    since = PartialDateField(_("since"), blank=True)
    until = PartialDateField(_("until"), blank=True)

    class Meta:
        ordering = ["since"]
        verbose_name = _("asylum or refugee status")
        verbose_name_plural = _("asylum and refugee statuses")

    def save(self, *args, **kwargs):
        self.case_id = self.person.case_id
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    SECURITY_SERVICE = "security_service", _("Security service")
    POLICE = "police", _("Police or interior ministry")
    PROSECUTOR = "prosecutor", _("Prosecutor's office")
    COURT = "court", _("Court")
    STATE_BODY = "state_body", _("Other state body")
    INTERNATIONAL = "international", _("International body")
    COMPANY = "company", _("Company")
    NGO = "ngo", _("NGO")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other organisation")


class OrganisationQuerySet(models.QuerySet):
    def restricted(self):
        """On a sanctions, export-control or debarment list (``topics.RESTRICTING``). Matched on the
        JSON text with the quotes, so that "sanction" does not find "sanction.linked": the same
        query on SQLite and PostgreSQL, where a JSON ``contains`` lookup exists on one only."""
        query = models.Q()
        for code in sorted(topics.RESTRICTING):
            query |= models.Q(topics__icontains=f'"{code}"')
        return self.filter(query)


class Organisation(models.Model):
    """Security services, state bodies, companies, NGOs. Public knowledge: not case-scoped.

    An organisation imported from a FollowTheMoney file (``shelter organisations import``, e.g. an
    OpenSanctions export of a sanctions or export-control list) has an ``ftm_id``; its name, aliases,
    weak aliases, countries, topics, datasets and first/last seen come from that list and change only
    by importing it again (the form and the API refuse to change them, so that no hand edit forges or
    hides a listing). Its kind and notes remain Shelter's own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    country = CountryField(_("country"), blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What an import of a FollowTheMoney list sets (read-only by hand):
    countries = models.JSONField(_("other countries"), default=list, blank=True,
                                 help_text=_("Countries after the first, as ISO 3166-1 alpha-2 codes"))
    weak_aliases = models.JSONField(_("weak aliases"), default=list, blank=True,
                                    help_text=_("Broad names the list gives, not used for matching"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    datasets = models.JSONField(_("datasets"), default=list, blank=True)
    ftm_id = models.CharField(_("FollowTheMoney id"), max_length=200, blank=True, db_index=True)
    ftm_schema = models.CharField(_("FollowTheMoney schema"), max_length=40, blank=True)
    first_seen = models.DateTimeField(_("first seen on the list"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen on the list"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    IMPORTED_FIELDS = ("name", "aliases", "weak_aliases", "country", "countries", "topics", "datasets", "ftm_id",
                       "ftm_schema", "first_seen", "last_seen")
    """Set by an import; read-only in the form and the API (``name``… only once imported)."""

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["ftm_id"], condition=~models.Q(ftm_id=""), name="organisation_unique_ftm_id"),
        ]

    def __str__(self):
        return self.name

    @property
    def imported(self) -> bool:
        return bool(self.ftm_id)

    @property
    def restricted(self) -> bool:
        """On a sanctions, export-control or debarment list (see ``records.topics``)."""
        return topics.is_restricting(self.topics)

    @property
    def restriction_linked(self) -> bool:
        """Linked to a listed entity (owned, controlled, associated) without being listed itself."""
        return not self.restricted and topics.is_linked(self.topics)

    @property
    def all_countries(self) -> list[str]:
        return [c for c in [self.country, *self.countries] if c]


class Reliability(models.TextChoices):
    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — cannot be judged")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    RESTRICTED = "restricted", _("Restricted")
    CONFIDENTIAL = "confidential", _("Confidential")


class SourceKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication or media report")
    COURT_DOCUMENT = "court_document", _("Court document")
    OFFICIAL_DOCUMENT = "official_document", _("Official document")
    INTERVIEW = "interview", _("Interview")
    EMAIL = "email", _("Email or message")
    SOCIAL_MEDIA = "social_media", _("Social media")
    NGO_REPORT = "ngo_report", _("NGO report")
    OTHER = "other", _("Other")


class Source(CaseScoped):
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    title = SealedField(_("title"))
    url = SealedField(_("link or location"))
    language = models.CharField(_("language"), max_length=3, blank=True, help_text=_("ISO 639-1, e.g. ru, en"))
    published_on = PartialDateField(_("date"), blank=True)
    reliability = models.CharField(_("reliability"), max_length=1, choices=Reliability.choices, default="F")
    confidentiality = models.CharField(
        _("confidentiality"), max_length=20, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    notes = SealedField(_("notes"), long=True)

    class Meta:
        ordering = ["-published_on", "created_at"]

    def __str__(self):
        title = self.title
        if isinstance(title, sealing.Hidden) and self.confidentiality != Confidentiality.PUBLIC:
            return f"{self.get_kind_display()} ({self.published_on or '—'})"
        return str(title) or self.get_kind_display()


class Outcome(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    ONGOING = "ongoing", _("Ongoing")
    RELEASED = "released", _("Released")
    PROTECTED = "protected", _("Protected by host state")
    DETAINED = "detained", _("Detained")
    RETURNED = "returned", _("Returned to origin state")
    IMPRISONED = "imprisoned", _("Imprisoned after return")
    DISAPPEARED = "disappeared", _("Disappeared")
    KILLED = "killed", _("Killed")
    INJURED = "injured", _("Injured")


class Complicity(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    NONE = "none", _("None: host state protected")
    PASSIVE = "passive", _("Passive: failed to prevent")
    ACTIVE = "active", _("Active: host state acted")


IN_LIST_ORDER = ("-date", "-created_at", "-id")


class IncidentQuerySet(CaseScopedQuerySet):
    def filter_by(self, *, origin="", host="", tactic="", year="", profile=""):
        qs = self
        if origin:
            qs = qs.filter(origin_state=origin)
        if host:
            qs = qs.filter(host_state=host)
        # Subqueries, not joins: each incident comes once without a DISTINCT over every column (sealed
        # narratives included), which spills to disk on large tables.
        if tactic:
            tagged = Incident.tactics.through.objects.filter(incident_id=OuterRef("pk"), term__code=tactic)
            qs = qs.filter(Exists(tagged))
        if year:
            # A range, which the index on the date serves ("2021", "2021-05" and "2021-05-03" all sort
            # between "2021" and "2022"), where LIKE '2021%' read every incident.
            qs = qs.filter(date__gte=f"{int(year):04d}", date__lt=f"{int(year) + 1:04d}")
        if profile:
            qs = qs.filter(Exists(Act.objects.filter(incident_id=OuterRef("pk"), person__profiles__code=profile)))
        return qs

    def in_list_order(self):
        """Newest first, as the lists show them: on the index records_incident_date, the id breaking
        ties so that pages neither repeat nor skip an incident."""
        return self.order_by(*IN_LIST_ORDER)

    def publishable(self):
        """What published figures and data may count: incidents of publishable cases with a targeted
        person (victim or relative targeted as proxy), every one of whom consented to publication.
        Subqueries, not lists of ids, so that any number of incidents fits in one query."""
        targets = Act.objects.filter(role__in=(ActRole.VICTIM, ActRole.PROXY_VICTIM))
        refused = targets.exclude(person__publication_consent__in=CONSENTED)
        return (self.of_publishable_cases().filter(pk__in=targets.values("incident_id"))
                .exclude(pk__in=refused.values("incident_id")))


class Incident(CaseScoped):
    title = SealedField(_("title"))
    date = PartialDateField(_("date"))
    origin_state = CountryField(_("perpetrating (origin) state"))
    host_state = CountryField(_("host state (where it happened)"))
    place = SealedField(_("place"))
    tactics = models.ManyToManyField(
        Term, related_name="+", limit_choices_to={"thesaurus": "tactics"}, verbose_name=_("tactics")
    )
    narrative = SealedField(_("narrative"), long=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.UNKNOWN)
    host_complicity = models.CharField(
        _("host-state complicity"), max_length=20, choices=Complicity.choices, default=Complicity.UNKNOWN
    )
    people_targeted = models.PositiveIntegerField(_("number of people targeted"), default=1)
    accusation = models.CharField(_("accusation"), max_length=30, blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="incidents", verbose_name=_("sources"))

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["date", "created_at"], name="records_incident_date")]  # the lists' order

    def label(self):
        """A label that reveals nothing: tactics, states and date."""
        tactics = ", ".join(str(t) for t in self.tactics.all()) or "—"
        language = (get_language() or "en")[:2]
        states = f"{countries.name(self.origin_state, language)} → {countries.name(self.host_state, language)}"
        return f"{tactics} · {states} · {self.date}"

    def __str__(self):
        title = self.title
        return self.label() if isinstance(title, sealing.Hidden) or not title else title


class ActRole(models.TextChoices):
    VICTIM = "victim", _("Victim")
    PROXY_VICTIM = "proxy_victim", _("Relative targeted as proxy")
    WITNESS = "witness", _("Witness")


class Act(CaseScoped):
    """Who was targeted in an incident (HURIDOCS 'act')."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="acts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="acts", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=20, choices=ActRole.choices, default=ActRole.VICTIM)
    proxy_for = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("relative of")
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="acts", verbose_name=_("sources"))

    class Meta:
        verbose_name = _("targeted person")
        verbose_name_plural = _("targeted persons")

    def save(self, *args, **kwargs):
        self.case_id = self.incident.case_id
        super().save(*args, **kwargs)


class ActorKind(models.TextChoices):
    AGENCY = "agency", _("State agency")
    OFFICER = "officer", _("Named officer")
    INFORMANT = "informant", _("Informant")
    UNKNOWN = "unknown", _("Unknown")


class Involvement(CaseScoped):
    """Who acted in an incident (HURIDOCS 'involvement')."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    actor_kind = models.CharField(_("actor"), max_length=20, choices=ActorKind.choices, default=ActorKind.UNKNOWN)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("agency")
    )
    actor_name = SealedField(_("name of officer or informant"))  # before actors were records: moved into them
    actor = models.ForeignKey("actors.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="involvements",
                              verbose_name=_("actor"))
    role = models.CharField(_("role"), max_length=20, blank=True, choices=[
        ("perpetrator", _("Acted")), ("instigator", _("Ordered or directed")), ("intermediary", _("Passed on or facilitated")),
        ("present", _("Was present"))])

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    @property
    def shown_name(self) -> str:
        """The name as a page shows it: to those who may not read it, "[hidden]" only where a name
        belongs (an officer, an informant), not beside an agency or an unknown actor. The actor's name
        (or pseudonym) once there is an actor; the name written on older records until it is moved."""
        if self.actor_id:
            return self.actor.display_name()
        name = self.actor_name
        if isinstance(name, sealing.Hidden) and self.actor_kind not in (ActorKind.OFFICER, ActorKind.INFORMANT):
            return ""
        return name

    def save(self, *args, **kwargs):
        self.case_id = self.incident.case_id
        super().save(*args, **kwargs)


class ProcessKind(models.TextChoices):
    RED_NOTICE = "red_notice", _("Interpol Red Notice")
    DIFFUSION = "diffusion", _("Interpol diffusion")
    EXTRADITION = "extradition", _("Extradition request")
    DEPORTATION = "deportation", _("Deportation order")
    ASYLUM = "asylum", _("Asylum claim")
    CCF = "ccf", _("CCF complaint")
    CCF_ACCESS = "ccf_access", _("CCF access request")
    CCF_DELETION = "ccf_deletion", _("CCF correction or deletion request")
    INTERIM_MEASURES = "interim_measures", _("Interim measures (ECtHR Rule 39, UN committees)")
    COURT = "court", _("Court case")
    WANTED_LIST = "wanted_list", _("National wanted list")
    INTERSTATE_LIST = "interstate_list", _("Interstate wanted list (CIS, SCO)")
    APPEAL = "appeal", _("Appeal")


# The processes a state starts to get a person back — what a notice or request records
# (shelter.notices). Confirming a notice records a legal process of the same kind.
RequestKind = models.TextChoices("RequestKind", [
    (kind.name, (kind.value, kind.label))
    for kind in (ProcessKind.RED_NOTICE, ProcessKind.DIFFUSION, ProcessKind.EXTRADITION, ProcessKind.DEPORTATION,
                 ProcessKind.WANTED_LIST, ProcessKind.INTERSTATE_LIST)
])


class ProcessStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    DELETED = "deleted", _("Deleted or withdrawn")
    APPEAL = "appeal", _("Under appeal")
    CLOSED = "closed", _("Closed")


# "Granted" and "refused" say nothing on their own: what was granted depends on the process.
STATUS_MEANINGS = {
    (ProcessKind.RED_NOTICE, ProcessStatus.GRANTED): _("Published by Interpol: the notice is in force"),
    (ProcessKind.RED_NOTICE, ProcessStatus.REFUSED): _("Refused by Interpol: not published"),
    (ProcessKind.DIFFUSION, ProcessStatus.GRANTED): _("Circulated: the diffusion is in force"),
    (ProcessKind.DIFFUSION, ProcessStatus.REFUSED): _("Refused by Interpol: not recorded"),
    (ProcessKind.EXTRADITION, ProcessStatus.GRANTED): _("Extradition granted"),
    (ProcessKind.EXTRADITION, ProcessStatus.REFUSED): _("Extradition refused"),
    (ProcessKind.DEPORTATION, ProcessStatus.GRANTED): _("Deportation ordered"),
    (ProcessKind.DEPORTATION, ProcessStatus.REFUSED): _("Deportation set aside"),
    (ProcessKind.ASYLUM, ProcessStatus.GRANTED): _("Asylum or protection granted"),
    (ProcessKind.ASYLUM, ProcessStatus.REFUSED): _("Asylum refused"),
    (ProcessKind.CCF, ProcessStatus.GRANTED): _("The CCF found for the applicant"),
    (ProcessKind.CCF, ProcessStatus.REFUSED): _("The CCF rejected the complaint"),
    (ProcessKind.CCF_ACCESS, ProcessStatus.GRANTED): _("Access to the data given"),
    (ProcessKind.CCF_ACCESS, ProcessStatus.REFUSED): _("Access to the data refused"),
    (ProcessKind.CCF_DELETION, ProcessStatus.GRANTED): _("Data deleted or corrected"),
    (ProcessKind.CCF_DELETION, ProcessStatus.REFUSED): _("Deletion or correction refused"),
    (ProcessKind.INTERIM_MEASURES, ProcessStatus.GRANTED): _("Interim measures indicated"),
    (ProcessKind.INTERIM_MEASURES, ProcessStatus.REFUSED): _("Interim measures refused"),
    (ProcessKind.WANTED_LIST, ProcessStatus.GRANTED): _("Placed on the wanted list"),
    (ProcessKind.INTERSTATE_LIST, ProcessStatus.GRANTED): _("Placed on the interstate list"),
    (ProcessKind.APPEAL, ProcessStatus.GRANTED): _("Appeal allowed"),
    (ProcessKind.APPEAL, ProcessStatus.REFUSED): _("Appeal dismissed"),
}


class LegalProcessQuerySet(CaseScopedQuerySet):
    def publishable(self):
        """What published figures and data may count: processes of persons who consented to
        publication, in publishable cases."""
        return self.of_publishable_cases().filter(person__publication_consent__in=CONSENTED)


class LegalProcess(CaseScoped):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="legal_processes", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices)
    requesting_state = CountryField(_("requesting state"), blank=True)
    deciding_state = CountryField(_("deciding state"), blank=True)
    deciding_body = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("deciding body")
    )
    reference = SealedField(_("reference number"))
    opened_on = PartialDateField(_("opened on"), blank=True)
    decided_on = PartialDateField(_("decided on"), blank=True)
    deadline = models.DateField(
        _("next deadline"), null=True, blank=True,
        help_text=_("For CCF requests filed on a known day, the CCF's time limit when left empty."),
    )
    hearing_on = models.DateField(_("next hearing"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.PENDING)
    outcome = SealedField(_("outcome"), long=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="legal_processes", verbose_name=_("sources"))

    objects = LegalProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-created_at"]
        verbose_name = _("legal process")

    def status_label(self) -> str:
        """The status as it reads for this kind of process ("Extradition granted", not "Granted")."""
        return str(STATUS_MEANINGS.get((self.kind, self.status), self.get_status_display()))

    def __str__(self):
        state = countries.name(self.requesting_state, (get_language() or "en")[:2]) if self.requesting_state else "—"
        return f"{self.get_kind_display()} · {state} · {self.opened_on or '—'}"

    def save(self, *args, **kwargs):
        if self.deadline is None:
            self.deadline = time_limits.due(self.kind, self.opened_on)
        super().save(*args, **kwargs)


class EvidenceFile(CaseScoped):
    title = SealedField(_("title"))
    original_name = SealedField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="files")

    class Meta:
        ordering = ["-created_at"]

    @property
    def blob_path(self):
        return settings.SHELTER_EVIDENCE_DIR / f"{self.pk}.bin"

    @property
    def blob_aad(self) -> bytes:
        return f"evidence:{self.pk}".encode()


class CustodyEvent(models.Model):
    """Chain of custody of an evidence file."""

    evidence = models.ForeignKey(EvidenceFile, on_delete=models.CASCADE, related_name="custody")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=[("uploaded", _("uploaded")), ("downloaded", _("downloaded"))])
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["at", "id"]


class ErasureRefused(Exception):
    """An erasure request cannot be made, approved or cancelled; the message says why."""


class ErasureRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(approved_at=None, cancelled_at=None)


class ErasureRequest(models.Model):
    """Two-person control over crypto-erasure: one coordinator asks, a different one approves.

    The reason is stored in clear, so it must say why (e.g. "client withdrew consent"), never who."""

    REASON_MAX = 200

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="erasure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(
        _("reason"), max_length=REASON_MAX, help_text=_("Why this case must be erased. No names or other identity data.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = ErasureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # Enforced by the database too, so no code path (or insider with a shell) can approve alone.
            models.CheckConstraint(
                condition=models.Q(approved_by=None) | ~models.Q(approved_by=models.F("requested_by")),
                name="erasure_approved_by_another",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(approved_at=None, cancelled_at=None),
                name="one_pending_erasure_per_case",
            ),
        ]

    @property
    def pending(self) -> bool:
        return self.approved_at is None and self.cancelled_at is None

    @classmethod
    def open(cls, case, user, reason: str) -> "ErasureRequest":
        reason = " ".join(reason.split())
        if not reason:
            raise ErasureRefused(_("Give a reason."))
        if len(reason) > cls.REASON_MAX:
            raise ErasureRefused(_("The reason is too long."))
        if case.erased:
            raise ErasureRefused(_("This case is already erased."))
        if cls.objects.pending().filter(case=case).exists():
            raise ErasureRefused(_("An erasure of this case is already awaiting approval."))
        return cls.objects.create(case=case, requested_by=user, reason=reason)

    def approve(self, user):
        """Erase the case. Call inside a transaction, on a row locked with select_for_update."""
        if not self.pending:
            raise ErasureRefused(_("This request is no longer pending."))
        if user.pk == self.requested_by_id:
            raise ErasureRefused(_("Another coordinator must approve your own request."))
        self.approved_by, self.approved_at = user, timezone.now()
        self.save(update_fields=["approved_by", "approved_at"])
        self.case.erase()

    def cancel(self):
        if not self.pending:
            raise ErasureRefused(_("This request is no longer pending."))
        self.cancelled_at = timezone.now()
        self.save(update_fields=["cancelled_at"])
