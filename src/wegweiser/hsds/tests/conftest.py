import datetime

import pytest
from jsonschema import Draft202012Validator

from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup
from wegweiser.hsds import schemas
from wegweiser.offers.constants import ScheduleKind
from wegweiser.offers.models import OfferContact, OfferTranslation
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory, ScheduleFactory


def assert_valid(instance, schema) -> None:
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert errors == [], "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


SERVICE_FULL = schemas.compiled("service_with_definitions")


def service_full_schema():
    return SERVICE_FULL


def page_schema(name: str):
    if name in ("taxonomy", "taxonomy_term"):
        return schemas.page_of(schemas.definition(name))
    if name == "service_full":
        return schemas.page_of(SERVICE_FULL)
    return schemas.page_of(schemas.compiled(name))


def make_offer(organisation=None, *, name="Sprachcafé", town="herten", **fields):
    """A published offer with everything HSDS can show: location, schedules, contact, translation."""
    municipality = Municipality.objects.get(slug=town)
    extra = {"organisation": organisation} if organisation else {}
    offer = OfferFactory(
        name=name,
        summary=f"{name}: Kurzbeschreibung",
        description=f"Beschreibung von {name}",
        website="https://example.org/angebot",
        email="kontakt@example.org",
        phone="02366 1234",
        age_min=16,
        age_max=99,
        eligibility="Alle Neuzugewanderten",
        cost_description="kostenlos",
        last_verified_at=datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC),
        **extra,
        **fields,
    )
    location = LocationFactory(
        organisation=offer.organisation,
        name=f"Treffpunkt {name}",
        municipality=municipality,
        postcode=(municipality.postcodes or ["45699"])[0],
        step_free=True,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
    )
    offer.offer_locations.create(location=location)
    offer.life_areas.set(LifeArea.objects.filter(slug="sprache"))
    offer.target_groups.set(TargetGroup.objects.filter(slug="frauen"))
    offer.languages.set(Language.objects.filter(code__in=["de", "ar"]))
    ScheduleFactory(offer=offer, weekday=1, opens_at="10:00", closes_at="12:00", location=location)
    ScheduleFactory(
        offer=offer,
        kind=ScheduleKind.DATE,
        date=datetime.date(2026, 9, 3),
        opens_at="15:00",
        closes_at="17:00",
    )
    OfferContact.objects.create(
        offer=offer, name="Beratungsteam", email="team@example.org", phone="02366 99"
    )
    OfferTranslation.objects.create(
        offer=offer, language="ar", name="مقهى اللغة", summary="ملخص", source_hash="x"
    )
    return offer


@pytest.fixture
def offer(district, org_a):
    return make_offer(org_a)
