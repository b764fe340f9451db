"""Accessibility audit (WCAG 2.1 AA / BITV 2.0) of every public page type in a real browser.

One browser, several pages per test: axe-core with best practices on a 375 px phone in German
and Arabic, and the checks axe cannot make (live regions after htmx, reflow, map controls).
"""

import pytest
from django.conf import settings

from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.core.models import LifeArea, Municipality
from wegweiser.core.services import district_load, legal_text_save, vocabulary_load
from wegweiser.offers.models import Offer
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory, ScheduleFactory
from wegweiser.pages.tests.factories import make_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(live_server):
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    herten = Municipality.objects.get(slug="herten")
    language = LifeArea.objects.get(slug="sprache")
    # A provider with a long web and e-mail address: they must wrap on a narrow screen.
    provider = OrganisationFactory(
        name="Eritreische Gemeinschaft Dorsten",
        email="info@eritreische-gemeinschaft-dorsten.example.org",
        website="https://eritreische-gemeinschaft-dorsten.example.org/angebote",
    )
    course = OfferFactory(
        organisation=provider,
        name="Deutschkurs für Frauen",
        eligibility="Frauen mit Aufenthaltserlaubnis",
        cost_description="5 € pro Termin",
        locations=[LocationFactory(municipality=herten)],
        life_areas=[language],
        is_good_practice=True,
        good_practice_story="Seit 2019 lernen hier jede Woche zwanzig Frauen.",
    )
    ScheduleFactory(offer=course, note="außer in den Ferien")
    course.contacts.create(name="Maria Muster", role="Kursleitung", phone="02366 1234")
    for number in range(12):
        OfferFactory(
            name=f"Sprachcafé {number}",
            locations=[LocationFactory(municipality=herten)],
            life_areas=[language],
        )
    OfferFactory(
        name="Schuldnerberatung",
        locations=[LocationFactory(municipality=Municipality.objects.get(slug="marl"))],
        life_areas=[LifeArea.objects.get(slug="beratung-und-recht")],
    )
    # The operator's part of the accessibility statement, German only: marked German on /ar/.
    legal_text_save(
        actor=None,
        kind="accessibility",
        body="<h2>Barriere melden</h2><p>E-Mail: <a href='mailto:a11y@example.org'>a11y@example.org</a></p>",
        translations={},
        conformance="partial",
    )
    housing = make_page(title="Wohnen", slug="wohnen", translations={"ar": "السكن"})
    make_page(title="Miete und Kaution", slug="miete", parent=housing)
    return {"url": live_server.url, "course": course, "provider": provider, "page": housing}


