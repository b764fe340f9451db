"""Browser journeys over the public start page: language, direction and accessibility."""

import pytest
from django.conf import settings

from wegweiser.core.services import district_load, vocabulary_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    return live_server.url


def test_home_german_has_no_axe_violations(site, page, axe):
    page.goto(f"{site}/de/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").count() == 1
    assert axe(page) == []


def test_home_arabic_is_right_to_left_without_axe_violations(site, phone_page, axe):
    phone_page.goto(f"{site}/ar/")
    html = phone_page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert phone_page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # Mirrored layout: the brand sits at the right edge of the header in Arabic.
    brand = phone_page.locator(".brand").bounding_box()
    assert brand["x"] + brand["width"] > 360 / 2
    # Nothing overflows a 360 px phone screen.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(phone_page) == []


def test_language_switcher_and_skip_link_work_by_keyboard(site, page):
    page.goto(f"{site}/de/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.get_by_role("link", name="Українська").click()
    page.wait_for_url(f"{site}/uk/")
    assert page.locator("html").get_attribute("lang") == "uk"
