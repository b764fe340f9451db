"""Wegweiser objects as HSDS 3.0 records, with the German-integration profile's additions.

Empty values are left out instead of being sent as null: the HSDS schemas type most fields as
plain strings or numbers. Profile additions (see docs/hsds-profile.md): `summary`,
`translations`, `wegweiser` (fields without an HSDS home) on services, `ags` on service areas.
"""

from django.utils import timezone

from wegweiser.accounts.models import Organisation
from wegweiser.core.models import Municipality
from wegweiser.offers.constants import ScheduleKind
from wegweiser.offers.models import Location, Offer, OfferLocation, Schedule

from .constants import (
    HSDS_VERSION,
    LAENDER,
    PROFILE_URI,
    TAXONOMY_LIFE_AREAS,
    TAXONOMY_TARGET_GROUPS,
    WEEKDAY_CODES,
    child_id,
    vocabulary_id,
)
from .selectors import Term


def _clean(record: dict) -> dict:
    return {k: v for k, v in record.items() if v not in (None, "", [])}


def base_info(*, profile_url: str, openapi_url: str) -> dict:
    return {
        "version": HSDS_VERSION,
        "profile": profile_url or PROFILE_URI,
        "openapi_url": openapi_url,
    }


def organization_basic(organisation: Organisation) -> dict:
    return _clean(
        {
            "id": str(organisation.uuid),
            "name": organisation.name,
            "description": organisation.description or "",
            "email": organisation.email,
            "website": organisation.website,
        }
    ) | {"description": organisation.description or ""}


def organization_full(organisation: Organisation, services: list[dict]) -> dict:
    record = organization_basic(organisation)
    if organisation.phone:
        record["phones"] = [
            {"id": child_id(organisation.uuid, "phone", 0), "number": organisation.phone}
        ]
    record["services"] = services
    return record


def _assured_date(offer: Offer) -> str:
    # The profile requires the last-verified date; an offer never verified counts as verified
    # when the district published it (its creation in the directory).
    verified = offer.last_verified_at or offer.created_at
    return timezone.localtime(verified).date().isoformat()


def service_basic(offer: Offer) -> dict:
    return _clean(
        {
            "id": str(offer.uuid),
            "organization_id": str(offer.organisation.uuid),
            "name": offer.name,
            "description": offer.description,
            "url": offer.website,
            "email": offer.email,
            "status": offer.status,
            "fees_description": offer.cost_description,
            "eligibility_description": offer.eligibility,
            "minimum_age": offer.age_min,
            "maximum_age": offer.age_max,
            "assured_date": _assured_date(offer),
            "last_modified": offer.updated_at.isoformat(),
            "organization": organization_basic(offer.organisation),
        }
    )


def service_minimal(offer: Offer) -> dict:
    return {
        "id": str(offer.uuid),
        "name": offer.name,
        "status": offer.status,
        "last_modified": offer.updated_at.isoformat(),
    }


def _address(location: Location) -> dict:
    municipality = location.municipality
    return _clean(
        {
            "id": child_id(location.uuid, "address", 0),
            "location_id": str(location.uuid),
            "address_1": location.street or location.name,
            "city": municipality.name,
            "state_province": LAENDER.get(municipality.ags[:2], ""),
            "postal_code": location.postcode or "-",
            "country": "DE",
            "address_type": "physical",
        }
    ) | {"state_province": LAENDER.get(municipality.ags[:2], "-")}


def _accessibility(location: Location) -> list[dict]:
    features = []
    if location.step_free:
        features.append("step_free")
    if location.accessible_toilet:
        features.append("accessible_toilet")
    if location.hearing_loop:
        features.append("hearing_loop")
    if not features and not location.accessibility_note:
        return []
    return [
        _clean(
            {
                "id": child_id(location.uuid, "accessibility", 0),
                "location_id": str(location.uuid),
                "description": location.accessibility_note,
                "details": ",".join(features),
            }
        )
    ]


def location_record(location: Location) -> dict:
    record = _clean(
        {
            "id": str(location.uuid),
            "location_type": "physical",
            "organization_id": None,
            "name": location.name,
            "latitude": float(location.latitude) if location.latitude is not None else None,
            "longitude": float(location.longitude) if location.longitude is not None else None,
            "external_identifier": location.municipality.ags,
            "external_identifier_type": "ags",
            "addresses": [_address(location)],
            "accessibility": _accessibility(location),
        }
    )
    return record


