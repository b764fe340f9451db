"""The offers database, aligned with Open Referral HSDS 3.0.

Offer = HSDS service, Location = HSDS location, OfferLocation = HSDS service_at_location,
Schedule = HSDS schedule, OfferContact = HSDS contact. Providers are accounts.Organisation.
German is the source language; OfferTranslation holds the other languages with a state.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Cost, OfferStatus, ScheduleKind, TranslationState, Weekday


class Location(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("town"),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessibility_note = models.CharField(_("note on accessibility"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    class Privacy:
        # Business premises of providers; the note describes the building, not a person.
        personal_fields = []

    def __str__(self) -> str:
        return self.name

    @property
    def address_line(self) -> str:
        return ", ".join(
            p for p in [self.street, f"{self.postcode} {self.municipality.name}".strip()] if p
        )


class Offer(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("provider"),
    )
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.ACTIVE
    )
    life_areas = models.ManyToManyField(
        "core.LifeArea", related_name="offers", verbose_name=_("life areas")
    )
    target_groups = models.ManyToManyField(
        "core.TargetGroup", related_name="offers", blank=True, verbose_name=_("target groups")
    )
    languages = models.ManyToManyField(
        "core.Language",
        related_name="offers",
        blank=True,
        verbose_name=_("languages the offer is held in"),
    )
    cost = models.CharField(_("cost"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_description = models.CharField(_("cost details"), max_length=300, blank=True)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligibility = models.CharField(_("who can take part"), max_length=300, blank=True)
    registration_required = models.BooleanField(_("registration required"), default=False)
    childcare = models.BooleanField(_("childcare available"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    is_on_site = models.BooleanField(_("on site"), default=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    is_good_practice = models.BooleanField(_("good practice"), default=False)
    good_practice_story = models.TextField(_("good-practice story"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    source_system = models.CharField(_("source system"), max_length=50, blank=True)
    source_id = models.CharField(_("id in the source system"), max_length=100, blank=True)
    locations = models.ManyToManyField(
        Location, through="OfferLocation", related_name="offers", blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_id"],
                condition=~models.Q(source_id=""),
                name="offer_unique_source_id",
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="offer_age_range_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "status"]),
            # The public list's default order (good practice first, then by name): its first
            # page is read off the index instead of sorting every offer (40 ms at 100,000).
            models.Index(fields=["-is_good_practice", "name"], name="offer_list_order"),
        ]

    class Privacy:
        # E-mail and phone are the offer's published business contacts. The verifying user is a
        # reference only; the offer is listed in that user's export.
        subject = "last_verified_by"
        personal_fields = []
        purpose = "offer_directory"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return self.name


class OfferLocation(models.Model):
    """HSDS service_at_location: an offer is held at one or more locations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="offer_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="offer_locations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "location"], name="offer_location_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offer} @ {self.location}"


class Schedule(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=ScheduleKind.choices, default=ScheduleKind.WEEKLY
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)
    opens_at = models.TimeField(_("opens"), null=True, blank=True)
    closes_at = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "weekday", "date", "opens_at"]
        verbose_name = _("opening time")
        verbose_name_plural = _("opening times")

    class Privacy:
        # The note describes opening times ("only in the school holidays").
        personal_fields = []

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_weekday_display() or self.date or ''} {self.opens_at or ''}"


