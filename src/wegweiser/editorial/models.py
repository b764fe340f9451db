"""Revisions (proposed changes) and versions (published states) of offers."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import OPEN_STATES, RevisionState


class OfferRevision(models.Model):
    """A proposed change of an offer: a JSON snapshot of all its editable data.

    The public page keeps showing the offer until a KI editor publishes the revision.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey("offers.Offer", on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField(_("proposed data"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RevisionState.choices, default=RevisionState.DRAFT
    )
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            # One open revision per offer: editors work on the same proposal, never on two.
            models.UniqueConstraint(
                fields=["offer"],
                condition=models.Q(state__in=OPEN_STATES),
                name="editorial_one_open_revision",
            )
        ]

    class Privacy:
        # The author is a staff account, not a data subject of the directory; the comment is an
        # editorial note about the offer.
        personal_fields: list[str] = []

    def __str__(self) -> str:
        return f"{self.offer_id} ({self.state})"


class OfferVersion(models.Model):
    """The published state of an offer after each publication, for the history and restore."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey("offers.Offer", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("published data"), default=dict)
    revision = models.ForeignKey(
        OfferRevision, on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="editorial_version_unique")
        ]

    class Privacy:
        # Published offer data only: no personal data of a data subject.
        personal_fields: list[str] = []

    def __str__(self) -> str:
        return f"{self.offer_id} v{self.number}"
