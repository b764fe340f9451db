"""Exports of the published offers: HSDS JSON, HSDS tabular package, XLSX, iCal, GeoJSON.

Spreadsheet cells (CSV, XLSX) that a spreadsheet program would run as a formula get a leading
apostrophe (see `safe_cell`).
"""

import csv
import datetime
import hashlib
import io
import json
import logging
import os
import time
import zipfile
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from wegweiser.core.spreadsheets import safe_cell, xlsx_cell
from wegweiser.offers.constants import ScheduleKind
from wegweiser.offers.models import Offer

from . import representation, selectors
from .constants import HSDS_VERSION, PROFILE_URI, child_id
from .schemas import compiled

logger = logging.getLogger(__name__)


def export_cached(*, kind: str, base: str, build: Callable[[], bytes]) -> bytes:
    """The bytes of a download, built at most once per WEGWEISER_EXPORT_CACHE_SECONDS for the
    same offers and organisations, and shared by the workers through a file.

    Building reads every published offer (about a second for 600), and the downloads are
    public: without the file, anybody could keep the workers busy by asking for them. The
    offers' change token (every save of an offer, a place, a schedule, a category) and the
    organisations' last change make the key, so an edit is in the next download; the age
    limit bounds what neither covers (a contact person's new phone number).
    """
    seconds = settings.WEGWEISER_EXPORT_CACHE_SECONDS
    if not seconds:
        return build()
    from wegweiser.search import tokens

    key = "|".join(
        str(part)
        for part in (
            kind,
            base,
            tokens.token_read(tokens.OFFERS),
            *selectors.organisations_version(),
        )
    )
    folder = settings.WEGWEISER_EXPORT_CACHE_DIR
    path = folder / (kind + "-" + hashlib.sha256(key.encode()).hexdigest()[:32])
    now = time.time()
    try:
        if now - path.stat().st_mtime < seconds:
            return path.read_bytes()
    except OSError:
        pass  # not built yet (or gone): build it
    content = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        partial.write_bytes(content)
        os.replace(partial, path)  # readers see the old file or the whole new one
        for old in folder.glob(f"{kind}-*"):
            if old != path and now - old.stat().st_mtime > seconds:
                old.unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not keep the %s export in %s", kind, folder, exc_info=True)
    return content


def _offers():
    return selectors.offers_prefetched(
        selectors.published_offers().order_by("name", "pk"), full=True
    )


def hsds_services() -> list[dict]:
    from .views import _district

    terms = representation.term_index(selectors.taxonomy_terms())
    district = _district()
    return [representation.service_full(o, terms, district) for o in _offers()]


def export_hsds_json() -> bytes:
    return json.dumps(hsds_services(), ensure_ascii=False, indent=1).encode()


# ---------------------------------------------------------------------------------------------
# HSDS tabular package


def _scalar(record: dict) -> dict:
    return {k: v for k, v in record.items() if not isinstance(v, (list, dict))}


def tabular_tables(services: list[dict]) -> dict[str, list[dict]]:
    """The HSDS tabular tables (keys as in schema/compiled/tabular.json), typed values."""
    tables: dict[str, dict[str, dict]] = {name: {} for name in compiled("tabular")["properties"]}

    def add(table: str, record: dict) -> None:
        tables[table].setdefault(record["id"], _scalar(record))

    for service in services:
        add("service", service)
        add("organization", service["organization"])
        for phone in service.get("phones", []):
            add("phone", phone)
        for schedule in service.get("schedules", []):
            add("schedule", schedule)
        for area in service.get("service_areas", []):
            add("service_area", area)
        for language in service.get("languages", []):
            add("language", language)
        for contact in service.get("contacts", []):
            add("contact", contact)
            for phone in contact.get("phones", []):
                add("phone", phone | {"contact_id": contact["id"]})
        for attribute in service.get("attributes", []):
            add("attribute", attribute)
            term = attribute["taxonomy_term"]
            add("taxonomy_term", term)
        for link in service.get("service_at_locations", []):
            add("service_at_location", link)
            location = link["location"]
            add("location", location)
            for address in location.get("addresses", []):
                add("address", address)
            for item in location.get("accessibility", []):
                add("accessibility", item)
    for name in (
        representation.TAXONOMY_LIFE_AREAS,
        representation.TAXONOMY_TARGET_GROUPS,
    ):
        add("taxonomy", representation.taxonomy_record(name))
    return {name: list(rows.values()) for name, rows in tables.items() if name in tables}


