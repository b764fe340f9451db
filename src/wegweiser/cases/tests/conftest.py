"""Fixtures of the cases tests.

`grants` stands in for the privacy app's consent records in tests that are not about consent
itself: it decides `consent_covers`. The consent integration is tested with the real API in
test_consent_integration.py.
"""

import pytest

from wegweiser.accounts.constants import Role
from wegweiser.cases import consent
from wegweiser.core.tests.factories import TownFactory

from .factories import CaseFactory, CaseManagementSettingFactory


class Grants:
    def __init__(self):
        self.covered: set[tuple] = set()
        self.recorded: list[dict] = []

    def grant(self, person, organisation, *purposes):
        for purpose in purposes or list(consent.Purpose.values):
            self.covered.add((person.pk, organisation.pk, str(purpose)))

    def revoke_all(self, person):
        self.covered = {c for c in self.covered if c[0] != person.pk}

    def covers(self, *, person, organisation, purpose):
        return (person.pk, organisation.pk, str(purpose)) in self.covered

    def record(self, *, actor, person, notice, given, language, interpreter, organisation=None):
        self.recorded.append({"person": person.pk, "given": given, "language": language})


@pytest.fixture
def grants(monkeypatch):
    fake = Grants()
    monkeypatch.setattr(consent, "consent_covers", fake.covers)
    monkeypatch.setattr(consent, "consent_record_for_person", fake.record)
    monkeypatch.setattr(consent, "coverage_checker", lambda person_ids: fake.covers)
    return fake


@pytest.fixture
def town(db):
    return TownFactory()


@pytest.fixture
def cm_setting(org_a, town):
    setting = CaseManagementSettingFactory(organisation=org_a)
    setting.municipalities.add(town)
    return setting


@pytest.fixture
def manager_a(make_member, org_a):
    return make_member(Role.CASE_MANAGER, org_a, email="carla@example.org")


@pytest.fixture
def manager_a2(make_member, org_a):
    return make_member(Role.CASE_MANAGER, org_a, email="colleague@example.org")


@pytest.fixture
def manager_b(make_member, org_b):
    return make_member(Role.CASE_MANAGER, org_b, email="charlie-cm@example.org")


@pytest.fixture
def case_a(manager_a, org_a):
    return CaseFactory(organisation=org_a, case_manager=manager_a)


@pytest.fixture
def case_b(manager_b, org_b):
    return CaseFactory(organisation=org_b, case_manager=manager_b)
