"""Journeys through the offers database on a phone and a desktop, with axe-core checks."""

import pytest
from django.conf import settings

from wegweiser.core.models import LifeArea, Municipality, TargetGroup
from wegweiser.core.services import district_load, vocabulary_load
from wegweiser.offers import services
from wegweiser.offers.models import Offer
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server):
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    herten = Municipality.objects.get(slug="herten")
    course = OfferFactory(
        name="Deutschkurs für Frauen mit Kinderbetreuung",
        childcare=True,
        locations=[LocationFactory(municipality=herten)],
        life_areas=[LifeArea.objects.get(slug="sprache")],
    )
    course.target_groups.set([TargetGroup.objects.get(slug="frauen")])
    services.offer_translation_save(
        offer=course,
        language="ar",
        name="دورة لغة ألمانية للنساء مع رعاية الأطفال",
        summary="تعلم اللغة الألمانية بينما يتم الاعتناء بالأطفال.",
    )
    OfferFactory(
        name="Schuldnerberatung",
        locations=[LocationFactory(municipality=Municipality.objects.get(slug="marl"))],
        life_areas=[LifeArea.objects.get(slug="beratung-und-recht")],
    )
    return live_server.url


def test_arabic_phone_finds_course_for_women_in_herten(site, phone_page, axe):
    page = phone_page
    page.goto(f"{site}/ar/angebote/?town=herten&target_group=frauen")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe(page) == []
    page.get_by_role("link", name="دورة لغة ألمانية للنساء مع رعاية الأطفال").click()
    page.wait_for_selector("h1")
    assert "رعاية الأطفال" in page.locator("h1").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe(page) == []
    # Print the handout: the PDF in Arabic.
    href = page.locator("a.handout-link").get_attribute("href")
    assert "language=ar" in href
    pdf = page.request.get(f"{site}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_a_phone_shows_the_results_first_with_the_filters_folded(site, phone_page, axe):
    page = phone_page
    page.goto(f"{site}/de/angebote/?q=Deutschkurs&town=herten")
    panel = page.locator(".filters__panel")
    assert panel.get_attribute("open") is None
    assert page.locator("#active-filters").inner_text() == "(Ausgewählt: 1)"
    card = page.locator(".offer-card").first
    assert card.bounding_box()["y"] < page.viewport_size["height"]
    assert axe(page) == []
    page.locator(".filters__panel summary").click()
    assert panel.get_attribute("open") == ""
    page.uncheck("#f-town-herten")
    page.wait_for_function("document.getElementById('active-filters').textContent === ''")
    assert panel.get_attribute("open") == ""  # htmx swapped the results, not the panel


def test_german_search_works_without_javascript(site, browser, axe):
    context = browser.new_context(java_script_enabled=False, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{site}/de/")
    page.fill("#home-q", "Deutschkurs")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**/angebote/?q=Deutschkurs")
    assert page.locator(".offer-card").count() == 1
    page.check("#f-town-herten")
    page.click(
        "text=Filter anwenden"
        if page.locator("text=Filter anwenden").count()
        else "text=Apply filters"
    )
    assert "town=herten" in page.url
    assert page.locator(".offer-card").count() == 1
    # Open the offer and get its handout, still without JavaScript.
    page.locator(".offer-card a").first.click()
    page.wait_for_selector("h1")
    assert "Deutschkurs" in page.locator("h1").inner_text()
    href = page.locator("a.handout-link").get_attribute("href")
    assert page.request.get(f"{site}{href}").body().startswith(b"%PDF")
    context.close()


@pytest.mark.parametrize("language", ["de", "ar"])
def test_public_pages_have_no_axe_violations(site, page, axe, language):
    offer = Offer.objects.first()
    for path in [
        "",
        "angebote/",
        "karte/",
        "gute-praxis/",
        "angebote/vorschlagen/",
        "orte/herten/",
        "lebensbereiche/sprache/",
        f"traeger/{offer.organisation.uuid}/",
        f"angebote/{offer.uuid}/fehler-melden/",
        "ratgeber/?q=Miete",
        "impressum/",
        "datenschutz/",
        "gibt-es-nicht/",  # the 404 page
        "angebote/?q=Kurs%00",  # the 400 page
        "angebote/?q=Deutschkurz",  # "did you mean"
        "angebote/?q=Deutschkurs%20in%20Herten",  # a word names a filter
        "angebote/?q=Deutschkurs&near=herten&radius_km=5&sort=distance",
    ]:
        page.goto(f"{site}/{language}/{path}")
        assert axe(page) == [], path
    page.goto(f"{site}/{language}/angebote/")
    page.locator(".offer-card a").first.click()
    page.wait_for_selector("h1")
    assert axe(page) == []


def test_map_shows_markers_without_tiles(site, page):
    page.goto(f"{site}/de/karte/")
    page.wait_for_selector("#offer-map:not([hidden])")
    assert page.locator("#offer-map .leaflet-interactive, #offer-map .map-cluster").count() >= 1
    assert page.locator(".map-list li").count() == 2


@pytest.mark.parametrize("language", ["de", "ar"])
def test_empty_result_offers_a_way_out(site, page, axe, language):
    # Debt advice exists only in Marl: searched in Herten, the page points to Marl.
    page.goto(f"{site}/{language}/angebote/?q=Schuldnerberatung&town=herten")
    assert page.locator(".offer-card").count() == 0
    assert axe(page) == []
    page.locator(".empty-state a[href*='town=marl']").first.click()
    page.wait_for_selector(".offer-card")
    assert page.locator(".offer-card").count() == 1


def test_a_town_in_the_words_becomes_its_filter(site, phone_page):
    page = phone_page
    page.goto(f"{site}/de/angebote/")
    page.fill("#id_q", "Schuldnerberatung in Marl")
    page.press("#id_q", "Enter")
    link = page.locator(".word-filters a")
    link.wait_for()
    assert link.inner_text() == "Marl: 1 Angebot"
    link.click()
    page.wait_for_url("**town=marl**")
    assert page.locator("#id_q").input_value() == "Schuldnerberatung"
    assert page.locator("#active-filters").inner_text() == "(Ausgewählt: 1)"
    assert page.locator(".offer-card").count() == 1


def test_search_box_suggests_names_while_typing(site, page):
    page.goto(f"{site}/de/angebote/")
    # On a wide screen the filters stand beside the results, open.
    assert page.locator(".filters__panel").get_attribute("open") == ""
    page.locator("#id_q").press_sequentially("Schuldner", delay=30)
    page.wait_for_function(
        "document.querySelectorAll('#q-suggestions option').length > 0", timeout=5000
    )
    assert page.locator("#q-suggestions option").first.get_attribute("value") == "Schuldnerberatung"