def _public_paths(site):
    course, provider, page = site["course"], site["provider"], site["page"]
    return [
        "",
        "angebote/?q=Sprachcaf%C3%A9&town=herten&life_area=sprache",  # facets, pagination
        "angebote/?q=Schuldnerberatung&town=herten",  # no result, with suggestions
        "angebote/?q=Deutschkurz",  # "did you mean"
        f"angebote/{course.uuid}/",  # map, contacts, opening times, good practice
        "gute-praxis/",
        "karte/",
        f"traeger/{provider.uuid}/",
        "ratgeber/",
        "ratgeber/?q=Miete",
        f"ratgeber/{page.uuid}/",
        "impressum/",
        "datenschutz/",
        "barrierefreiheit/",
        "barrierefreiheit/melden/",
        "angebote/vorschlagen/",
        "gibt-es-nicht/",
    ]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_public_page_types_on_a_phone_have_no_axe_violations_and_no_sideways_scroll(
    site, browser, axe, language
):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in _public_paths(site):
        page.goto(f"{site['url']}/{language}/{path}")
        assert page.locator("html").get_attribute("lang") == language, path
        assert page.locator("h1").count() == 1, path
        assert axe(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    # The sign-in and password pages of the staff (outside the language prefix).
    for path in ["/accounts/login/", "/accounts/password-reset/"]:
        page.goto(f"{site['url']}{path}")
        assert axe(page) == [], path
    context.close()


def test_long_addresses_wrap_at_320_px_like_a_desktop_zoomed_to_400_percent(site, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for language in ["de", "ar"]:
        page.goto(f"{site['url']}/{language}/traeger/{site['provider'].uuid}/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, language
    context.close()


# WCAG 1.4.12: the text spacing a user may set with a bookmarklet or a style sheet of their own.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important;"
    " word-spacing: 0.16em !important; } p { margin-block-end: 2em !important; }"
)


def test_long_compound_words_in_result_cards_wrap_at_320_px_with_text_spacing(site, browser):
    OfferFactory(
        name="Schwangerschaftskonfliktberatungsstelle",
        locations=[LocationFactory(municipality=Municipality.objects.get(slug="herten"))],
        is_good_practice=True,
        good_practice_story="Seit 2020.",
    )
    context = browser.new_context(bypass_csp=True, viewport={"width": 320, "height": 640})
    page = context.new_page()
    for language in ["de", "ar"]:
        for path in ["gute-praxis/", "angebote/?q=Schwangerschaftskonfliktberatungsstelle"]:
            page.goto(f"{site['url']}/{language}/{path}")
            assert page.locator(".offer-card").count() >= 1, path
            page.add_style_tag(content=TEXT_SPACING)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{language}/{path}: {width}"
    context.close()


def test_the_search_box_examples_are_not_left_to_the_browsers_pale_placeholder_grey(site, page):
    # WCAG 1.4.3: Safari and Firefox draw placeholders below 4.5:1 unless the page sets a colour.
    for path in ["", "angebote/"]:
        page.goto(f"{site['url']}/ar/{path}")
        style = page.evaluate(
            """() => {
                const box = document.querySelector('input[type=search][placeholder]');
                const placeholder = getComputedStyle(box, '::placeholder');
                const muted = getComputedStyle(document.documentElement)
                    .getPropertyValue('--color-muted').trim();
                const probe = document.createElement('span');
                probe.style.color = muted;
                document.body.append(probe);
                const expected = getComputedStyle(probe).color;
                probe.remove();
                return {color: placeholder.color, opacity: placeholder.opacity, expected};
            }"""
        )
        assert style["color"] == style["expected"] == "rgb(74, 74, 74)", path
        assert style["opacity"] == "1", path


def test_phone_numbers_keep_their_digit_groups_in_order_on_an_arabic_page(site, page):
    # WCAG 1.3.2: "+49 2366 1234" must not be shown as "1234 2366 49+" in a right-to-left
    # paragraph. The number stands alone in its line, with no Latin letters before it.
    Offer.objects.filter(pk=site["course"].pk).update(phone="+49 2366 1234")
    page.goto(f"{site['url']}/ar/angebote/{site['course'].uuid}/")
    positions = page.evaluate(
        """() => {
            const text = document.querySelector('a[href="tel:+4923661234"]').firstChild;
            const left = (start, end) => {
                const range = document.createRange();
                range.setStart(text, start);
                range.setEnd(text, end);
                return range.getBoundingClientRect().left;
            };
            return [left(0, 3), left(4, 8), left(9, 13)];
        }"""
    )
    assert positions == sorted(positions)


def test_the_new_number_of_results_is_announced_after_a_filter_changes(site, page):
    page.goto(f"{site['url']}/de/angebote/?town=herten")
    status = page.locator("#result-count")
    assert status.get_attribute("role") == "status"
    # The whole list is not a live region: a screen reader would read out every card.
    assert page.locator("[aria-live]:has(.offer-card)").count() == 0
    before = status.inner_text()
    page.evaluate("window.statusBefore = document.getElementById('result-count')")
    page.check("#f-town-marl")
    page.wait_for_function(f"document.getElementById('result-count').textContent !== {before!r}")
    # The live region is the same element, its text changed: that is what gets announced.
    assert page.evaluate("window.statusBefore === document.getElementById('result-count')")
    assert status.inner_text().endswith("Angebote gefunden")


def test_a_new_search_without_reloading_gives_the_page_a_title_that_names_it(site, page):
    # WCAG 2.4.2: htmx swaps only the results; the tab and the history still name the search.
    page.goto(f"{site['url']}/de/angebote/?q=Sprachcaf%C3%A9")
    assert page.title() == "Angebote zu „Sprachcafé“ – Wegweiser"
    page.fill("#id_q", "Schuldnerberatung")
    page.press("#id_q", "Enter")
    page.wait_for_url("**q=Schuldnerberatung**")
    page.wait_for_function("document.title.includes('Schuldnerberatung')")
    assert page.title() == "Angebote zu „Schuldnerberatung“ – Wegweiser"
    assert page.locator("title").count() == 1


def test_map_controls_speak_the_page_language_and_the_keyboard_leaves_the_map(site, page):
    page.goto(f"{site['url']}/ar/karte/")
    page.wait_for_selector("#offer-map:not([hidden])")
    zoom_in = page.locator(".leaflet-control-zoom-in")
    assert zoom_in.get_attribute("aria-label") == "تكبير"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("aria-label") == "تصغير"
    assert "JavaScript" not in page.locator(".leaflet-control-attribution").inner_html()
    # Tab goes through the map and on to the list of places, its text alternative.
    page.focus("#offer-map")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.map-list') !== null"):
            break
    else:
        pytest.fail("Tab never left the map for the list of places")


def _send_incomplete_suggestion(page, url):
    page.goto(url)
    page.fill("#id_name", "Nähcafé")
    page.fill("#id_contact_email", "not-an-address")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_selector(".error-summary")


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Es gibt ein Problem"), ("ar", "توجد مشكلة")]
)
def test_form_errors_are_summarised_focused_linked_and_pass_axe(
    site, browser, axe, language, heading
):
    # WCAG 3.3.1, 3.3.3, 2.4.3: after sending, the focus is on the list of problems, and each
    # problem leads to its field. This context enforces the CSP: the static script must run.
    url = f"{site['url']}/{language}/angebote/vorschlagen/"
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    _send_incomplete_suggestion(page, url)
    page.wait_for_function("document.activeElement.matches('.error-summary')")
    summary = page.locator(".error-summary")
    assert summary.locator("[role=alert] h2").inner_text() == heading
    assert summary.is_visible()
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href").removeprefix("#")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.error-summary') !== null")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == target
    # The inline error is still next to the field.
    assert page.locator(f"#{target}_error").is_visible()
    context.close()
    # axe-core is injected: this context lets it past the CSP.
    context = browser.new_context(bypass_csp=True, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    _send_incomplete_suggestion(page, url)
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_the_thank_you_after_a_sent_form_takes_the_focus(site, page):
    # WCAG 4.1.3: the thank-you is on the page the redirect loads; a live region present on load
    # is not read out, so the focus moves to it (this page enforces the CSP: the static script).
    page.goto(f"{site['url']}/de/angebote/vorschlagen/")
    page.fill("#id_name", "Nähcafé")
    page.fill("#id_provider_name", "Nachbarschaftsverein")
    page.fill("#id_description", "Jeden Dienstag nähen wir zusammen.")
    page.fill("#id_contact_name", "Erika Beispiel")
    page.fill("#id_contact_email", "erika@example.org")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_url("**?sent=1")
    page.wait_for_function("document.activeElement.matches('[data-focus-on-load]')")
    assert page.evaluate("document.activeElement.textContent").startswith("Vielen Dank")
    assert page.title().startswith("Vorschlag gesendet")


def test_skip_the_map_link_appears_on_focus_and_leads_past_the_markers(site, page):
    # WCAG 2.4.1: from the link before the map, one Enter and one Tab reach the list of places.
    page.goto(f"{site['url']}/ar/karte/")
    page.wait_for_selector("#offer-map:not([hidden])")
    link = page.locator(".skip-map")
    assert link.bounding_box()["width"] <= 1  # hidden until it has the focus
    link.focus()
    assert link.bounding_box()["width"] > 20
    assert link.inner_text() == "تخطي الخريطة"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "map-places"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.map-list') !== null")
    # On an offer's page the link leads to what follows its small map.
    page.goto(f"{site['url']}/de/angebote/{site['course'].uuid}/")
    page.wait_for_selector("#offer-map:not([hidden])")
    page.locator(".skip-map").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "gp-title"


@pytest.mark.parametrize("width", [375, 320])
def test_facets_and_pagination_are_touch_targets_of_44_px(site, browser, width):
    # WCAG 2.5.5 (AAA): a finger hits a filter or the next page without hitting its neighbour;
    # the taller targets still fit a 320 px screen without sideways scrolling.
    herten = Municipality.objects.get(slug="herten")
    for number in range(12, 24):  # more than one page of results in Herten
        OfferFactory(name=f"Sprachcafé {number}", locations=[LocationFactory(municipality=herten)])
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{site['url']}/de/angebote/?town=herten")
    page.click(".filters__panel summary")  # folded on a phone
    labels = page.locator(".facet__option label")
    assert labels.count() > 2
    links = page.locator(".pagination a")
    assert links.count() >= 1
    for target in [*labels.all(), *links.all()]:
        box = target.bounding_box()
        assert box["height"] >= 44, (target.inner_text(), box)
        assert box["width"] >= 44, (target.inner_text(), box)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
