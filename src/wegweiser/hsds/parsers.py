"""Readers for the import formats; each turns a file into plain records for services.import_offers.

A record is a dict: `line` (where it came from, for the report), `source_id`, `organisation`
(dict with `source_id`, `name`, ...), offer fields, `life_areas`/`target_groups` (slugs or
names), `languages` (codes or names), `locations` (dicts), `schedules`, `contacts`,
`translations`. A reader raises ImportFailed for a file it cannot read at all and adds a
rejection to the report for a row it cannot use. Nothing here touches the database.
"""

import csv
import datetime
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .constants import MAX_IMPORT_BYTES, WEEKDAY_CODES

# What a zip file (Ohana export, XLSX) may unpack to (docs/imports.md: 200 MB).
MAX_UNPACKED_BYTES = MAX_IMPORT_BYTES * 4


class ImportFailed(Exception):
    """The file as a whole cannot be imported (too large, unreadable, required column missing)."""


@dataclass
class Rejection:
    line: int
    reason: str
    name: str = ""


@dataclass
class ImportReport:
    format: str
    source_system: str = ""
    dry_run: bool = False
    encoding: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    organisations_created: int = 0
    locations_created: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: dict[str, int] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: str = ""
    seconds: float = 0.0

    def reject(self, line: int, reason: str, name: str = "") -> None:
        self.rejected.append(Rejection(line=line, reason=reason, name=name[:80]))

    def warn(self, message: str) -> None:
        self.warnings[message] = self.warnings.get(message, 0) + 1

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "source_system": self.source_system,
            "dry_run": self.dry_run,
            "encoding": self.encoding,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "organisations_created": self.organisations_created,
            "locations_created": self.locations_created,
            "rejected": [r.__dict__ for r in self.rejected],
            "warnings": self.warnings,
            "unknown_columns": self.unknown_columns,
            "duplicates": self.duplicates,
            "failed": self.failed,
            "seconds": round(self.seconds, 2),
        }

    def as_text(self) -> str:
        lines = [
            _("Import (%(format)s, source %(source)s)%(dry)s")
            % {
                "format": self.format,
                "source": self.source_system,
                "dry": _(" – dry run, nothing saved") if self.dry_run else "",
            }
        ]
        if self.failed:
            lines.append(_("FAILED: %(reason)s") % {"reason": self.failed})
        if self.encoding:
            lines.append(_("Encoding: %(encoding)s") % {"encoding": self.encoding})
        lines.append(
            _(
                "Rows read: %(rows)s, offers created: %(created)s, updated: %(updated)s, "
                "rejected: %(rejected)s"
            )
            % {
                "rows": self.rows,
                "created": self.created,
                "updated": self.updated,
                "rejected": len(self.rejected),
            }
        )
        lines.append(
            _("Organisations created: %(orgs)s, locations created: %(locations)s")
            % {"orgs": self.organisations_created, "locations": self.locations_created}
        )
        if self.unknown_columns:
            lines.append(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(self.unknown_columns)}
            )
        for message, count in sorted(self.warnings.items()):
            lines.append(_("Note (%(count)s×): %(message)s") % {"count": count, "message": message})
        for duplicate in self.duplicates:
            lines.append(_("Possible duplicate: %(text)s") % {"text": duplicate})
        for rejection in self.rejected:
            lines.append(
                _("Rejected line %(line)s (%(name)s): %(reason)s")
                % {"line": rejection.line, "name": rejection.name, "reason": rejection.reason}
            )
        lines.append(_("Time: %(seconds)s s") % {"seconds": f"{self.seconds:.1f}"})
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Files and encodings


