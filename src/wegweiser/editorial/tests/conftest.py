"""Fixtures of the editorial tests: the district, offers of organisations A and B."""

import pytest

from wegweiser.accounts.constants import Role
from wegweiser.core.models import LifeArea, Municipality
from wegweiser.editorial import services
from wegweiser.editorial.snapshots import offer_snapshot
from wegweiser.offers import services as offer_services
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory


def make_offer(organisation, *, name="Deutschkurs am Vormittag", town="herten", **fields):
    location = LocationFactory(
        organisation=organisation, municipality=Municipality.objects.get(slug=town)
    )
    offer = OfferFactory(
        organisation=organisation,
        name=name,
        locations=[location],
        life_areas=[LifeArea.objects.get(slug="sprache")],
        **fields,
    )
    offer_services.contact_add(offer=offer, name="Frau Beispiel", email="kontakt@example.org")
    return offer


def changed(offer, **fields):
    """The offer's snapshot with some German fields changed."""
    data = offer_snapshot(offer)
    data["fields"].update(fields)
    return data


def blank_snapshot(**fields):
    """A complete snapshot of a new on-site offer in the life area "Sprache"."""
    from wegweiser.editorial.snapshots import empty_snapshot

    data = empty_snapshot()
    data["fields"].update(
        status="active",
        cost="free",
        cost_description="",
        description="",
        eligibility="",
        registration_required=False,
        childcare=False,
        is_online=False,
        is_on_site=True,
        website="",
        email="",
        phone="",
        **fields,
    )
    data["life_areas"] = ["sprache"]
    return data


@pytest.fixture
def offer_a(district, org_a):
    return make_offer(org_a)


@pytest.fixture
def offer_b(district, org_b):
    return make_offer(org_b, name="Schuldnerberatung", town="marl")


@pytest.fixture
def ki(make_member, org_a):
    return make_member(Role.KI_EDITOR, org_a, email="ki@example.org", full_name="Kim Redaktion")


@pytest.fixture
def submitted(offer_a, bob):
    revision = services.revision_save(
        actor=bob, offer=offer_a, data=changed(offer_a, summary="Neue Zusammenfassung.")
    )
    return services.revision_submit(actor=bob, revision=revision)
