"""Consent notices, consents and their append-only events (issue 6)."""

import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.constants import OrganisationKind

from .constants import (
    CONSENT_PROOF_RETENTION_DAYS,
    ERROR_EVENTS_APPEND_ONLY,
    ERROR_NOTICE_IN_USE,
    ERROR_NOTICE_NO_PURPOSE,
    ConsentEventKind,
    ConsentPlace,
    ConsentState,
    DataCategory,
    Purpose,
)
from .storage import consent_evidence_path, private_storage


class AppendOnlyError(Exception):
    """Raised on an attempt to change or delete an append-only record."""


class ConsentNoticeQuerySet(models.QuerySet):
    def update(self, **kwargs):
        # A used notice is evidence of what a person agreed to; bulk updates must not alter it.
        if self.filter(consents__isnull=False).exists():
            raise ValidationError(ERROR_NOTICE_IN_USE)
        return super().update(**kwargs)


class ConsentNotice(models.Model):
    """One version of the information text a person consents to, in one language.

    Versions are grouped by `key` (e.g. "kim-welcome"); the same version may exist in several
    languages. Once any consent refers to a notice it is frozen: changes need a new version.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Groups the versions and languages of one notice.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("full text"))
    text_sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    purposes = models.JSONField(_("purposes"), default=list)
    recipient_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="+",
        verbose_name=_("recipient organisations"),
    )
    recipient_kinds = models.JSONField(
        _("recipient kinds of organisation"),
        default=list,
        blank=True,
        help_text=_("Every organisation of these kinds is a recipient."),
    )
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = ConsentNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-version", "language"]
        verbose_name = _("consent notice")
        verbose_name_plural = _("consent notices")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version", "language"], name="consentnotice_unique_version"
            ),
        ]

    class Privacy:
        # The text of a notice is the same for everybody; it holds no personal data.
        personal_fields: list[str] = []

    def __str__(self) -> str:
        return f"{self.title} (v{self.version}, {self.language})"

    def save(self, *args, **kwargs) -> None:
        # A guard, not logic: the services never try this.
        if not self._state.adding and self.is_used:
            raise ValidationError(ERROR_NOTICE_IN_USE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_used:
            raise ValidationError(ERROR_NOTICE_IN_USE)
        return super().delete(*args, **kwargs)

    @staticmethod
    def hash_text(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def is_used(self) -> bool:
        return Consent.objects.filter(notice_id=self.pk).exists()

    def clean(self) -> None:
        errors = {}
        if not self.purposes:
            errors["purposes"] = ERROR_NOTICE_NO_PURPOSE
        unknown = set(self.purposes) - set(Purpose.values)
        if unknown:
            errors["purposes"] = _("Unknown purpose.")
        if set(self.recipient_kinds) - set(OrganisationKind.values):
            errors["recipient_kinds"] = _("Unknown kind of organisation.")
        if set(self.data_categories) - set(DataCategory.values):
            errors["data_categories"] = _("Unknown data category.")
        if self.text_sha256 != self.hash_text(self.text):
            errors["text"] = _("The stored hash does not match the text.")
        if errors:
            raise ValidationError(errors)

    def lists_recipient(self, organisation) -> bool:
        """True when `organisation` is named, or is of a named kind."""
        if organisation is None:
            return False
        if organisation.kind in self.recipient_kinds:
            return True
        return any(o.pk == organisation.pk for o in self.recipient_organisations.all())


_PURGE_ALLOWED: ContextVar[bool] = ContextVar("consent_purge_allowed", default=False)


@contextmanager
def consent_purge_allowed():
    """Let consent events be deleted together with their consent (retention, erasure).

    On PostgreSQL the trigger checks the same switch (a transaction-local setting). Only
    `Consent.delete` and `ConsentQuerySet.delete` open it.
    """
    token = _PURGE_ALLOWED.set(True)
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('wegweiser.consent_purge', 'on', true)")
            yield
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('wegweiser.consent_purge', 'off', true)")
    finally:
        _PURGE_ALLOWED.reset(token)


def _remove_evidence_on_commit(names: list[str]) -> None:
    def remove() -> None:
        storage = private_storage()
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


class ConsentQuerySet(models.QuerySet):
    def delete(self):
        # Deleting whole consents (retention, erasure) takes their history with them.
        names = list(
            ConsentEvent.objects.filter(consent__in=self)
            .exclude(evidence="")
            .values_list("evidence", flat=True)
        )
        with consent_purge_allowed():
            result = super().delete()
        _remove_evidence_on_commit(names)
        return result


class Consent(models.Model):
    """A person's consent (or refusal) on one notice. Its state comes from its events.

    `subject_id` is the id of the `cases.Person` it belongs to, kept without a foreign key so
    that the privacy app depends on no domain app.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject_id = models.UUIDField(_("data subject"), db_index=True)
    notice = models.ForeignKey(
        ConsentNotice,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("notice"),
    )
    # Derived: the kind of the latest event. Written only by the services, with the event.
    state = models.CharField(
        _("state"), max_length=20, choices=ConsentState.choices, editable=False
    )
    recorded_by_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by organisation"),
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    # When the consent stopped covering anything (refused, withdrawn, expired, invalidated):
    # the start of the proof-keeping period.
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True, editable=False)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["subject_id", "-created_at"], name="consent_subject")]

    class Privacy:
        # The data subject is the cases.Person whose id is stored in `subject_id`: a plain id,
        # not a foreign key (privacy depends on no domain app), hence `subject_type`.
        subject = "subject_id"
        subject_type = "cases.person"
        personal_fields = ["subject_id"]
        files: list[str] = []
        # Kept as proof of consent for three years after it stopped covering anything (refused,
        # withdrawn, expired, invalidated); a given consent is kept while it is in force. The
        # deletion takes the events and their evidence files with it (Consent.delete).
        retention = {
            "start": "ended_at",
            "days": CONSENT_PROOF_RETENTION_DAYS,
            "action": "delete",
        }
        purpose = "consent_proof"
        legal_basis = "Art. 7(1) GDPR (proof of consent), Art. 6(1)(c) GDPR"

    def __str__(self) -> str:
        return f"{self.notice} – {self.get_state_display()}"

    def delete(self, *args, **kwargs):
        """Delete the consent with its whole history, as one unit (retention or erasure).

        Single events can never be changed or deleted; a consent's history goes only together
        with the consent. Evidence files are removed once the deletion is committed.
        """
        names = list(self.events.exclude(evidence="").values_list("evidence", flat=True))
        with consent_purge_allowed():
            result = super().delete(*args, **kwargs)
        _remove_evidence_on_commit(names)
        return result

    def state_at(self, at: datetime | None = None) -> str | None:
        """The state at a point in time (None: no event yet), from the events themselves."""
        if at is None:
            return self.state
        latest = self.events.filter(created_at__lte=at).order_by("-created_at", "-id").first()
        return latest.kind if latest else None

    def covers(self, recipient, purpose: str, at: datetime | None = None) -> bool:
        """True only when, at `at` (default: now), the consent is given and not past
        `valid_until`, its notice names `purpose`, and names `recipient` or its kind.
        """
        moment = at or timezone.now()
        if self.valid_until is not None and moment >= self.valid_until:
            return False
        if self.state_at(at) != ConsentState.GIVEN:
            return False
        if purpose not in self.notice.purposes:
            return False
        return self.notice.lists_recipient(recipient)


class ConsentEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(ERROR_EVENTS_APPEND_ONLY)

    def delete(self):
        if not _PURGE_ALLOWED.get():
            raise AppendOnlyError(ERROR_EVENTS_APPEND_ONLY)
        return super().delete()


class ConsentEvent(models.Model):
    """One step in a consent's history. Append-only: never changed, never deleted by hand."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(
        # CASCADE is reached only through Consent.delete, which opens the purge switch.
        Consent,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("consent"),
    )
    kind = models.CharField(_("event"), max_length=20, choices=ConsentEventKind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    place = models.CharField(_("where"), max_length=30, choices=ConsentPlace.choices, blank=True)
    language = models.CharField(
        _("language of the conversation"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$", _("Use a language code."))],
    )
    interpreter = models.BooleanField(_("with interpreter"), default=False)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to=consent_evidence_path,
        blank=True,
        max_length=200,
    )
    evidence_content_type = models.CharField(max_length=50, blank=True, editable=False)

    objects = ConsentEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent events")

    class Privacy:
        # Same subject as the consent (`consent.subject_id`, a plain cases.Person id).
        subject = "consent__subject_id"
        subject_type = "cases.person"
        personal_fields = ["reason", "evidence"]
        files = ["evidence"]
        # Events are append-only: never deleted on their own, only with their consent, whose
        # rule (three years after it ended) therefore governs them too.
        retention = {
            "action": "keep",
            "reason": "deleted together with its consent (privacy.Consent retention rule)",
        }
        purpose = "consent_proof"
        legal_basis = "Art. 7(1) GDPR (proof of consent), Art. 6(1)(c) GDPR"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(ERROR_EVENTS_APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not _PURGE_ALLOWED.get():
            raise AppendOnlyError(ERROR_EVENTS_APPEND_ONLY)
        return super().delete(*args, **kwargs)
