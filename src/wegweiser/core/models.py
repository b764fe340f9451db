"""Shared vocabulary of a district: its municipalities, life areas, target groups and languages.

Vocabulary names are short and few, so their translations live beside the German name in one
JSON field (see docs/adr/0002-content-translations.md); long content such as offers and pages
gets translation rows with a state of their own.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .constants import MunicipalityKind, TextDirection


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
