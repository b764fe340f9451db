"""Writes of the shared vocabulary (loading a district and the vocabulary from data files) and
of the operator's legal texts.

Both loaders are idempotent: they match on the natural key (AGS, slug, language code), update
what changed and create what is missing. They never delete, because offers may refer to entries.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from wegweiser.privacy.services import audit_log

from .constants import LegalTextKind, MunicipalityKind, TextDirection
from .html import sanitise_html
from .models import Language, LegalText, LifeArea, Municipality, TargetGroup

VOCABULARY_FILE = Path(__file__).parent / "data" / "vocabulary.json"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _upsert(model, lookup: dict[str, Any], values: dict[str, Any], report: LoadReport):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        report.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1
    return obj


def _read_json(path: str | Path) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path}: {error}") from error


@transaction.atomic
def district_load(*, path: str | Path) -> LoadReport:
    """Load a district and its towns from a JSON file (see core/data/kreis-recklinghausen.json)."""
    data = _read_json(path)
    report = LoadReport()
    try:
        district_data = data["district"]
        district = _upsert(
            Municipality,
            {"ags": district_data["ags"]},
            {
                "name": district_data["name"],
                "slug": district_data["slug"],
                "kind": MunicipalityKind.DISTRICT,
                "parent": None,
                "latitude": _decimal(district_data["latitude"]),
                "longitude": _decimal(district_data["longitude"]),
                "postcodes": [],
            },
            report,
        )
        for town in data["towns"]:
            if not town["ags"].startswith(district.ags):
                raise ValidationError(
                    f"{town['name']}: AGS {town['ags']} is not inside district {district.ags}"
                )
            _upsert(
                Municipality,
                {"ags": town["ags"]},
                {
                    "name": town["name"],
                    "slug": town["slug"],
                    "kind": MunicipalityKind.TOWN,
                    "parent": district,
                    "latitude": _decimal(town["latitude"]),
                    "longitude": _decimal(town["longitude"]),
                    "postcodes": town.get("postcodes", []),
                },
                report,
            )
    except KeyError as error:
        raise ValidationError(f"{path}: missing key {error}") from error
    return report


def _decimal(value: float):
    from decimal import Decimal

    return Decimal(str(value)).quantize(Decimal("0.000001"))


@transaction.atomic
def vocabulary_load(*, path: str | Path = VOCABULARY_FILE) -> LoadReport:
    """Load life areas, target groups and languages with their translations."""
    data = _read_json(path)
    report = LoadReport()
    try:
        for position, item in enumerate(data.get("life_areas", [])):
            _upsert(
                LifeArea,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "name_translations": item.get("translations", {}),
                    "description": item.get("description", ""),
                    "icon": item.get("icon", ""),
                    "position": position,
                },
                report,
            )
        for position, item in enumerate(data.get("target_groups", [])):
            _upsert(
                TargetGroup,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "name_translations": item.get("translations", {}),
                    "position": position,
                },
                report,
            )
        for position, item in enumerate(data.get("languages", [])):
            _upsert(
                Language,
                {"code": item["code"]},
                {
                    "name": item["name"],
                    "name_translations": item.get("translations", {}),
                    "native_name": item["native_name"],
                    "direction": item.get("direction", TextDirection.LTR),
                    "position": position,
                },
                report,
            )
    except KeyError as error:
        raise ValidationError(f"{path}: missing key {error}") from error
    return report


@transaction.atomic
def legal_text_save(
    *,
    actor,
    kind: str,
    body: str,
    translations: dict[str, str],
    conformance: str = "",
    reviewed_on=None,
) -> LegalText:
    """Write the operator's part of a legal page; HTML is sanitised before it is stored."""
    if actor is not None and not actor.has_perm("core.manage_legal_texts"):
        raise PermissionDenied
    if kind not in LegalTextKind.values:
        raise ValidationError({"kind": "Unknown kind of legal text."})
    languages = {code for code, _name in settings.LANGUAGES} - {"de"}
    values = {
        "body": sanitise_html(body),
        "translations": {
            language: cleaned
            for language, text in sorted(translations.items())
            if language in languages and (cleaned := sanitise_html(text))
        },
        # The status and the review date belong to the accessibility statement only.
        "conformance": conformance if kind == LegalTextKind.ACCESSIBILITY else "",
        "reviewed_on": reviewed_on if kind == LegalTextKind.ACCESSIBILITY else None,
    }
    text, _created = LegalText.objects.update_or_create(kind=kind, defaults=values)
    audit_log(
        action="core.legal_text.updated",
        actor=actor,
        object_type="core.legaltext",
        object_id=text.pk,
        fields=["body", "translations", "conformance", "reviewed_on"],
    )
    return text
