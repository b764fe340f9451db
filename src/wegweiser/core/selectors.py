"""Reads of the shared vocabulary and of the legal texts. All of it is public."""

from django.db.models import QuerySet
from django.http import Http404

from .constants import LegalTextKind, MunicipalityKind
from .models import Language, LegalText, LifeArea, Municipality, TargetGroup


def municipality_list(*, kind: str = MunicipalityKind.TOWN) -> QuerySet[Municipality]:
    return Municipality.objects.filter(kind=kind).order_by("name")


def district_get() -> Municipality | None:
    return Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).order_by("ags").first()


def life_area_list() -> QuerySet[LifeArea]:
    return LifeArea.objects.order_by("position", "name")


def target_group_list() -> QuerySet[TargetGroup]:
    return TargetGroup.objects.order_by("position", "name")


def language_list() -> QuerySet[Language]:
    return Language.objects.order_by("position", "code")


def municipality_get(*, slug: str) -> Municipality:
    """A town by slug, or 404."""
    town = Municipality.objects.filter(slug=slug, kind=MunicipalityKind.TOWN).first()
    if town is None:
        raise Http404
    return town


def life_area_get(*, slug: str) -> LifeArea:
    """A life area by slug, or 404."""
    area = LifeArea.objects.filter(slug=slug).first()
    if area is None:
        raise Http404
    return area


def legal_text_get(*, kind: str) -> LegalText | None:
    """The operator's text of one kind, or None while nobody has written it."""
    if kind not in LegalTextKind.values:
        raise Http404
    return LegalText.objects.filter(kind=kind).first()


def legal_text_list() -> list[tuple[str, str, LegalText | None]]:
    """Every kind with its label and its text (None where it is missing), in a fixed order."""
    texts = {text.kind: text for text in LegalText.objects.all()}
    return [(kind, label, texts.get(kind)) for kind, label in LegalTextKind.choices]
