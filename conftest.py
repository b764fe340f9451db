"""Fixtures shared by every app's tests.

Users follow the healthchecks convention: alice works in organisation A with the role under test,
bob is her colleague in A with a narrower role, charlie works in organisation B.
"""

import os
from collections.abc import Callable

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation, User
from wegweiser.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from wegweiser.core.services import district_load, vocabulary_load

# Playwright's sync API runs an event loop in the test thread; Django's ORM would refuse to run
# beside it. The tests never share a connection between threads, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def district(db, settings):
    """The demo district with its ten towns and the shared vocabulary, loaded from the data files."""
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()


@pytest.fixture
def org_a(db) -> Organisation:
    return OrganisationFactory(name="Organisation A")


@pytest.fixture
def org_b(db) -> Organisation:
    return OrganisationFactory(name="Organisation B")


@pytest.fixture
def make_member(db) -> Callable[..., User]:
    """Create a user holding `role` in `organisation` (None: a signed-in user without any role)."""

    def make(role: str | None, organisation: Organisation | None = None, **user_fields) -> User:
        user = UserFactory(**user_fields)
        if role is not None:
            MembershipFactory(user=user, organisation=organisation or OrganisationFactory(), role=role)
        return user

    return make


@pytest.fixture
def login() -> Callable[[User], Client]:
    """A client signed in as `user`, with the second factor verified when the user has roles."""

    def make(user: User, *, verified: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if verified:
            device = TOTPDeviceFactory(user=user)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        return client

    return make


@pytest.fixture
def alice(make_member, org_a) -> User:
    return make_member(Role.ADMIN, org_a, email="alice@example.org", full_name="Alice Admin")


@pytest.fixture
def bob(make_member, org_a) -> User:
    return make_member(Role.PROVIDER_EDITOR, org_a, email="bob@example.org", full_name="Bob Provider")


@pytest.fixture
def charlie(make_member, org_b) -> User:
    return make_member(Role.PROVIDER_EDITOR, org_b, email="charlie@example.org", full_name="Charlie Stranger")