def _columns(table: str) -> tuple[str, list[str]]:
    items = compiled("tabular")["properties"][table]["items"]
    columns = [
        name
        for name, prop in items["properties"].items()
        if prop.get("type") not in ("array", "object") and "$ref" not in prop
    ]
    return items["path"], columns


def export_tabular_zip() -> bytes:
    tables = tabular_tables(hsds_services())
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in tables.items():
            path, columns = _columns(table)
            out = io.StringIO()
            writer = csv.DictWriter(
                out, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n"
            )
            writer.writeheader()
            for row in rows:
                writer.writerow({k: safe_cell(_csv_value(v)) for k, v in row.items()})
            archive.writestr(path, out.getvalue())
            resources.append(
                {
                    "name": table,
                    "path": path,
                    "profile": "tabular-data-resource",
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {"fields": [{"name": c} for c in columns]},
                }
            )
        archive.writestr(
            "datapackage.json",
            json.dumps(
                {
                    "name": "wegweiser-hsds",
                    "profile": "tabular-data-package",
                    "title": f"Wegweiser offers, HSDS {HSDS_VERSION} tabular",
                    "homepage": PROFILE_URI,
                    "created": timezone.now().isoformat(),
                    "resources": resources,
                },
                ensure_ascii=False,
                indent=1,
            ),
        )
    return buffer.getvalue()


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


# ---------------------------------------------------------------------------------------------
# XLSX in the import template's layout (docs/imports.md)

XLSX_COLUMNS = [
    ("ID", lambda o: str(o.uuid)),
    ("Name", lambda o: o.name),
    ("Kurzbeschreibung", lambda o: o.summary),
    ("Beschreibung", lambda o: o.description),
    ("Träger", lambda o: o.organisation.name),
    ("Lebensbereiche", lambda o: "; ".join(a.name for a in o.life_areas.all())),
    ("Zielgruppen", lambda o: "; ".join(g.name for g in o.target_groups.all())),
    ("Sprachen", lambda o: "; ".join(lang.code for lang in o.languages.all())),
    ("Kosten", lambda o: o.cost),
    ("Kostendetails", lambda o: o.cost_description),
    ("Alter von", lambda o: o.age_min),
    ("Alter bis", lambda o: o.age_max),
    ("Voraussetzungen", lambda o: o.eligibility),
    ("Anmeldung erforderlich", lambda o: "ja" if o.registration_required else "nein"),
    ("Kinderbetreuung", lambda o: "ja" if o.childcare else "nein"),
    ("Online", lambda o: "ja" if o.is_online else "nein"),
    ("Website", lambda o: o.website),
    ("E-Mail", lambda o: o.email),
    ("Telefon", lambda o: o.phone),
    ("Ort", lambda o: _first_location(o, "name")),
    ("Straße", lambda o: _first_location(o, "street")),
    ("PLZ", lambda o: _first_location(o, "postcode")),
    ("Stadt", lambda o: _first_location(o, "town")),
    ("Öffnungszeiten", lambda o: _opening_hours(o)),
    ("Gültig ab", lambda o: o.valid_from),
    ("Gültig bis", lambda o: o.valid_until),
    ("Zuletzt geprüft", lambda o: o.last_verified_at.date() if o.last_verified_at else None),
]
DAY_NAMES = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]


def _first_location(offer: Offer, field: str) -> str:
    links = list(offer.offer_locations.all())
    if not links:
        return ""
    location = links[0].location
    return location.municipality.name if field == "town" else getattr(location, field)


