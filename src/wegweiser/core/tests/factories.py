import factory

from wegweiser.core.constants import MunicipalityKind
from wegweiser.core.models import LifeArea, Municipality


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("ags",)

    ags = "05562"
    name = "Kreis Recklinghausen"
    slug = "kreis-recklinghausen"
    kind = MunicipalityKind.DISTRICT
    latitude = "51.635000"
    longitude = "7.195000"


class TownFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    ags = factory.Sequence(lambda n: f"05562{n + 100:03d}")
    name = factory.Sequence(lambda n: f"Teststadt {n}")
    slug = factory.Sequence(lambda n: f"teststadt-{n}")
    kind = MunicipalityKind.TOWN
    parent = factory.SubFactory(DistrictFactory)
    latitude = "51.600000"
    longitude = "7.200000"
    postcodes = factory.LazyFunction(lambda: ["45699"])


class LifeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeArea

    slug = factory.Sequence(lambda n: f"bereich-{n}")
    name = factory.Sequence(lambda n: f"Bereich {n}")
    name_translations = factory.LazyAttribute(lambda o: {"en": f"Area {o.slug}"})
