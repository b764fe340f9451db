"""Info pages (Ratgeber): a tree of pages, each with one translation row per language.

German is the source language. Every translation stores the SHA-256 of the German title and
content it was made from (`source_hash`), so that a change of the German text can mark it
outdated (docs/adr/0002-content-translations.md).
"""

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import ERROR_LANGUAGE_CODE, TranslationOrigin, TranslationState

language_code_validator = RegexValidator(r"^[a-z]{2}$", ERROR_LANGUAGE_CODE)


class Page(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent page"),
    )
    # Not unique: imported trees and own pages may share slugs; the public id is the uuid.
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    life_area = models.ForeignKey(
        "core.LifeArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pages",
        verbose_name=_("life area"),
    )
    # Where an imported page comes from, e.g. ("integreat", "5484709"); empty for own pages.
    source_system = models.CharField(_("source system"), max_length=30, blank=True)
    source_id = models.CharField(_("id in the source system"), max_length=100, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("info page")
        verbose_name_plural = _("info pages")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "source_id"],
                condition=~Q(source_id=""),
                name="pages_page_unique_source",
            ),
        ]

    def __str__(self) -> str:
        return self.slug


class PageTranslation(models.Model):
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, related_name="translations", verbose_name=_("page")
    )
    language = models.CharField(_("language"), max_length=2, validators=[language_code_validator])
    title = models.CharField(_("title"), max_length=300)
    # Sanitised HTML: only the services write it, always through `sanitise_html`.
    content = models.TextField(_("content"), blank=True)
    excerpt = models.TextField(_("excerpt"), blank=True)
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=TranslationState.choices,
        default=TranslationState.CURRENT,
    )
    source_hash = models.CharField(_("hash of the German source"), max_length=64, blank=True)
    origin = models.CharField(
        _("origin"),
        max_length=20,
        choices=TranslationOrigin.choices,
        default=TranslationOrigin.HUMAN,
    )
    source_id = models.CharField(_("id in the source system"), max_length=100, blank=True)
    source_path = models.CharField(_("path in the source system"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("page translation")
        verbose_name_plural = _("page translations")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="pages_translation_unique_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"
