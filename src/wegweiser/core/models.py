"""Shared vocabulary of a district: its municipalities, life areas, target groups and languages.

Vocabulary names are short and few, so their translations live beside the German name in one
JSON field (see docs/adr/0002-content-translations.md); long content such as offers and pages
gets translation rows with a state of their own.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import Conformance, LegalTextKind, MunicipalityKind, TextDirection


class TranslatedNameMixin(models.Model):
    """A German `name` plus its translations as {"en": "...", "ar": "..."}."""

    name = models.CharField(_("name (German)"), max_length=200)
    name_translations = models.JSONField(_("translations of the name"), default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.translated_name()

    def translated_name(self, language: str | None = None) -> str:
        """The name in `language` (default: the active language), falling back to German."""
        language = (language or get_language() or "de").split("-")[0]
        return self.name_translations.get(language) or self.name


class Municipality(models.Model):
    """A district or a town, identified by its official municipality key (AGS)."""

    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^\d{5}(\d{3})?$", _("An AGS has 5 (district) or 8 digits."))],
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MunicipalityKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("district"),
    )
    latitude = models.DecimalField(
        _("latitude of the centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude of the centre"),
        max_digits=9,
        decimal_places=6,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    postcodes = models.JSONField(_("postcodes"), default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class LifeArea(TranslatedNameMixin):
    """A field of life (Lebensbereich) that offers and pages are filed under."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description (German)"), blank=True)
    icon = models.CharField(_("icon"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("life area")
        verbose_name_plural = _("life areas")


class TargetGroup(TranslatedNameMixin):
    """A group of people an offer is meant for (women, young people, refugees ...)."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Language(TranslatedNameMixin):
    """A language by ISO 639-1 code: offers are held in it, content is translated into it."""

    code = models.CharField(
        _("ISO 639-1 code"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(r"^[a-z]{2}$", _("Use a two-letter lower-case ISO 639-1 code."))
        ],
    )
    native_name = models.CharField(_("native name"), max_length=100)
    direction = models.CharField(
        _("text direction"), max_length=3, choices=TextDirection.choices, default=TextDirection.LTR
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class LegalText(models.Model):
    """The operator's own part of a legal page: imprint, privacy notice, accessibility statement.

    The pages themselves say what the software does; only the operator knows its address, its
    data protection officer or how it tested the site. One row per kind, written by
    `services.legal_text_save` (sanitised HTML, audited); who changed it is in the audit log.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=LegalTextKind.choices, unique=True)
    body = models.TextField(_("text (German)"), blank=True)
    # {"en": "<p>…</p>", …}: languages without an entry show the German text, marked German.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    # Accessibility statement only: the declared status and the date of the last review.
    conformance = models.CharField(
        _("status of compliance"), max_length=10, choices=Conformance.choices, blank=True
    )
    reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("legal text")
        verbose_name_plural = _("legal texts")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def body_for(self, language: str) -> tuple[str, bool]:
        """The text in `language`, or the German one; True when it is the German fallback."""
        translated = self.translations.get(language, "")
        if language != "de" and translated:
            return translated, False
        return self.body, language != "de"
