"""Fixtures shared by every app's tests.

Users follow the healthchecks convention: alice works in organisation A with the role under test,
bob is her colleague in A with a narrower role, charlie works in organisation B.
"""

import os
from collections.abc import Callable
from pathlib import Path

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


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in German: a request in another language must not leak into the next."""
    from django.utils import translation

    translation.activate("de")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_search_response_cache():
    """The search API's per-process response cache is keyed by change tokens; data a test
    writes without a signal (bulk inserts in fixtures) must not meet a response of the
    previous test."""
    from wegweiser.api import views

    views._responses.clear()
    yield
    views._responses.clear()


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
            MembershipFactory(
                user=user, organisation=organisation or OrganisationFactory(), role=role
            )
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
    return make_member(
        Role.PROVIDER_EDITOR, org_a, email="bob@example.org", full_name="Bob Provider"
    )


@pytest.fixture
def charlie(make_member, org_b) -> User:
    return make_member(
        Role.PROVIDER_EDITOR, org_b, email="charlie@example.org", full_name="Charlie Stranger"
    )


# ---------------------------------------------------------------------------------------------
# Browser tests: Playwright driving Debian's Chromium (no browser download), axe-core from npm.

CHROMIUM = os.environ.get("WEGWEISER_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# WCAG 2.1 A and AA, and axe's best practices (heading order, landmarks, ...): the external
# accessibility test (BITV 2.0) runs the same set.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make install-test`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab. `bypass_csp` only lets the test inject axe-core into the page."""
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A 360 px wide phone screen with touch."""
    context = browser.new_context(
        bypass_csp=True,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.1 A and AA rules, best practices) on the current page and return its
    violations."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} missing: run `make install-test` (npm ci)")
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


@pytest.fixture
def axe():
    return axe_violations
