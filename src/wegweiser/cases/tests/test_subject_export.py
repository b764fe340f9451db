"""A person's data export (Art. 15) respects that each organisation is its own controller."""

import json

import pytest

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.cases import services
from wegweiser.privacy.subject_rights import subject_export

from .factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_two_cases(org_a, org_b, manager_a, manager_b):
    person = PersonFactory()
    case_a = CaseFactory(person=person, organisation=org_a, case_manager=manager_a)
    case_b = CaseFactory(person=person, organisation=org_b, case_manager=manager_b)
    services.note_add(actor=manager_a, case=case_a, text="Notiz der Organisation A")
    services.note_add(actor=manager_b, case=case_b, text="Notiz der Organisation B")
    return person


def _export(actor, person):
    return json.loads(subject_export(actor=actor, subject=person))


def _texts(data):
    return json.dumps(data["records"], ensure_ascii=False)


def test_case_manager_exports_only_what_their_organisation_controls(
    person_with_two_cases, manager_a, org_b
):
    data = _export(manager_a, person_with_two_cases)
    assert "Notiz der Organisation A" in _texts(data)
    assert "Notiz der Organisation B" not in _texts(data)
    assert data["other_controllers"] == [org_b.name]


def test_coordinator_export_holds_no_case_content_but_names_the_controllers(
    person_with_two_cases, make_member, org_a, org_b
):
    district = OrganisationFactory(name="Kreis (KI)")
    coordinator = make_member(Role.KIM_COORDINATOR, district, email="coord@example.org")
    data = _export(coordinator, person_with_two_cases)
    labels = {record["model"] for record in data["records"]}
    assert "cases.person" in labels
    assert not labels & {"cases.case", "cases.note"}
    assert "Notiz der Organisation" not in _texts(data)
    assert data["other_controllers"] == sorted([org_a.name, org_b.name])


def test_operator_export_without_actor_holds_everything(person_with_two_cases):
    data = json.loads(subject_export(actor=None, subject=person_with_two_cases))
    assert "Notiz der Organisation A" in _texts(data)
    assert "Notiz der Organisation B" in _texts(data)
    assert data["other_controllers"] == []
