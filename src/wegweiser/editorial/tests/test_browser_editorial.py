"""The editorial journey in a real browser: provider edits and translates, KI editor publishes."""

import pytest
from django.conf import settings
from django_otp.oath import totp

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from wegweiser.core.services import district_load, vocabulary_load

from .conftest import make_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARABIC_NAME = "دورة اللغة الألمانية في المساء"


@pytest.fixture
def site(live_server):
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    organisation = OrganisationFactory(name="Familienzentrum Herten")
    provider = UserFactory(email="provider@example.org", full_name="Paula Provider")
    MembershipFactory(user=provider, organisation=organisation, role=Role.PROVIDER_EDITOR)
    editor = UserFactory(email="redaktion@example.org", full_name="Kim Redaktion")
    MembershipFactory(user=editor, organisation=OrganisationFactory(), role=Role.KI_EDITOR)
    device = TOTPDeviceFactory(user=editor)
    offer = make_offer(organisation, name="Deutschkurs am Vormittag")
    return {"url": live_server.url, "offer": offer, "device": device}


def _sign_in(page, base, email, device=None):
    page.goto(f"{base}/accounts/login/?next=/backoffice/offers/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main form button[type=submit]")
    if device is not None:
        page.wait_for_selector("input[name=token]")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.fill("input[name=token]", f"{code:06d}")
        page.click("main form button[type=submit]")
    page.wait_for_url("**/backoffice/**")


def test_provider_edits_and_translates_ki_editor_publishes(site, browser, axe):
    base, offer = site["url"], site["offer"]
    # The provider editor edits the German text and adds an Arabic translation.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _sign_in(page, base, "provider@example.org")
    page.goto(f"{base}/backoffice/offers/")
    page.click(f"a[href='/backoffice/offers/{offer.uuid}/']")
    page.fill("input[name=name]", "Deutschkurs am Abend")
    assert axe(page) == []
    page.click("button[name=save]")
    page.wait_for_selector(".messages")
    page.click(f"a[href='/backoffice/offers/{offer.uuid}/translations/']")
    page.click(f"a[href='/backoffice/offers/{offer.uuid}/translations/ar/']")
    assert "Deutschkurs am Abend" in page.locator(".side-by-side").inner_text()
    page.fill("input[name=name]", ARABIC_NAME)
    page.click("button[name=submit]")
    page.wait_for_selector(".revision-state")
    context.close()

    # The public page is unchanged until the review.
    public = browser.new_context(bypass_csp=True).new_page()
    public.goto(f"{base}/de/angebote/{offer.uuid}/")
    assert public.locator("h1").inner_text() == "Deutschkurs am Vormittag"

    # The KI editor sees the diff (German and Arabic) and publishes.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    _sign_in(page, base, "redaktion@example.org", site["device"])
    page.goto(f"{base}/backoffice/review/")
    page.get_by_role("link", name="Deutschkurs am Vormittag").click()
    diff = page.locator("table.diff")
    assert "Deutschkurs am Abend" in diff.locator("tr[data-field=name]").inner_text()
    assert ARABIC_NAME in diff.locator("tr[data-field='translations.ar.name']").inner_text()
    assert axe(page) == []
    page.click("form[action$='/publish/'] button")
    page.wait_for_selector(".messages")
    context.close()

    # The public pages show the change, in German and in Arabic.
    public.goto(f"{base}/de/angebote/{offer.uuid}/")
    assert public.locator("h1").inner_text() == "Deutschkurs am Abend"
    public.goto(f"{base}/ar/angebote/{offer.uuid}/")
    assert public.locator("h1").inner_text() == ARABIC_NAME


def test_translation_table_scrolls_on_its_own_at_320_px(site, browser):
    # WCAG 1.4.10: a wide table may scroll sideways, the page around it may not.
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    _sign_in(page, site["url"], "provider@example.org")
    page.goto(f"{site['url']}/backoffice/offers/{site['offer'].uuid}/translations/")
    assert page.locator("table.translations .visually-hidden").count() >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