class OfferContact(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    class Privacy:
        # Contact persons of an offer: business contact data, published with the offer while it
        # is active; removed a year after the offer became inactive.
        subject = None
        personal_fields = ["name", "phone", "email"]
        retention = {
            "start": "offer__updated_at",
            "days": 365,
            "action": "delete",
            "where": {"offer__status": "inactive"},
        }
        purpose = "offer_directory"
        subject_description = "contact persons of offers"
        legal_basis = "Art. 6(1)(e) GDPR"
        recipients = "public (offer pages, HSDS API)"

    def __str__(self) -> str:
        return self.name


class OfferTranslation(models.Model):
    """An offer's texts in one language other than German, with their state."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("short summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=TranslationState.choices,
        default=TranslationState.CURRENT,
    )
    # SHA-256 of the German texts this translation was made from; a mismatch means outdated.
    source_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["offer", "language"], name="offer_translation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}:{self.language}"


class ZeroResultSearch(models.Model):
    """A public search that found nothing, or found by meaning only what no offer's words
    hold: no user, no IP – only the words and filters."""

    query = models.CharField(_("search words"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # No offer held the words; the model found the closest by meaning (search_ranked).
    by_meaning = models.BooleanField(_("found by meaning only"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("search without result")
        verbose_name_plural = _("searches without result")

    class Privacy:
        # Searchers type anything, names included: the words are kept for 90 days only.
        subject = None
        personal_fields = ["query"]
        retention = {"start": "created_at", "days": 90, "action": "delete"}
        purpose = "directory_quality"
        subject_description = "visitors searching the directory"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return self.query


class FeedbackStatus(models.TextChoices):
    NEW = "new", _("new")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


class PublicSubmission(models.Model):
    """What the public sends the editors (a mistake, an offer, a barrier): one queue each."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class OfferFeedback(PublicSubmission):
    """ "Report a mistake" on a public offer page, for the editors' queue."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="feedback")
    message = models.TextField(_("what is wrong?"), max_length=2000)
    # Optional, only so that the editors can ask back; deleted with the report.
    contact_email = models.EmailField(_("e-mail address for questions (optional)"), blank=True)

    class Meta(PublicSubmission.Meta):
        verbose_name = _("reported mistake")
        verbose_name_plural = _("reported mistakes")

    class Privacy:
        subject = None
        personal_fields = ["message", "contact_email"]
        retention = {"start": "created_at", "days": 365, "action": "delete"}
        purpose = "directory_quality"
        subject_description = "visitors reporting a mistake"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.message[:40]}"


class BarrierReport(PublicSubmission):
    """ "Report a barrier" from the accessibility statement (BITV feedback), for the editors' queue."""

    location = models.CharField(
        _("where is the barrier? (page address or description, optional)"),
        max_length=500,
        blank=True,
    )
    message = models.TextField(_("what is the barrier?"), max_length=2000)
    # Optional, only so that the editors can answer, as the law asks; deleted with the report.
    contact_email = models.EmailField(_("e-mail address for the answer (optional)"), blank=True)

    class Meta(PublicSubmission.Meta):
        verbose_name = _("reported barrier")
        verbose_name_plural = _("reported barriers")

    class Privacy:
        subject = None
        personal_fields = ["message", "contact_email"]
        retention = {"start": "created_at", "days": 365, "action": "delete"}
        purpose = "accessibility_feedback"
        subject_description = "visitors reporting a barrier"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return self.message[:40]


class OfferSuggestion(PublicSubmission):
    """ "Suggest an offer" from a provider without an account, for the editors' queue."""

    name = models.CharField(_("name of the offer"), max_length=200)
    provider_name = models.CharField(_("provider"), max_length=200)
    town = models.ForeignKey(
        "core.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("town"),
    )
    description = models.TextField(_("description"), max_length=5000)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("your e-mail address"))

    class Meta(PublicSubmission.Meta):
        verbose_name = _("suggested offer")
        verbose_name_plural = _("suggested offers")

    class Privacy:
        subject = None
        personal_fields = ["contact_name", "contact_email", "description"]
        retention = {"start": "created_at", "days": 365, "action": "delete"}
        purpose = "directory_quality"
        subject_description = "people suggesting an offer"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return self.name


class AttachmentKind(models.TextChoices):
    FLYER = "flyer", _("flyer")
    PHOTO = "photo", _("photo")


def attachment_path(instance: "OfferAttachment", filename: str) -> str:
    # A random name: public files must not reveal who uploaded them or what they were called.
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "bin"
    return f"offers/{instance.offer.uuid}/{uuid.uuid4().hex}.{suffix}"


class OfferAttachment(models.Model):
    """A flyer (per language) or a photo (good practice) of an offer."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    language = models.CharField(_("language"), max_length=10, default="de")
    title = models.CharField(_("title"), max_length=200)
    # Photos need a text alternative for people who cannot see them.
    alt_text = models.CharField(_("text alternative"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["kind", "position", "language"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    class Privacy:
        # Public flyers and good-practice photos chosen by editors for publication.
        personal_fields = []

    def __str__(self) -> str:
        return self.title
