import factory

from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.core.models import Municipality
from wegweiser.offers.constants import ScheduleKind
from wegweiser.offers.models import Location, Offer, Schedule
from wegweiser.offers.search import offer_index


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Beratungsstelle {n}")
    street = "Hauptstraße 1"
    postcode = "45699"
    municipality = factory.LazyFunction(lambda: Municipality.objects.get(slug="herten"))
    latitude = "51.595000"
    longitude = "7.141000"


def location_in(town: str) -> Location:
    """A location at the centre of the town with this slug (the district fixture's towns)."""
    municipality = Municipality.objects.get(slug=town)
    return LocationFactory(
        municipality=municipality, latitude=municipality.latitude, longitude=municipality.longitude
    )


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Angebot {n}")
    summary = "Ein Angebot für Neuzugewanderte."
    description = "Beschreibung des Angebots."
    is_published = True

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        for location in extracted or []:
            self.offer_locations.create(location=location)

    @factory.post_generation
    def life_areas(self, create, extracted, **kwargs):
        if extracted:
            self.life_areas.set(extracted)

    @factory.post_generation
    def search_index(self, create, extracted, **kwargs):
        # Offers made by services are indexed there; factory offers the same way.
        if create:
            offer_index(self)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    offer = factory.SubFactory(OfferFactory)
    kind = ScheduleKind.WEEKLY