def check_size(path: Path) -> None:
    size = (
        path.stat().st_size
        if path.is_file()
        else sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    )
    if size > MAX_IMPORT_BYTES:
        raise ImportFailed(
            _("The file is %(size)s MB large; imports are limited to %(limit)s MB.")
            % {"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_IMPORT_BYTES // 1024 // 1024}
        )


def check_unpacked_size(path: Path, *, not_a_zip: str) -> None:
    """Refuse a zip file (an Ohana export, and every XLSX) that unpacks to more than
    MAX_UNPACKED_BYTES: a few megabytes can hold gigabytes of repeated text (a zip bomb), and
    openpyxl reads an XLSX's shared strings whole. `zipfile` never unpacks a member beyond
    the size its header declares, so the declared sizes are a bound."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportFailed(not_a_zip) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFailed(_("The zip file unpacks to more than the limit."))


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), else Windows-1252/Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _normalise_header(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def unformula(value: str) -> str:
    """Undo the export's protection against spreadsheet formulas (a leading apostrophe)."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]
    return value


# ---------------------------------------------------------------------------------------------
# Spreadsheets (CSV, XLSX) with German headers

# Field key -> accepted headers. The first one is the template's header (docs/imports.md).
SPREADSHEET_COLUMNS: dict[str, list[str]] = {
    "source_id": ["ID", "Nr", "Nummer", "Kennung", "id"],
    "name": ["Name", "Angebot", "Titel", "Bezeichnung", "name"],
    "summary": ["Kurzbeschreibung", "Kurztext", "Zusammenfassung", "summary"],
    "description": ["Beschreibung", "Langtext", "description"],
    "organisation": ["Träger", "Anbieter", "Organisation", "Einrichtung", "organization"],
    "life_areas": ["Lebensbereiche", "Lebensbereich", "Themen", "Thema", "life_areas"],
    "target_groups": ["Zielgruppen", "Zielgruppe", "target_groups"],
    "languages": ["Sprachen", "Sprache", "languages"],
    "cost": ["Kosten", "cost"],
    "cost_description": ["Kostendetails", "Kosten Details", "Gebühren", "fees"],
    "age_min": ["Alter von", "Mindestalter", "age_min"],
    "age_max": ["Alter bis", "Höchstalter", "age_max"],
    "eligibility": ["Voraussetzungen", "Teilnahmevoraussetzungen", "Wer kann teilnehmen"],
    "registration_required": ["Anmeldung erforderlich", "Anmeldung"],
    "childcare": ["Kinderbetreuung"],
    "is_online": ["Online"],
    "website": ["Website", "Webseite", "Internetseite", "Internet", "URL"],
    "email": ["E-Mail", "Email", "Mail"],
    "phone": ["Telefon", "Tel", "Telefonnummer"],
    "location_name": ["Ort", "Veranstaltungsort", "Standort", "Treffpunkt"],
    "street": ["Straße", "Straße und Hausnummer", "Adresse", "Anschrift"],
    "postcode": ["PLZ", "Postleitzahl"],
    "town": ["Stadt", "Gemeinde", "Kommune", "Stadt/Gemeinde"],
    "latitude": ["Breitengrad", "Breite", "Lat", "Latitude"],
    "longitude": ["Längengrad", "Länge", "Lon", "Lng", "Longitude"],
    "opening_hours": ["Öffnungszeiten", "Termine", "Zeiten", "Sprechzeiten"],
    "valid_from": ["Gültig ab", "Beginn", "Start"],
    "valid_until": ["Gültig bis", "Ende"],
    "contact_name": ["Ansprechperson", "Ansprechpartner", "Ansprechpartnerin", "Kontaktperson"],
    "last_verified": ["Zuletzt geprüft", "Geprüft am", "Stand"],
}
REQUIRED_COLUMNS = ("name", "organisation")
_HEADER_INDEX = {
    _normalise_header(alias): key
    for key, aliases in SPREADSHEET_COLUMNS.items()
    for alias in aliases
}


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Header -> field key ("" for a column that is ignored)."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        key = _HEADER_INDEX.get(_normalise_header(header), "")
        if key in used:
            key = ""
        mapping[header] = key
        if key:
            used.add(key)
    return mapping


def _csv_rows(reader) -> Iterator:
    """The rows of a csv reader; a row it cannot read (a field over csv's limit of 128 kB, a
    broken quote) makes the whole file fail with its line, like any other unusable file."""
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFailed(
            _("Line %(line)s cannot be read as CSV (%(reason)s).")
            % {"line": reader.line_num, "reason": error}
        ) from error


def read_csv_table(
    path: Path, report: ImportReport
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    text, report.encoding = decode(path.read_bytes())
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration as error:
        raise ImportFailed(_("The file is empty.")) from error

    def rows():
        start = reader.line_num + 1
        for row in _csv_rows(reader):
            yield start, row
            start = reader.line_num + 1

    return headers, rows()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_table(
    path: Path, report: ImportReport
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    from openpyxl import load_workbook

    check_unpacked_size(path, not_a_zip=_("This is not an Excel file (.xlsx)."))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFailed(_("This is not an Excel file (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    report.encoding = "XLSX"
    rows = sheet.iter_rows(values_only=True)
    headers: list[str] = []
    line = 0
    for values in rows:
        line += 1
        if any(v not in (None, "") for v in values):
            headers = [_cell(v).strip() for v in values]
            break
    if not headers:
        raise ImportFailed(_("The file is empty."))

    def data():
        number = line
        for values in rows:
            number += 1
            yield number, [_cell(v) for v in values]

    return headers, data()


def table_preview(path: Path, fmt: str, limit: int) -> tuple[list[str], list[list[str]], str]:
    report = ImportReport(format=fmt)
    check_size(path)
    reader = read_xlsx_table if fmt == "xlsx" else read_csv_table
    headers, rows = reader(path, report)
    preview = []
    for _line, row in rows:
        if len(preview) >= limit:
            break
        if any(c.strip() for c in row):
            preview.append(row)
    return headers, preview, report.encoding


def _split(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;,|\n]", value) if p.strip()]


TRUE = {"ja", "j", "x", "1", "true", "yes", "wahr", "y"}
DAYS = {"mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6}
DAYS |= {code.lower(): i for i, code in enumerate(WEEKDAY_CODES)}
TIME_RANGE = re.compile(
    r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:uhr)?\s*[-–bis]+\s*(\d{1,2})(?:[:.](\d{2}))?", re.I
)


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(value[:19], pattern).date()
        except ValueError:
            continue
    return None


def _time(hour: str, minute: str | None) -> str | None:
    h, m = int(hour), int(minute or 0)
    if h > 24 or m > 59:
        return None
    return f"{min(h, 23):02d}:{m if h < 24 else 59:02d}"


def parse_opening_hours(text: str) -> tuple[list[dict], list[str]]:
    """'Mo, Mi 9-12 Uhr; Fr 14:00-16:00; 05.03.2026 10-12; nach Vereinbarung' -> schedules."""
    schedules, problems = [], []
    for part in re.split(r"[;\n]", text):
        part = part.strip()
        if not part:
            continue
        lowered = part.casefold()
        if "vereinbarung" in lowered or "appointment" in lowered:
            schedules.append({"kind": "appointment", "note": part[:200]})
            continue
        times = TIME_RANGE.search(part)
        opens = closes = None
        if times:
            opens, closes = _time(times[1], times[2]), _time(times[3], times[4])
        date_match = re.search(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{4}-\d{2}-\d{2}", part)
        if date_match and (day := parse_date(date_match[0])):
            schedules.append({"kind": "date", "date": day, "opens_at": opens, "closes_at": closes})
            continue
        head = part[: times.start()] if times else part
        days: list[int] = []
        for token in re.findall(r"[A-Za-zäöü]{2}(?:\s*-\s*[A-Za-zäöü]{2})?", head):
            token = token.casefold().replace(" ", "")
            if "-" in token:
                a, b = token.split("-")
                if a[:2] in DAYS and b[:2] in DAYS:
                    days += list(range(DAYS[a[:2]], DAYS[b[:2]] + 1))
            elif token[:2] in DAYS:
                days.append(DAYS[token[:2]])
        if days and opens and closes:
            for day in dict.fromkeys(days):
                schedules.append(
                    {"kind": "weekly", "weekday": day, "opens_at": opens, "closes_at": closes}
                )
        else:
            problems.append(part)
    return schedules, problems


def records_from_table(
    headers: list[str],
    rows,
    report: ImportReport,
    mapping: dict[str, str] | None = None,
) -> Iterator[dict]:
    mapping = mapping if mapping is not None else guess_mapping(headers)
    keys = [mapping.get(h, "") for h in headers]
    report.unknown_columns = [h for h, k in zip(headers, keys, strict=True) if not k and h]
    missing = [k for k in REQUIRED_COLUMNS if k not in keys]
    if missing:
        names = ", ".join(SPREADSHEET_COLUMNS[k][0] for k in missing)
        raise ImportFailed(_("Required columns are missing: %(columns)s.") % {"columns": names})
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        report.rows += 1
        values = {k: unformula(v.strip()) for k, v in zip(keys, row, strict=False) if k}
        name, organisation = values.get("name", ""), values.get("organisation", "")
        if not name:
            report.reject(line, _("The name is empty."))
            continue
        if not organisation:
            report.reject(line, _("The provider (Träger) is empty."), name)
            continue
        record = {
            "line": line,
            "source_id": values.get("source_id")
            or hashlib.sha256(f"{organisation}|{name}".casefold().encode()).hexdigest()[:32],
            "organisation": {"name": organisation},
            "name": name,
            "summary": values.get("summary", ""),
            "description": values.get("description", ""),
            "eligibility": values.get("eligibility", ""),
            "cost_description": values.get("cost_description", ""),
            "website": values.get("website", ""),
            "email": values.get("email", ""),
            "phone": values.get("phone", ""),
            "life_areas": _split(values.get("life_areas", "")),
            "target_groups": _split(values.get("target_groups", "")),
            "languages": _split(values.get("languages", "")),
            "contacts": [{"name": values["contact_name"]}] if values.get("contact_name") else [],
        }
        if cost := values.get("cost", ""):
            record["cost"] = cost_from_text(cost)
        for key in ("registration_required", "childcare", "is_online"):
            if values.get(key):
                record[key] = values[key].casefold() in TRUE
        try:
            for key in ("age_min", "age_max"):
                if values.get(key):
                    record[key] = int(float(values[key].replace(",", ".")))
        except ValueError:
            report.reject(line, _("The age is not a whole number."), name)
            continue
        for key in ("valid_from", "valid_until", "last_verified"):
            if values.get(key):
                day = parse_date(values[key])
                if day is None:
                    report.reject(
                        line,
                        _("%(value)s is not a date (use DD.MM.YYYY).") % {"value": values[key]},
                        name,
                    )
                    break
                record[key] = day
        else:
            location = {
                "name": values.get("location_name", ""),
                "street": values.get("street", ""),
                "postcode": values.get("postcode", ""),
                "town": values.get("town", ""),
                "latitude": values.get("latitude", ""),
                "longitude": values.get("longitude", ""),
            }
            record["locations"] = [location] if any(location.values()) else []
            record["require_known_town"] = True
            schedules, problems = parse_opening_hours(values.get("opening_hours", ""))
            record["schedules"] = schedules
            for problem in problems:
                report.warn(
                    _("Opening hours not understood, left out: %(text)s") % {"text": problem[:60]}
                )
            yield record


def cost_from_text(text: str) -> str:
    lowered = text.casefold()
    if lowered in ("free", "reduced", "fee"):
        return lowered
    if any(
        w in lowered for w in ("kostenlos", "kostenfrei", "gratis", "frei", "free", "0 €", "keine")
    ):
        return "free"
    if any(w in lowered for w in ("ermäßig", "reduziert", "reduced", "sozial")):
        return "reduced"
    return "fee"


# ---------------------------------------------------------------------------------------------
# HSDS 3.0 JSON


def read_json(path: Path, report: ImportReport):
    text, report.encoding = decode(path.read_bytes())
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            _("The file is not valid JSON (line %(line)s: %(reason)s).")
            % {"line": error.lineno, "reason": error.msg}
        ) from error
    except RecursionError as error:
        # Arrays or objects nested thousands deep: no HSDS record is, and the parser gives up.
        raise ImportFailed(
            _("The file is not valid JSON (line %(line)s: %(reason)s).")
            % {"line": 1, "reason": "nested too deeply"}
        ) from error


def _hsds_services(data) -> list[tuple[dict, dict | None]]:
    """(service, enclosing organisation) pairs from any HSDS JSON shape."""
    if isinstance(data, list):
        items = []
        for item in data:
            items += _hsds_services(item)
        return items
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("contents"), list):
        return _hsds_services(data["contents"])
    if isinstance(data.get("services"), list) and "status" not in data:
        organisation = {k: v for k, v in data.items() if k != "services"}
        return [(s, organisation) for s in data["services"] if isinstance(s, dict)]
    if isinstance(data.get("service"), dict) and isinstance(data.get("location"), dict):
        service = dict(data["service"])
        link = {k: v for k, v in data.items() if k != "service"}
        service["service_at_locations"] = [link, *service.get("service_at_locations", [])]
        return [(service, None)]
    if "name" in data and ("status" in data or "organization" in data):
        return [(data, None)]
    return []


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _hsds_location(location: dict) -> dict:
    address = next((a for a in location.get("addresses") or [] if isinstance(a, dict)), {})
    street = " ".join(
        p for p in (_text(address.get("address_1")), _text(address.get("address_2"))) if p
    )
    accessibility = next(
        (a for a in location.get("accessibility") or [] if isinstance(a, dict)), {}
    )
    details = _text(accessibility.get("details"))
    return {
        "source_id": _text(location.get("id")),
        "name": _text(location.get("name")) or street or _text(address.get("city")),
        "street": street,
        "postcode": _text(address.get("postal_code")),
        "town": _text(address.get("city")),
        "ags": _text(location.get("external_identifier"))
        if location.get("external_identifier_type") == "ags"
        else "",
        "latitude": location.get("latitude"),
        "longitude": location.get("longitude"),
        "step_free": "step_free" in details,
        "accessible_toilet": "accessible_toilet" in details,
        "hearing_loop": "hearing_loop" in details,
        "accessibility_note": _text(accessibility.get("description")),
    }


def _hsds_schedules(schedules: list) -> tuple[list[dict], int]:
    result, skipped = [], 0
    for s in schedules or []:
        if not isinstance(s, dict):
            continue
        opens, closes = _text(s.get("opens_at"))[:5] or None, _text(s.get("closes_at"))[:5] or None
        note = (_text(s.get("notes")) or "")[:200]
        base = {
            "opens_at": opens,
            "closes_at": closes,
            "note": note,
            "location_source_id": _text(s.get("location_id")),
        }
        if _text(s.get("freq")).upper() == "WEEKLY" and s.get("byday"):
            for code in _text(s["byday"]).upper().split(","):
                code = code.strip()[-2:]
                if code in WEEKDAY_CODES:
                    result.append(base | {"kind": "weekly", "weekday": WEEKDAY_CODES.index(code)})
        elif (day := parse_date(_text(s.get("dtstart")) or _text(s.get("valid_from")))) and (
            _text(s.get("valid_to") or s.get("dtstart"))[:10] == day.isoformat()
        ):
            result.append(base | {"kind": "date", "date": day})
        elif _text(s.get("description")) == "appointment":
            result.append(base | {"kind": "appointment"})
        else:
            skipped += 1
    return result, skipped


def records_from_hsds(data, report: ImportReport) -> Iterator[dict]:
    services = _hsds_services(data)
    if not services:
        raise ImportFailed(_("No HSDS services found in the file."))
    for position, (service, enclosing) in enumerate(services, start=1):
        report.rows += 1
        name = _text(service.get("name"))
        organisation = (
            service.get("organization")
            if isinstance(service.get("organization"), dict)
            else enclosing
        )
        if not name or not _text(service.get("id")):
            report.reject(position, _("A service needs an id and a name."), name)
            continue
        if not organisation or not _text(organisation.get("name")):
            report.reject(position, _("The service has no organisation with a name."), name)
            continue
        profile = service.get("wegweiser") if isinstance(service.get("wegweiser"), dict) else {}
        locations, schedules = [], []
        for link in service.get("service_at_locations") or []:
            if isinstance(link, dict) and isinstance(link.get("location"), dict):
                location = _hsds_location(link["location"])
                location["link_source_id"] = _text(link.get("id"))
                locations.append(location)
                found, skipped = _hsds_schedules(link.get("schedules") or [])
                for s in found:
                    s["location_source_id"] = s["location_source_id"] or location["source_id"]
                schedules += found
        found, skipped = _hsds_schedules(service.get("schedules") or [])
        schedules += found
        if skipped:
            report.warn(_("Schedules without weekly day or single date were left out."))
        phones = [p for p in service.get("phones") or [] if isinstance(p, dict) and p.get("number")]
        contacts = []
        for c in service.get("contacts") or []:
            if not isinstance(c, dict):
                continue
            contact_phones = [
                p for p in c.get("phones") or [] if isinstance(p, dict) and p.get("number")
            ]
            contacts.append(
                {
                    "name": _text(c.get("name"))
                    or _text(c.get("title"))
                    or _text(c.get("department")),
                    "role": _text(c.get("title")),
                    "email": _text(c.get("email")),
                    "phone": _text(contact_phones[0]["number"]) if contact_phones else "",
                }
            )
        terms = []
        for attribute in service.get("attributes") or []:
            if not isinstance(attribute, dict):
                continue
            term = (
                attribute.get("taxonomy_term")
                if isinstance(attribute.get("taxonomy_term"), dict)
                else {}
            )
            terms.append(
                {
                    "id": _text(attribute.get("taxonomy_term_id") or term.get("id")),
                    "code": _text(term.get("code") or attribute.get("value")),
                    "name": _text(term.get("name")),
                }
            )
        fees = _text(service.get("fees_description")) or _text(service.get("fees"))
        verified = _text(profile.get("last_verified_at")) or _text(service.get("assured_date"))
        record = {
            "line": position,
            "source_id": _text(service["id"]),
            "uuid": _text(service["id"]),
            "organisation": {
                "source_id": _text(organisation.get("id")),
                "uuid": _text(organisation.get("id")),
                "name": _text(organisation.get("name")),
                "description": _text(organisation.get("description")),
                "website": _text(organisation.get("website")),
                "email": _text(organisation.get("email")),
            },
            "name": name,
            "summary": _text(service.get("summary")),
            "description": _text(service.get("description")),
            "status": _text(service.get("status")),
            "website": _text(service.get("url")),
            "email": _text(service.get("email")),
            "phone": _text(phones[0]["number"]) if phones else "",
            "eligibility": _text(service.get("eligibility_description")),
            "cost_description": fees,
            "cost": profile.get("cost") or (cost_from_text(fees) if fees else "free"),
            "age_min": service.get("minimum_age"),
            "age_max": service.get("maximum_age"),
            "terms": terms,
            "languages": [
                _text(lang.get("code")) or _text(lang.get("name"))
                for lang in service.get("languages") or []
                if isinstance(lang, dict)
            ],
            "locations": locations,
            "schedules": schedules,
            "contacts": contacts,
            "translations": [t for t in service.get("translations") or [] if isinstance(t, dict)],
            "last_verified": verified,
        }
        for key in ("registration_required", "childcare", "is_online", "is_on_site"):
            if isinstance(profile.get(key), bool):
                record[key] = profile[key]
        for key in ("valid_from", "valid_until"):
            if profile.get(key):
                record[key] = parse_date(_text(profile[key]))
        yield record


# ---------------------------------------------------------------------------------------------
# Ohana API CSV export (organizations, locations, addresses, services, phones)

OHANA_LIFE_AREAS = {
    "101": "beratung-und-recht",
    "102": "alltag-und-mobilitaet",
    "103": "wohnen",
    "104": "alltag-und-mobilitaet",
    "105": "alltag-und-mobilitaet",
    "106": "gesundheit",
    "107": "beratung-und-recht",
    "108": "familie-und-kinder",
    "109": "bildung-und-schule",
    "110": "arbeit-und-ausbildung",
    "111": "beratung-und-recht",
}
OHANA_FILES = ("organizations.csv", "locations.csv", "services.csv")


class OhanaSource:
    """An Ohana export: a folder or a zip file with the CSV files."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = None
        if path.is_file():
            try:
                self.zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as error:
                raise ImportFailed(
                    _(
                        "An Ohana export is a folder or a zip file with organizations.csv, locations.csv and services.csv."
                    )
                ) from error
            total = sum(i.file_size for i in self.zip.infolist())
            if total > MAX_UNPACKED_BYTES:
                raise ImportFailed(_("The zip file unpacks to more than the limit."))

    def names(self) -> set[str]:
        if self.zip:
            return {Path(n).name for n in self.zip.namelist()}
        return {p.name for p in self.path.iterdir()}

    def read(self, name: str) -> bytes | None:
        if name not in self.names():
            return None
        if self.zip:
            inner = next(n for n in self.zip.namelist() if Path(n).name == name)
            return self.zip.read(inner)
        return (self.path / name).read_bytes()


def _csv_dicts(data: bytes | None, report: ImportReport) -> Iterator[tuple[int, dict]]:
    if data is None:
        return
    text, encoding = decode(data)
    report.encoding = report.encoding or encoding
    reader = csv.DictReader(io.StringIO(text))
    start = 2
    for row in _csv_rows(reader):
        yield start, row
        start = reader.line_num + 1


def records_from_ohana(path: Path, report: ImportReport) -> Iterator[dict]:
    source = OhanaSource(path)
    missing = [n for n in OHANA_FILES if n not in source.names()]
    if missing:
        raise ImportFailed(_("The Ohana export lacks %(files)s.") % {"files": ", ".join(missing)})
    organisations = {
        row["id"]: row for _line, row in _csv_dicts(source.read("organizations.csv"), report)
    }
    addresses = {}
    for _line, row in _csv_dicts(source.read("addresses.csv"), report):
        addresses.setdefault(row.get("location_id", ""), row)
    locations = {row["id"]: row for _line, row in _csv_dicts(source.read("locations.csv"), report)}
    phones: dict[str, str] = {}
    for _line, row in _csv_dicts(source.read("phones.csv"), report):
        if (
            row.get("service_id")
            and row.get("number")
            and row.get("number_type", "voice") == "voice"
        ):
            number = row["number"] + (f" ext. {row['extension']}" if row.get("extension") else "")
            phones.setdefault(row["service_id"], number)
    categories = {
        row["id"]: row.get("taxonomy_id", "")
        for _l, row in _csv_dicts(source.read("categories.csv"), report)
    }
    service_categories = {}
    if raw := source.read("service_categories.json"):
        try:
            service_categories = json.loads(decode(raw)[0])
        except (json.JSONDecodeError, RecursionError):
            report.warn(_("service_categories.json is not valid JSON; categories left out."))
    for line, row in _csv_dicts(source.read("services.csv"), report):
        report.rows += 1
        name = (row.get("name") or "").strip()
        location = locations.get(row.get("location_id", ""))
        if not name:
            report.reject(line, _("The name is empty."))
            continue
        if location is None:
            report.reject(
                line,
                _("The service's location «%(id)s» does not exist.")
                % {"id": row.get("location_id")},
                name,
            )
            continue
        organisation = organisations.get(location.get("organization_id", ""))
        if organisation is None:
            report.reject(line, _("The location's organisation does not exist."), name)
            continue
        address = addresses.get(location["id"], {})
        life_areas = []
        for category in service_categories.get(row["id"], []):
            code = categories.get(str(category), "")[:3]
            if code in OHANA_LIFE_AREAS:
                life_areas.append(OHANA_LIFE_AREAS[code])
        fees = (row.get("fees") or "").strip()
        yield {
            "line": line,
            "source_id": row["id"],
            "organisation": {
                "source_id": organisation["id"],
                "name": (organisation.get("name") or "").strip(),
                "description": (organisation.get("description") or "").strip(),
                "website": (organisation.get("website") or "").strip(),
                "email": (organisation.get("email") or "").strip(),
            },
            "name": name,
            "summary": (row.get("alternate_name") or "").strip(),
            "description": (row.get("description") or "").strip(),
            "status": {"defunct": "inactive"}.get(row.get("status", ""), row.get("status", "")),
            "website": (row.get("website") or "").strip(),
            "email": (row.get("email") or "").strip(),
            "phone": phones.get(row["id"], ""),
            "eligibility": (row.get("eligibility") or "").strip(),
            "cost_description": fees,
            "cost": cost_from_text(fees) if fees else "free",
            "life_areas": list(dict.fromkeys(life_areas)),
            "languages": [],
            "locations": [
                {
                    "source_id": location["id"],
                    "name": (location.get("name") or "").strip(),
                    "street": " ".join(p for p in ((address.get("address_1") or "").strip(),) if p),
                    "postcode": (address.get("postal_code") or "").strip(),
                    "town": (address.get("city") or "").strip(),
                    "latitude": location.get("latitude", ""),
                    "longitude": location.get("longitude", ""),
                }
            ],
            "schedules": [],
            "contacts": [],
        }


def read_records(path: Path, fmt: str, report: ImportReport, mapping=None) -> Iterator[dict]:
    """The records of a file in `fmt`; raises ImportFailed for a file that cannot be read."""
    if not path.exists():
        raise ImportFailed(_("The file %(name)s does not exist.") % {"name": path.name})
    check_size(path)
    if fmt == "hsds":
        return records_from_hsds(read_json(path, report), report)
    if fmt == "csv":
        headers, rows = read_csv_table(path, report)
        return records_from_table(headers, rows, report, mapping)
    if fmt == "xlsx":
        headers, rows = read_xlsx_table(path, report)
        return records_from_table(headers, rows, report, mapping)
    if fmt == "ohana":
        return records_from_ohana(path, report)
    raise ImportFailed(_("Unknown format %(format)s.") % {"format": fmt})
