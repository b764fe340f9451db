"""All writes of the hsds app: importing offers (HSDS JSON, CSV, XLSX, Ohana CSV).

An import is all-or-nothing: the rows that pass validation are written in one transaction, and
an unexpected error rolls all of them back. Rows that fail validation are not written and are
reported with their line and the reason. Re-importing the same file changes nothing new: offers
are found again by (source_system, source_id). Nothing is geocoded: coordinates come from the
file, and towns from the AGS, postcode or town name the file gives.
"""

import datetime
import time
import uuid as uuid_module
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.accounts.models import Organisation
from wegweiser.accounts.services import organisation_create
from wegweiser.core.constants import MunicipalityKind
from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup
from wegweiser.offers.constants import Cost, OfferStatus, ScheduleKind
from wegweiser.offers.models import Location, Offer, OfferLocation
from wegweiser.offers.services import (
    contact_add,
    location_create,
    offer_create,
    offer_translation_save,
    offer_update,
    schedule_add,
)
from wegweiser.privacy.services import audit_log
from wegweiser.search.services import indexing_deferred

from .constants import vocabulary_id
from .parsers import ImportFailed, ImportReport, read_records

DEFAULT_SOURCE = {"hsds": "hsds", "csv": "spreadsheet", "xlsx": "spreadsheet", "ohana": "ohana"}


def _uuid(value: str) -> uuid_module.UUID | None:
    try:
        return uuid_module.UUID(str(value))
    except (ValueError, TypeError):
        return None


def _valid(validator, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _url(value: str, report: ImportReport) -> str:
    value = (value or "").strip()
    if value and not value.startswith(("http://", "https://")):
        value = "https://" + value
    if value and (len(value) > 200 or not _valid(URLValidator(), value)):
        report.warn(_("Invalid web addresses were left out."))
        return ""
    return value


def _email(value: str, report: ImportReport) -> str:
    value = (value or "").strip()
    if value and (len(value) > 254 or not _valid(EmailValidator(), value)):
        report.warn(_("Invalid e-mail addresses were left out."))
        return ""
    return value


def _cut(value: str, length: int, report: ImportReport) -> str:
    value = (value or "").strip()
    if len(value) > length:
        report.warn(_("Texts longer than their field were shortened."))
        return value[: length - 1].rstrip() + "…"
    return value


def _summary(record: dict) -> str:
    text = record.get("summary") or record.get("description") or record["name"]
    first = text.split("\n")[0]
    return first if len(first) <= 300 else first[:299].rstrip() + "…"


def _coordinate(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        return None


def _moment(value) -> datetime.datetime | None:
    if not value:
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time(12)))
    text = str(value)
    moment = parse_datetime(text)
    if moment is None:
        try:
            day = datetime.date.fromisoformat(text[:10])
        except ValueError:
            return None
        moment = datetime.datetime.combine(day, datetime.time(12))
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class _Vocabulary:
    """Everything an import looks up, loaded once."""

    def __init__(self):
        self.life_areas = {}
        self.target_groups = {}
        self.term_ids = {}
        for area in LifeArea.objects.all():
            for key in (area.slug, area.name, *area.name_translations.values()):
                self.life_areas[key.casefold()] = area
            self.term_ids[vocabulary_id("life_area", area.slug)] = ("life_area", area)
        for group in TargetGroup.objects.all():
            for key in (group.slug, group.name, *group.name_translations.values()):
                self.target_groups[key.casefold()] = group
            self.term_ids[vocabulary_id("target_group", group.slug)] = ("target_group", group)
        self.languages = {}
        for language in Language.objects.all():
            for key in (
                language.code,
                language.name,
                language.native_name,
                *language.name_translations.values(),
            ):
                self.languages[key.casefold()] = language
        self.municipalities = list(Municipality.objects.all())
        self.by_ags = {m.ags: m for m in self.municipalities}
        self.by_postcode = {p: m for m in self.municipalities for p in (m.postcodes or [])}
        self.by_name = {m.name.casefold(): m for m in self.municipalities}
        self.district = next(
            (m for m in self.municipalities if m.kind == MunicipalityKind.DISTRICT),
            self.municipalities[0] if self.municipalities else None,
        )

    def municipality(self, location: dict) -> tuple[Municipality | None, bool]:
        """The town of a location, and whether it was found (not the district fallback)."""
        for found in (
            self.by_ags.get(location.get("ags", "")),
            self.by_postcode.get(location.get("postcode", "")),
            self.by_name.get((location.get("town") or "").casefold()),
        ):
            if found is not None:
                return found, True
        return self.district, False


