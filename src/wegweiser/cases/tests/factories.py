import factory

from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.cases.models import Case, CaseManagementSetting, Person
from wegweiser.core.tests.factories import TownFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Vorname{n}")
    family_name = factory.Sequence(lambda n: f"Nachname{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "+49 2361 000000"
    languages = factory.LazyFunction(lambda: ["ar", "de"])
    municipality = factory.SubFactory(TownFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class CaseManagementSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseManagementSetting

    organisation = factory.SubFactory(OrganisationFactory)
    capacity = 10
    languages = factory.LazyFunction(lambda: ["de", "ar"])
