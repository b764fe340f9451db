"""Offer ⇄ JSON snapshot: what a revision proposes and a version records.

A snapshot holds plain JSON values: dates and times as ISO strings, vocabulary by slug or code,
locations by UUID, schedules and contacts as lists of dicts, translations per language.
"""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from wegweiser.core.models import Language, LifeArea, TargetGroup
from wegweiser.offers.constants import TranslationState, Weekday
from wegweiser.offers.models import Location, Offer

from .constants import (
    CONTACT_KEYS,
    SCHEDULE_KEYS,
    SNAPSHOT_FIELDS,
    TRANSLATION_KEYS,
)

LIST_LABELS = {
    "life_areas": _("life areas"),
    "target_groups": _("target groups"),
    "languages": _("languages the offer is held in"),
    "locations": _("locations"),
}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def offer_snapshot(offer: Offer) -> dict[str, Any]:
    """The offer as it is published now (prefetched relations are used when present)."""
    return {
        "fields": {f: _json_value(getattr(offer, f)) for f in SNAPSHOT_FIELDS},
        "life_areas": sorted(a.slug for a in offer.life_areas.all()),
        "target_groups": sorted(g.slug for g in offer.target_groups.all()),
        "languages": sorted(lang.code for lang in offer.languages.all()),
        "locations": sorted(str(loc.uuid) for loc in offer.locations.all()),
        "schedules": [
            {k: _json_value(getattr(s, k)) for k in SCHEDULE_KEYS} for s in offer.schedules.all()
        ],
        "contacts": [{k: getattr(c, k) for k in CONTACT_KEYS} for c in offer.contacts.all()],
        "translations": {
            t.language: {k: getattr(t, k) for k in TRANSLATION_KEYS}
            for t in offer.translations.all()
            if t.state != TranslationState.MISSING
        },
    }


def empty_snapshot() -> dict[str, Any]:
    return {
        "fields": dict.fromkeys(SNAPSHOT_FIELDS),
        "life_areas": [],
        "target_groups": [],
        "languages": [],
        "locations": [],
        "schedules": [],
        "contacts": [],
        "translations": {},
    }


def parse_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Snapshot field values back to Python values for the model."""
    parsed = dict(fields)
    for key in ("valid_from", "valid_until"):
        if parsed.get(key):
            parsed[key] = datetime.date.fromisoformat(parsed[key])
    return parsed


def parse_schedule(entry: dict[str, Any]) -> dict[str, Any]:
    parsed = {k: entry.get(k) for k in SCHEDULE_KEYS}
    if parsed["date"]:
        parsed["date"] = datetime.date.fromisoformat(parsed["date"])
    for key in ("opens_at", "closes_at"):
        if parsed[key]:
            parsed[key] = datetime.time.fromisoformat(parsed[key])
    parsed["note"] = parsed["note"] or ""
    return parsed


def vocabulary_for(data: dict[str, Any]) -> dict[str, Any]:
    """Querysets of the vocabulary and locations a snapshot names."""
    return {
        "life_areas": LifeArea.objects.filter(slug__in=data.get("life_areas", [])),
        "target_groups": TargetGroup.objects.filter(slug__in=data.get("target_groups", [])),
        "languages": Language.objects.filter(code__in=data.get("languages", [])),
        "locations": Location.objects.filter(uuid__in=data.get("locations", [])),
    }


def _labels(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Readable names for the slugs, codes and UUIDs in a snapshot (one query per list)."""
    vocab = vocabulary_for(data)
    return {
        "life_areas": {a.slug: a.translated_name() for a in vocab["life_areas"]},
        "target_groups": {g.slug: g.translated_name() for g in vocab["target_groups"]},
        "languages": {lang.code: lang.native_name for lang in vocab["languages"]},
        "locations": {
            str(loc.uuid): f"{loc.name}, {loc.address_line}"
            for loc in vocab["locations"].select_related("municipality")
        },
    }


def schedule_text(entry: dict[str, Any]) -> str:
    if entry.get("kind") == "weekly" and entry.get("weekday") is not None:
        when = str(Weekday(int(entry["weekday"])).label)
    elif entry.get("kind") == "date":
        when = entry.get("date") or ""
    else:
        when = str(_("by appointment"))
    times = f" {entry['opens_at']}–{entry['closes_at']}" if entry.get("opens_at") else ""
    note = f" ({entry['note']})" if entry.get("note") else ""
    return f"{when}{times}{note}"


def contact_text(entry: dict[str, Any]) -> str:
    return " · ".join(str(entry[k]) for k in CONTACT_KEYS if entry.get(k))


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field differences: rows of {field, label, old, new}, translations included."""
    rows: list[dict[str, Any]] = []
    for name in SNAPSHOT_FIELDS:
        before = old.get("fields", {}).get(name)
        after = new.get("fields", {}).get(name)
        if before != after:
            label = Offer._meta.get_field(name).verbose_name
            rows.append({"field": name, "label": label, "old": before, "new": after})
    old_labels, new_labels = _labels(old), _labels(new)
    for name, label in LIST_LABELS.items():
        before, after = sorted(old.get(name, [])), sorted(new.get(name, []))
        if before != after:
            rows.append(
                {
                    "field": name,
                    "label": label,
                    "old": ", ".join(old_labels[name].get(v, v) for v in before),
                    "new": ", ".join(new_labels[name].get(v, v) for v in after),
                }
            )
    for name, label, text in (
        ("schedules", _("opening times"), schedule_text),
        ("contacts", _("contacts"), contact_text),
    ):
        before = [text(e) for e in old.get(name, [])]
        after = [text(e) for e in new.get(name, [])]
        if before != after:
            rows.append(
                {"field": name, "label": label, "old": "\n".join(before), "new": "\n".join(after)}
            )
    old_tr, new_tr = old.get("translations", {}), new.get("translations", {})
    for language in sorted(set(old_tr) | set(new_tr)):
        for key in TRANSLATION_KEYS:
            before = old_tr.get(language, {}).get(key)
            after = new_tr.get(language, {}).get(key)
            if before != after:
                label = Offer._meta.get_field(key).verbose_name
                rows.append(
                    {
                        "field": f"translations.{language}.{key}",
                        "label": f"{label} ({language})",
                        "language": language,
                        "old": before,
                        "new": after,
                    }
                )
    return rows