def _prepare(record: dict, vocabulary: _Vocabulary, report: ImportReport) -> dict:
    """Validated offer fields of a record; raises ValidationError with a reason for the row."""
    fields = {
        "name": _cut(record["name"], 200, report),
        "summary": _cut(_summary(record), 300, report),
        "description": record.get("description", ""),
        "eligibility": _cut(record.get("eligibility", ""), 300, report),
        "cost_description": _cut(record.get("cost_description", ""), 300, report),
        "website": _url(record.get("website", ""), report),
        "email": _email(record.get("email", ""), report),
        "phone": _cut(record.get("phone", ""), 50, report),
        "status": record.get("status") or OfferStatus.ACTIVE,
        "cost": record.get("cost") or Cost.FREE,
    }
    if fields["status"] not in OfferStatus.values:
        raise ValidationError(_("Unknown status %(status)s.") % {"status": fields["status"]})
    if fields["cost"] not in Cost.values:
        fields["cost"] = Cost.FEE
    for key in ("age_min", "age_max"):
        value = record.get(key)
        if value not in (None, ""):
            try:
                value = int(value)
            except (TypeError, ValueError) as error:
                raise ValidationError(_("The age is not a whole number.")) from error
            if not 0 <= value <= 150:
                raise ValidationError(_("An age must be between 0 and 150."))
            fields[key] = value
    ages = (fields.get("age_min"), fields.get("age_max"))
    if None not in ages and ages[0] > ages[1]:
        raise ValidationError(_("The minimum age is above the maximum age."))
    for key in (
        "registration_required",
        "childcare",
        "is_online",
        "is_on_site",
        "valid_from",
        "valid_until",
    ):
        if record.get(key) is not None:
            fields[key] = record[key]
    if (
        fields.get("valid_from")
        and fields.get("valid_until")
        and fields["valid_from"] > fields["valid_until"]
    ):
        raise ValidationError(_("The offer ends before it begins."))
    offer = Offer(**fields)
    offer.full_clean(exclude=["organisation"], validate_unique=False, validate_constraints=False)
    life_areas, target_groups = [], []
    for value in record.get("life_areas", []):
        if area := vocabulary.life_areas.get(value.casefold()):
            life_areas.append(area)
        else:
            report.warn(_("Unknown life area left out: %(value)s") % {"value": value[:40]})
    for value in record.get("target_groups", []):
        if group := vocabulary.target_groups.get(value.casefold()):
            target_groups.append(group)
        else:
            report.warn(_("Unknown target group left out: %(value)s") % {"value": value[:40]})
    for term in record.get("terms", []):
        found = vocabulary.term_ids.get(term["id"])
        if found is None and term.get("code"):
            code = term["code"].casefold()
            if code in vocabulary.life_areas:
                found = ("life_area", vocabulary.life_areas[code])
            elif code in vocabulary.target_groups:
                found = ("target_group", vocabulary.target_groups[code])
        if found is None:
            report.warn(_("Taxonomy terms that Wegweiser does not know were left out."))
        elif found[0] == "life_area":
            life_areas.append(found[1])
        else:
            target_groups.append(found[1])
    languages = []
    for value in record.get("languages", []):
        if language := vocabulary.languages.get(value.casefold()):
            languages.append(language)
        else:
            report.warn(_("Unknown language left out: %(value)s") % {"value": value[:40]})
    fields["life_areas"] = list(dict.fromkeys(life_areas))
    fields["target_groups"] = list(dict.fromkeys(target_groups))
    fields["languages"] = list(dict.fromkeys(languages))
    locations = []
    for location in record.get("locations", []):
        municipality, found = vocabulary.municipality(location)
        if not found:
            if record.get("require_known_town"):
                raise ValidationError(
                    _("Town %(town)s / postcode %(postcode)s is not in the district.")
                    % {
                        "town": location.get("town") or "–",
                        "postcode": location.get("postcode") or "–",
                    }
                )
            report.warn(_("Locations outside the district's towns were filed under the district."))
        if municipality is None:
            raise ValidationError(_("No district loaded: run load_district first."))
        latitude, longitude = (
            _coordinate(location.get("latitude")),
            _coordinate(location.get("longitude")),
        )
        if (latitude is None) != (longitude is None) or (
            latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)
        ):
            report.warn(_("Invalid coordinates were left out."))
            latitude = longitude = None
        prepared = {
            "name": _cut(
                location.get("name") or location.get("street") or municipality.name, 200, report
            ),
            "street": _cut(location.get("street", ""), 200, report),
            "postcode": _cut(location.get("postcode", ""), 10, report),
            "municipality": municipality,
            "latitude": latitude,
            "longitude": longitude,
            "step_free": bool(location.get("step_free")),
            "accessible_toilet": bool(location.get("accessible_toilet")),
            "hearing_loop": bool(location.get("hearing_loop")),
            "accessibility_note": _cut(location.get("accessibility_note", ""), 300, report),
        }
        Location(**prepared).full_clean(exclude=["organisation"], validate_unique=False)
        locations.append(
            prepared
            | {
                "_source_id": location.get("source_id", ""),
                "_link_source_id": location.get("link_source_id", ""),
            }
        )
    fields["_locations"] = locations
    return fields


