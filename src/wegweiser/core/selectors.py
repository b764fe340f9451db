"""Reads of the shared vocabulary. All of it is public."""

from django.db.models import QuerySet

from .constants import MunicipalityKind
from .models import Language, LifeArea, Municipality, TargetGroup


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
