"""The audit log: append-only, hash-chained events. Field names are recorded, never values."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import AuditResult


class AuditEvent(models.Model):
    """One read or write of personal data, or one refused access.

    `hash` is SHA-256 over the previous event's hash and this event's canonical content, so that
    changing or removing any row breaks the chain from there on (`manage.py audit_verify`).
    """

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The actor's id is kept as text as well, so that the chain stays verifiable after the
    # user account is deleted (SET_NULL above).
    actor_ref = models.CharField(_("actor reference"), max_length=64, blank=True)
    organisation_ref = models.CharField(_("organisation reference"), max_length=64, blank=True)
    roles = models.CharField(_("roles"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=100, blank=True, db_index=True)
    fields = models.JSONField(_("field names"), default=list, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    class Privacy:
        # Audit events hold references (actor, object ids) and field names, never values. They
        # are kept: deleting one would break the hash chain that proves the log complete. When an
        # account is anonymised, `actor_ref` stays a pseudonymous uuid (docs/adr/0005).
        subject = "actor"
        personal_fields = []
        retention = {
            "action": "keep",
            "reason": "accountability (Art. 5(2) GDPR); the hash chain must stay verifiable",
        }
        purpose = "accountability"
        legal_basis = "Art. 5(2), 32 GDPR"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.result}"


# Consent notices, consents and consent events live in their own module.
from .models_consent import (  # noqa: E402, F401
    AppendOnlyError,
    Consent,
    ConsentEvent,
    ConsentNotice,
    consent_purge_allowed,
)

# Retention, deletion journal and data-subject requests (issue 6) live in their own module.
from .models_subject_rights import (  # noqa: E402, F401
    DataSubjectRequest,
    DeletionJournal,
    LegalHold,
    RestrictedSubject,
)
