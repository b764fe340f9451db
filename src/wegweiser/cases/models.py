"""KIM case management: intakes from registration offices, cases, their contents and gaps.

Every object has a UUID primary key: URLs never expose counters. Reads go through `selectors`,
writes through `services`; each model with personal data declares its `Privacy` rule.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.privacy.storage import private_storage

from .constants import (
    BarrierKind,
    CaseOutcome,
    CaseStatus,
    InstitutionKind,
    IntakeStatus,
    ReferralOutcome,
    ReferralStatus,
    TaskStatus,
    TransferStatus,
)

THREE_YEARS = 3 * 365
CASE_PURPOSE = "case_management"
CONSENT_BASIS = "Art. 6(1)(a) GDPR, Art. 9(2)(a) GDPR"


class Person(models.Model):
    """The data subject: a newcomer registered at a town's registration office."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    household_members = models.TextField(_("household members"), blank=True)
    arrival_date = models.DateField(_("arrival date"), null=True, blank=True)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("town"),
    )
    # "Auskunftssperre": the registration office blocks information about the address.
    address_block = models.BooleanField(_("address block (Auskunftssperre)"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # When the retention period starts: set while nobody works with the person (intake not
    # distributed, consent refused, all cases closed), cleared while a case is open. The
    # services keep it; a person with an open case never expires.
    retention_from = models.DateTimeField(
        _("retention period starts"), null=True, blank=True, editable=False, db_index=True
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    class Privacy:
        subject = "self"
        personal_fields = [
            "given_name",
            "family_name",
            "email",
            "phone",
            "address",
            "languages",
            "household_members",
            "arrival_date",
        ]
        files: list[str] = []
        retention = {"start": "retention_from", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class CaseManagementSetting(models.Model):
    """An organisation's case-management service: towns served, languages, free capacity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="case_management",
        verbose_name=_("organisation"),
    )
    municipalities = models.ManyToManyField(
        "core.Municipality", related_name="+", blank=True, verbose_name=_("towns served")
    )
    languages = models.JSONField(_("counselling languages"), default=list, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (open cases)"), default=0)
    is_active = models.BooleanField(_("accepts new cases"), default=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("case-management setting")
        verbose_name_plural = _("case-management settings")

    class Privacy:
        # Organisation-level configuration: no data about any person.
        personal_fields: list[str] = []

    def __str__(self) -> str:
        return str(self.organisation)


class Intake(models.Model):
    """What a registration office recorded: the person, and whether they consented."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="intake", verbose_name=_("person")
    )
    office = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registration office"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    consent_given = models.BooleanField(_("consent given"))
    # The privacy app's Consent (no FK: privacy does not depend on cases).
    consent_id = models.UUIDField(_("consent"), null=True, blank=True, editable=False)
    consent_language = models.CharField(_("language of the consent"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.NEW
    )
    # The office's own row reference from a CSV import: re-importing a list changes nothing.
    external_ref = models.CharField(_("reference of the office"), max_length=100, blank=True)
    assigned_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="intake_unique_office_ref",
            ),
        ]

    class Privacy:
        subject = "person"
        personal_fields = ["consent_language", "external_ref"]
        files: list[str] = []
        retention = {"start": "created_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS

    def __str__(self) -> str:
        return str(self.id)

    @property
    def short_ref(self) -> str:
        return str(self.id)[:8]


class Case(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="cases", verbose_name=_("person")
    )
    intake = models.ForeignKey(
        Intake,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("intake"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case manager"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=CaseOutcome.choices, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    first_contact_at = models.DateTimeField(_("first contact"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["organisation", "status"], name="case_org_status"),
            # "My cases" is sorted by opening date within the user's organisations.
            models.Index(fields=["organisation", "-opened_at"], name="case_org_opened"),
        ]

    class Privacy:
        subject = "person"
        # Each case-management organisation is the controller of its cases.
        controller = "organisation"
        personal_fields = ["outcome"]
        files: list[str] = []
        retention = {"start": "closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS

    def __str__(self) -> str:
        return str(self.id)[:8]

    @property
    def short_ref(self) -> str:
        return str(self.id)[:8]


class CaseContent(models.Model):
    """Base of everything recorded inside a case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {str(self.pk)[:8]}"


class Need(CaseContent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="needs")
    life_area = models.ForeignKey(
        "core.LifeArea", on_delete=models.PROTECT, related_name="+", verbose_name=_("life area")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["description"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Goal(CaseContent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    description = models.TextField(_("goal"))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved_at = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["description"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Appointment(CaseContent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appointments")
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["place", "purpose"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Note(CaseContent):
    """A case note. Confidential notes are read by their author only (see selectors)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    confidential = models.BooleanField(_("confidential (only I can read it)"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["text"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


def document_path(instance: "Document", filename: str) -> str:
    # The stored name carries no part of the uploaded name (which may contain personal data).
    return f"cases/{instance.case_id}/{instance.id}"


class Document(CaseContent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=document_path, storage=private_storage)
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["title", "file"]
        files = ["file"]
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Referral(CaseContent):
    """A referral to an offer of the directory, with a closed loop back from the provider."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(
        "offers.Offer", on_delete=models.PROTECT, related_name="+", verbose_name=_("offer")
    )
    provider = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("provider"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.PROPOSED,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    contacted_at = models.DateTimeField(_("contact confirmed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["comment", "outcome"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Transfer(CaseContent):
    """The hand-over of a case to another organisation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to organisation"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TransferStatus.choices,
        default=TransferStatus.COMPLETED,
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    class Privacy:
        subject = "case__person"
        controller = "case__organisation"
        personal_fields = ["reason"]
        files: list[str] = []
        retention = {"start": "case__closed_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Task(CaseContent):
    """A to-do for an organisation, e.g. "consent withdrawn: delete what you received"."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    class Privacy:
        subject = "case__person"
        controller = "organisation"
        personal_fields = ["description"]
        files: list[str] = []
        retention = {"start": "created_at", "days": THREE_YEARS, "action": "delete"}
        purpose = CASE_PURPOSE
        legal_basis = CONSENT_BASIS


class Gap(CaseContent):
    """A structural barrier ("Bruchstelle"), recorded without any personal data."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    life_area = models.ForeignKey(
        "core.LifeArea", on_delete=models.PROTECT, related_name="+", verbose_name=_("life area")
    )
    institution_kind = models.CharField(
        _("institution"), max_length=20, choices=InstitutionKind.choices
    )
    barrier_kind = models.CharField(
        _("kind of barrier"), max_length=20, choices=BarrierKind.choices
    )
    description = models.TextField(_("description (no personal data)"), blank=True)
    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("town")
    )
    observed_on = models.DateField(_("observed on"), default=timezone.localdate)
    quarter = models.CharField(_("quarter"), max_length=7, db_index=True, editable=False)

    class Meta:
        ordering = ["-observed_on"]
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")

    class Privacy:
        # Gaps describe structures, never people: the form forbids personal data in the free
        # text, and the recording user is an account reference, not a data subject's record.
        personal_fields: list[str] = []

    def __str__(self) -> str:
        return f"{self.quarter} {self.get_barrier_kind_display()}"