class _Writer:
    def __init__(self, *, actor, source_system: str, report: ImportReport, publish: bool):
        self.actor = actor
        self.source_system = source_system
        self.report = report
        self.publish = publish
        self.organisations: dict[str, Organisation] = {}

    def organisation(self, data: dict) -> Organisation:
        key = data.get("uuid") or data.get("source_id") or data["name"].casefold()
        if key in self.organisations:
            return self.organisations[key]
        found = None
        if (wanted := _uuid(data.get("uuid", ""))) is not None:
            found = Organisation.objects.filter(uuid=wanted).first()
        if found is None:
            found = (
                Organisation.objects.filter(name__iexact=data["name"][:200]).order_by("pk").first()
            )
        if found is None:
            found = organisation_create(
                actor=self.actor,
                name=_cut(data["name"], 200, self.report),
                kind=OrganisationKind.OTHER,
                description=data.get("description", ""),
                website=_url(data.get("website", ""), self.report),
                email=_email(data.get("email", ""), self.report),
            )
            if wanted is not None and not Organisation.objects.filter(uuid=wanted).exists():
                Organisation.objects.filter(pk=found.pk).update(uuid=wanted)
                found.uuid = wanted
            self.report.organisations_created += 1
        self.organisations[key] = found
        return found

    def location(self, organisation: Organisation, data: dict) -> Location:
        wanted = _uuid(data["_source_id"])
        found = Location.objects.filter(uuid=wanted).first() if wanted else None
        if found is None:
            found = Location.objects.filter(
                organisation=organisation,
                name=data["name"],
                street=data["street"],
                postcode=data["postcode"],
            ).first()
        if found is None:
            found = location_create(
                organisation=organisation,
                **{k: v for k, v in data.items() if not k.startswith("_")},
            )
            if wanted is not None and not Location.objects.filter(uuid=wanted).exists():
                Location.objects.filter(pk=found.pk).update(uuid=wanted)
                found.uuid = wanted
            self.report.locations_created += 1
        return found

    def write(self, record: dict, fields: dict) -> None:
        organisation = self.organisation(record["organisation"])
        locations_data = fields.pop("_locations")
        offer = Offer.objects.filter(
            source_system=self.source_system, source_id=record["source_id"]
        ).first()
        if offer is None:
            offer = offer_create(
                actor=self.actor,
                organisation=organisation,
                source_system=self.source_system,
                source_id=record["source_id"][:100],
                is_published=self.publish,
                **fields,
            )
            wanted = _uuid(record.get("uuid", ""))
            if wanted is not None and not Offer.objects.filter(uuid=wanted).exists():
                Offer.objects.filter(pk=offer.pk).update(uuid=wanted)
                offer.uuid = wanted
            self.report.created += 1
            self._duplicates(offer, organisation, locations_data)
        else:
            offer = offer_update(actor=self.actor, offer=offer, organisation=organisation, **fields)
            self.report.updated += 1
        # Locations, opening times and contacts follow the file (replaced, not added).
        links = {}
        for data in locations_data:
            location = self.location(organisation, data)
            link, created = OfferLocation.objects.get_or_create(offer=offer, location=location)
            wanted = _uuid(data["_link_source_id"])
            if created and wanted and not OfferLocation.objects.filter(uuid=wanted).exists():
                OfferLocation.objects.filter(pk=link.pk).update(uuid=wanted)
            links[data["_source_id"]] = location
            links[str(location.uuid)] = location
        offer.offer_locations.exclude(location__in=list(links.values())).delete()
        offer.schedules.all().delete()
        for schedule in record.get("schedules", []):
            data = {k: v for k, v in schedule.items() if k != "location_source_id"}
            data.setdefault("kind", ScheduleKind.WEEKLY)
            data["location"] = links.get(schedule.get("location_source_id") or "")
            try:
                schedule_add(offer=offer, **data)
            except ValidationError:
                self.report.warn(_("Invalid opening times were left out."))
        offer.contacts.all().delete()
        for contact in record.get("contacts", []):
            if not contact.get("name"):
                continue
            contact_add(
                offer=offer,
                name=_cut(contact["name"], 200, self.report),
                role=_cut(contact.get("role", ""), 200, self.report),
                phone=_cut(contact.get("phone", ""), 50, self.report),
                email=_email(contact.get("email", ""), self.report),
            )
        for translation in record.get("translations", []):
            language = str(translation.get("language") or "")[:10]
            name = str(translation.get("name") or "")
            if not language or not name or language == "de":
                continue
            offer_translation_save(
                actor=self.actor,
                offer=offer,
                language=language,
                name=_cut(name, 200, self.report),
                summary=_cut(str(translation.get("summary") or ""), 300, self.report),
                description=str(translation.get("description") or ""),
                machine=translation.get("state") == "machine",
            )
        if verified := _moment(record.get("last_verified")):
            Offer.objects.filter(pk=offer.pk).update(last_verified_at=verified)

    def _duplicates(self, offer: Offer, organisation: Organisation, locations: list[dict]) -> None:
        try:
            from wegweiser.editorial.selectors import offer_find_duplicates
        except ImportError:
            return
        municipality = locations[0]["municipality"] if locations else None
        try:
            found = offer_find_duplicates(
                organisation=organisation, name=offer.name, municipality=municipality
            )
        except Exception:
            return
        for other in found or []:
            if getattr(other, "pk", None) != offer.pk:
                self.report.duplicates.append(f"{offer.name} ↔ {other}")