def _time(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def schedule_record(offer: Offer, schedule: Schedule, index: int) -> dict:
    record = {
        "id": child_id(offer.uuid, "schedule", index),
        "service_id": str(offer.uuid),
        "location_id": str(schedule.location.uuid) if schedule.location_id else None,
        "opens_at": _time(schedule.opens_at),
        "closes_at": _time(schedule.closes_at),
        "notes": schedule.note,
        "attending_type": "in_person",
    }
    if schedule.kind == ScheduleKind.WEEKLY and schedule.weekday is not None:
        record |= {"freq": "WEEKLY", "byday": WEEKDAY_CODES[schedule.weekday], "wkst": "MO"}
    elif schedule.kind == ScheduleKind.DATE and schedule.date:
        record |= {
            "valid_from": schedule.date.isoformat(),
            "valid_to": schedule.date.isoformat(),
            "dtstart": schedule.date.isoformat(),
        }
    else:
        record["description"] = "appointment"
    return _clean(record)


def _service_area(offer: Offer, municipality: Municipality) -> dict:
    return {
        "id": child_id(offer.uuid, "service_area", municipality.ags),
        "service_id": str(offer.uuid),
        "name": municipality.name,
        "uri": f"urn:de:ags:{municipality.ags}",
        "extent_type": "text",
        "extent": municipality.ags,
        "ags": municipality.ags,
    }


def _attribute(offer: Offer, term: Term) -> dict:
    return {
        "id": child_id(offer.uuid, "attribute", term.id),
        "link_id": str(offer.uuid),
        "link_type": term.kind,
        "link_entity": "service",
        "taxonomy_term_id": term.id,
        "value": term.code,
        "taxonomy_term": taxonomy_term_record(term),
    }


def taxonomy_record(name: str) -> dict:
    descriptions = {
        TAXONOMY_LIFE_AREAS: "Lebensbereiche des Wegweisers (fields of life)",
        TAXONOMY_TARGET_GROUPS: "Zielgruppen des Wegweisers (target groups)",
    }
    return {
        "id": vocabulary_id("taxonomy", name),
        "name": name,
        "description": descriptions[name],
        "version": "1",
    }


def taxonomy_term_record(term: Term) -> dict:
    return {
        "id": term.id,
        "code": term.code,
        "name": term.name,
        "description": term.translations.get("en", term.name),
        "taxonomy": term.taxonomy,
        "taxonomy_id": vocabulary_id("taxonomy", term.taxonomy),
        "language": "de",
    }


def service_full(offer: Offer, terms: dict[tuple[str, int], Term], district=None) -> dict:
    """The fully nested service, as `/services/{id}` and the HSDS JSON export show it."""
    record = service_basic(offer)
    uuid = str(offer.uuid)
    if offer.phone:
        record["phones"] = [
            {"id": child_id(uuid, "phone", 0), "service_id": uuid, "number": offer.phone}
        ]
    schedules = sorted(
        offer.schedules.all(),
        key=lambda s: (
            s.kind,
            s.weekday if s.weekday is not None else -1,
            str(s.date),
            str(s.opens_at),
            s.note,
        ),
    )
    record["schedules"] = [schedule_record(offer, s, i) for i, s in enumerate(schedules)]
    links: list[OfferLocation] = list(offer.offer_locations.all())
    municipalities = {link.location.municipality.ags: link.location.municipality for link in links}
    if not municipalities and district is not None:
        municipalities = {district.ags: district}
    record["service_areas"] = [
        _service_area(offer, m) for _ags, m in sorted(municipalities.items())
    ]
    record["service_at_locations"] = [
        {
            "id": str(link.uuid),
            "service_id": uuid,
            "location_id": str(link.location.uuid),
            "location": location_record(link.location),
        }
        for link in links
    ]
    record["languages"] = [
        {
            "id": child_id(uuid, "language", language.code),
            "service_id": uuid,
            "name": language.name,
            "code": language.code,
        }
        for language in offer.languages.all()
    ]
    record["contacts"] = [
        _clean(
            {
                "id": child_id(uuid, "contact", i),
                "service_id": uuid,
                "name": c.name,
                "title": c.role,
                "email": c.email,
                "phones": [{"id": child_id(uuid, "contact_phone", i), "number": c.phone}]
                if c.phone
                else [],
            }
        )
        for i, c in enumerate(sorted(offer.contacts.all(), key=lambda c: (c.name, c.role, c.email)))
    ]
    attributes = [
        terms[("life_area", a.pk)] for a in offer.life_areas.all() if ("life_area", a.pk) in terms
    ]
    attributes += [
        terms[("target_group", g.pk)]
        for g in offer.target_groups.all()
        if ("target_group", g.pk) in terms
    ]
    record["attributes"] = [_attribute(offer, t) for t in attributes]
    # Profile additions.
    record["summary"] = offer.summary
    record["translations"] = [
        _clean(
            {
                "language": t.language,
                "name": t.name,
                "summary": t.summary,
                "description": t.description,
                "state": t.state,
            }
        )
        for t in offer.translations.all()
    ]
    record["wegweiser"] = _clean(
        {
            "cost": offer.cost,
            "registration_required": offer.registration_required,
            "childcare": offer.childcare,
            "is_online": offer.is_online,
            "is_on_site": offer.is_on_site,
            "valid_from": offer.valid_from.isoformat() if offer.valid_from else None,
            "valid_until": offer.valid_until.isoformat() if offer.valid_until else None,
            "last_verified_at": offer.last_verified_at.isoformat()
            if offer.last_verified_at
            else None,
        }
    )
    return record


def service_at_location_record(link: OfferLocation) -> dict:
    return {
        "id": str(link.uuid),
        "service_id": str(link.offer.uuid),
        "location_id": str(link.location.uuid),
        "location": location_record(link.location),
        "service": service_basic(link.offer),
    }


def term_index(terms: list[Term]) -> dict[tuple[str, int], Term]:
    return {(t.kind, t.pk): t for t in terms}