def _opening_hours(offer: Offer) -> str:
    parts = []
    for s in offer.schedules.all():
        times = f"{s.opens_at:%H:%M}-{s.closes_at:%H:%M}" if s.opens_at and s.closes_at else ""
        if s.kind == ScheduleKind.WEEKLY and s.weekday is not None:
            parts.append(f"{DAY_NAMES[s.weekday]} {times}".strip())
        elif s.kind == ScheduleKind.DATE and s.date:
            parts.append(f"{s.date:%d.%m.%Y} {times}".strip())
        else:
            parts.append(s.note or "nach Vereinbarung")
    return "; ".join(parts)


def export_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Angebote")
    sheet.append([header for header, _get in XLSX_COLUMNS])
    for offer in _offers():
        sheet.append([xlsx_cell(get(offer)) for _header, get in XLSX_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# iCal (RFC 5545): single-date opening times


def _ical_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r", "")
        .replace("\n", "\\n")
    )


def _ical_parameter(value: str) -> str:
    """A parameter value (`CN=`) as a quoted string: `:`, `;` and `,` end an unquoted one,
    and a quoted one may hold neither double quotes nor control characters (RFC 5545, 3.1)."""
    cleaned = "".join(c for c in value if c >= " " and c != "\x7f").replace('"', "'")
    return f'"{cleaned}"'


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += encoded
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(day: datetime.date, moment: datetime.time) -> str:
    local = timezone.make_aware(datetime.datetime.combine(day, moment))
    return local.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def export_ical(*, url_for=lambda offer: "") -> bytes:
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Wegweiser//Angebote//DE",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Wegweiser – Termine",
    ]
    for offer in _offers():
        for index, schedule in enumerate(offer.schedules.all()):
            if schedule.kind != ScheduleKind.DATE or not schedule.date:
                continue
            event = [
                "BEGIN:VEVENT",
                f"UID:{child_id(offer.uuid, 'ical', index)}@wegweiser",
                f"DTSTAMP:{stamp}",
            ]
            if schedule.opens_at:
                event.append(f"DTSTART:{_utc(schedule.date, schedule.opens_at)}")
                if schedule.closes_at:
                    event.append(f"DTEND:{_utc(schedule.date, schedule.closes_at)}")
            else:
                event.append(f"DTSTART;VALUE=DATE:{schedule.date:%Y%m%d}")
            event.append(f"SUMMARY:{_ical_text(offer.name)}")
            description = " ".join(p for p in (offer.summary, schedule.note) if p)
            event.append(f"DESCRIPTION:{_ical_text(description)}")
            location = schedule.location or next(
                (link.location for link in offer.offer_locations.all()), None
            )
            if location is not None:
                event.append(f"LOCATION:{_ical_text(f'{location.name}, {location.address_line}')}")
            if url := url_for(offer):
                event.append(f"URL:{url}")
            event.append(
                f"ORGANIZER;CN={_ical_parameter(offer.organisation.name)}:mailto:{offer.email or 'noreply@example.org'}"
            )
            event.append("END:VEVENT")
            lines += event
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()


# ---------------------------------------------------------------------------------------------
# GeoJSON (RFC 7946): where published offers are held


def export_geojson(*, url_for=lambda offer: "") -> bytes:
    features = []
    for offer in _offers():
        for link in offer.offer_locations.all():
            location = link.location
            if location.latitude is None or location.longitude is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": str(link.uuid),
                    "geometry": {
                        "type": "Point",
                        "coordinates": [float(location.longitude), float(location.latitude)],
                    },
                    "properties": {
                        "service_id": str(offer.uuid),
                        "name": offer.name,
                        "summary": offer.summary,
                        "organization": offer.organisation.name,
                        "location": location.name,
                        "address": location.address_line,
                        "ags": location.municipality.ags,
                        "url": url_for(offer),
                    },
                }
            )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()
