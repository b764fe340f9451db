"""CSV import of intakes from registration offices that export lists.

All or nothing: every row is validated first; a single bad row rejects the whole file, with the
line number and reason of each problem. Re-importing a file is harmless: rows whose office
reference was already imported are skipped.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from wegweiser.core.models import Language, Municipality

from . import consent
from .models import Intake
from .services import intake_record

REQUIRED_COLUMNS = ["ref", "given_name", "family_name", "town", "consent", "consent_language"]
OPTIONAL_COLUMNS = [
    "arrival_date",
    "email",
    "phone",
    "address",
    "languages",
    "household_size",
    "household_members",
    "address_block",
    "notice_version",
]
YES = {"ja", "yes", "j", "y", "1", "true", "x"}
NO = {"nein", "no", "n", "0", "false", ""}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    skipped: int = 0
    encoding: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252/Latin-1 as offices' spreadsheets write."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _date(value: str) -> date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _town_lookup() -> dict[str, Any]:
    lookup = {}
    for town in Municipality.objects.filter(kind="town"):
        for key in (town.ags, town.slug, town.name):
            lookup[key.strip().lower()] = town
    return lookup


def _parse_row(row: dict[str, str], towns, language_codes, notice_languages) -> tuple[dict, list]:
    problems: list[str] = []
    data: dict[str, Any] = {}
    for column in ("ref", "given_name", "family_name"):
        if not row.get(column):
            problems.append(_("%(column)s is empty") % {"column": column})
    data["external_ref"] = row.get("ref", "")[:100]
    data["given_name"] = row.get("given_name", "")[:100]
    data["family_name"] = row.get("family_name", "")[:100]
    town = towns.get(row.get("town", "").lower())
    if town is None:
        problems.append(_("unknown town %(town)s") % {"town": row.get("town", "")})
    data["municipality"] = town
    answer = row.get("consent", "").lower()
    if answer in YES:
        data["consent_given"] = True
    elif answer in NO and answer:
        data["consent_given"] = False
    else:
        problems.append(_("consent must be ja or nein, not %(value)s") % {"value": answer})
    language = row.get("consent_language", "").lower()
    if language not in notice_languages:
        problems.append(_("unknown consent language %(value)s") % {"value": language})
    data["consent_language"] = language
    try:
        data["arrival_date"] = _date(row.get("arrival_date", ""))
    except ValueError:
        problems.append(
            _("arrival date %(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY)")
            % {"value": row.get("arrival_date", "")}
        )
    email = row.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("invalid e-mail address %(value)s") % {"value": email})
    data["email"] = email
    data["phone"] = row.get("phone", "")[:50]
    data["address"] = row.get("address", "")[:300]
    data["household_members"] = row.get("household_members", "")
    codes = [c.strip().lower() for c in row.get("languages", "").replace(",", ";").split(";")]
    codes = [c for c in codes if c]
    unknown = [c for c in codes if c not in language_codes]
    if unknown:
        problems.append(_("unknown languages %(codes)s") % {"codes": ", ".join(unknown)})
    data["languages"] = codes
    size = row.get("household_size", "") or "1"
    if not size.isdigit() or not 1 <= int(size) <= 30:
        problems.append(
            _("household size %(value)s is not a number from 1 to 30") % {"value": size}
        )
    else:
        data["household_size"] = int(size)
    block = row.get("address_block", "").lower()
    if block not in YES | NO:
        problems.append(_("address block must be ja or nein, not %(value)s") % {"value": block})
    data["address_block"] = block in YES
    data["notice"] = None
    if not problems:
        version = row.get("notice_version", "")
        notice = (
            consent.notice_find(version=int(version), language=language)
            if version.isdigit()
            else None
        )
        if notice is None:
            problems.append(
                _("no consent notice version %(version)s in %(language)s")
                % {"version": version, "language": language}
            )
        data["notice"] = notice
    return data, problems


def intakes_import(*, actor: Any, office: Any, raw: bytes) -> ImportResult:
    """Validate the whole file, then import every new row in one transaction (or none)."""
    result = ImportResult()
    text, result.encoding = decode(raw)
    if not text.strip():
        result.errors.append((1, _("The file is empty.")))
        return result
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        result.errors.append(
            (1, _("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return result
    reader.fieldnames = header
    towns = _town_lookup()
    language_codes = set(Language.objects.values_list("code", flat=True))
    notice_languages = {code for code, _name in settings.LANGUAGES}
    existing = set(
        Intake.objects.filter(office=office)
        .exclude(external_ref="")
        .values_list("external_ref", flat=True)
    )
    seen_refs: dict[str, int] = {}
    seen_people: dict[tuple, int] = {}
    rows: list[dict] = []
    for row in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            result.errors.append((line, _("Too many rows (at most %(max)s).") % {"max": MAX_ROWS}))
            break
        if None in row:
            result.errors.append((line, _("More values than columns.")))
            continue
        clean = {key: (value or "").strip() for key, value in row.items() if key}
        data, problems = _parse_row(clean, towns, language_codes, notice_languages)
        ref = data["external_ref"]
        if ref in seen_refs:
            problems.append(
                _("reference %(ref)s repeats line %(line)s") % {"ref": ref, "line": seen_refs[ref]}
            )
        seen_refs.setdefault(ref, line)
        person_key = (
            data["given_name"].lower(),
            data["family_name"].lower(),
            data.get("arrival_date"),
        )
        if person_key in seen_people:
            problems.append(_("same person as line %(line)s") % {"line": seen_people[person_key]})
        seen_people.setdefault(person_key, line)
        for problem in problems:
            result.errors.append((line, problem))
        if ref in existing:
            result.skipped += 1
            continue
        rows.append(data)
    if result.errors:
        return result
    with transaction.atomic():
        for data in rows:
            intake_record(actor=actor, office=office, interpreter=False, **data)
            result.created += 1
    return result
