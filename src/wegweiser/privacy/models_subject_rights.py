"""Retention (legal holds, deletion journal) and data-subject requests.

Subjects are referenced by `subject_type` (a model label such as "accounts.user" or
"cases.person") and `subject_id` (the subject's uuid), never by a foreign key, so that privacy
depends on no app that holds subjects.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants_subject_rights import OPEN_REQUEST_STATES, RequestKind, RequestStatus


class LegalHold(models.Model):
    """Retention and erasure skip a subject (or one object) while a hold is in force."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.CharField(_("kind of record"), max_length=100)
    subject_id = models.CharField(_("record id"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=300)
    until = models.DateField(_("until"))
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
        ordering = ["-created_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    class Privacy:
        # The reason may name a court case; removed a year after the hold ended.
        subject = None
        personal_fields = ["reason"]
        retention = {"start": "until", "days": 365, "action": "delete"}
        purpose = "legal_obligations"
        legal_basis = "Art. 6(1)(c), 17(3)(e) GDPR"
        subject_description = "persons whose data is under a legal hold"

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id} → {self.until}"


class DeletionJournal(models.Model):
    """One row deleted or anonymised. No personal data: model, ids, rule, action and time.

    Every entry is also appended to a JSONL file outside the database
    (settings.WEGWEISER_DELETION_JOURNAL) that a restore replays.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    model_label = models.CharField(_("model"), max_length=100)
    object_pk = models.CharField(_("object id"), max_length=64)
    object_uuid = models.CharField(_("object uuid"), max_length=64, blank=True)
    rule = models.CharField(_("rule"), max_length=100)
    action = models.CharField(_("action"), max_length=20)

    class Meta:
        ordering = ["id"]
        verbose_name = _("deletion journal entry")
        verbose_name_plural = _("deletion journal")
        indexes = [models.Index(fields=["model_label", "object_pk"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.action} {self.model_label}:{self.object_pk}"


class RestrictedSubject(models.Model):
    """Art. 18 GDPR: processing of this subject's data is restricted until lifted."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.CharField(_("kind of record"), max_length=100)
    subject_id = models.CharField(_("record id"), max_length=64, db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("restricted subject")
        verbose_name_plural = _("restricted subjects")

    class Privacy:
        subject = None
        personal_fields = ["reason"]
        retention = {"start": "lifted_at", "days": 365, "action": "delete"}
        purpose = "data_subject_rights"
        legal_basis = "Art. 6(1)(c), 18 GDPR"
        subject_description = "persons who asked for restriction of processing"

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject_id}"


class DataSubjectRequest(models.Model):
    """A request by a data subject (Art. 15–18 GDPR), due one month after receipt."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    subject_type = models.CharField(_("kind of record"), max_length=100)
    subject_id = models.CharField(_("record id"), max_length=64, db_index=True)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")

    class Privacy:
        # Proof that a request was answered; the subject reference goes three years after closing
        # (limitation period, § 195 BGB). An erasure does not remove the request that asked for it.
        subject = None
        personal_fields = ["subject_id"]
        retention = {"start": "closed_at", "days": 3 * 365, "action": "delete"}
        purpose = "data_subject_rights"
        legal_basis = "Art. 6(1)(c), 12 GDPR"
        subject_description = "persons who made a data-subject request"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @property
    def is_overdue(self) -> bool:
        return self.status in OPEN_REQUEST_STATES and self.due_on < timezone.localdate()
