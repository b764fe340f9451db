import random

import pytest

from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.core.models import Municipality
from wegweiser.offers.demo import _location
from wegweiser.offers.tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


class _AlwaysReuse(random.Random):
    def random(self) -> float:
        return 0.0  # below the demo's reuse probability


def test_demo_offers_reuse_the_same_of_same_named_locations_whatever_the_row_order(district):
    # The shipped demo vectors are keyed by the offers' texts, which name the location's street:
    # the choice among a provider's same-named locations in a town must not depend on the
    # order in which the database returns tied rows (PostgreSQL: the order of its heap).
    provider = OrganisationFactory()
    town = Municipality.objects.get(slug="herten")
    kwargs = {"organisation": provider, "municipality": town, "name": "Treffpunkt"}
    LocationFactory(pk=900_002, street="Weg 2", **kwargs)  # stored first
    first_by_pk = LocationFactory(pk=900_001, street="Weg 1", **kwargs)

    assert _location(_AlwaysReuse(), provider, town) == first_by_pk