def import_offers(
    *,
    actor,
    fmt: str,
    path: Path | str,
    dry_run: bool = False,
    source_system: str = "",
    mapping: dict[str, str] | None = None,
    publish: bool = True,
    progress=None,
    skip_rejected: bool = False,
) -> ImportReport:
    """Import a file; returns the report (its `failed` says why nothing was imported).

    All or nothing: when any row is rejected, nothing is imported – unless the editor decided,
    after seeing the rejected rows, to import the others (`skip_rejected`). A dry run reports
    what would happen either way.
    """
    started = time.monotonic()
    path = Path(path)
    source_system = (source_system or DEFAULT_SOURCE.get(fmt, fmt))[:50]
    report = ImportReport(format=fmt, source_system=source_system, dry_run=dry_run)
    try:
        vocabulary = _Vocabulary()
        prepared = []
        seen = set()
        for record in read_records(path, fmt, report, mapping):
            if record["source_id"] in seen:
                report.reject(
                    record["line"],
                    _("The id %(id)s appears twice in the file.") % {"id": record["source_id"]},
                    record["name"],
                )
                continue
            try:
                fields = _prepare(record, vocabulary, report)
            except ValidationError as error:
                report.reject(record["line"], "; ".join(error.messages), record["name"])
                continue
            seen.add(record["source_id"])
            prepared.append((record, fields))
        if report.rejected and not (skip_rejected or dry_run):
            raise ImportFailed(
                ngettext(
                    "%(count)s row was rejected, so nothing was imported. Correct the file, or "
                    "import the other rows and skip the rejected one.",
                    "%(count)s rows were rejected, so nothing was imported. Correct the file, or "
                    "import the other rows and skip the rejected ones.",
                    len(report.rejected),
                )
                % {"count": len(report.rejected)}
            )
        writer = _Writer(actor=actor, source_system=source_system, report=report, publish=publish)
        with transaction.atomic():
            with indexing_deferred():
                for done, (record, fields) in enumerate(prepared, start=1):
                    writer.write(record, fields)
                    if progress and done % 50 == 0:
                        progress(done, len(prepared))
            audit_log(
                action="hsds.import.completed" if not dry_run else "hsds.import.dry_run",
                actor=actor,
                object_type="hsds.import",
                object_id=source_system,
                fields=[fmt],
                reason=f"{report.created} created, {report.updated} updated, {len(report.rejected)} rejected",
            )
            if dry_run:
                transaction.set_rollback(True)
    except ImportFailed as error:
        report.failed = str(error)
    except (ValidationError, ValueError, IntegrityError) as error:
        # Should not happen after validation; nothing is kept.
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        report.failed = _("Nothing was imported: %(reason)s") % {"reason": "; ".join(messages)}
        report.created = report.updated = 0
    report.seconds = time.monotonic() - started
    return report
