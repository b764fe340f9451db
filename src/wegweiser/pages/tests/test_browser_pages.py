"""Browser check of a guide page in German and Arabic: direction and accessibility."""

import pytest

from .factories import make_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rent_page():
    housing = make_page(title="Wohnen", slug="wohnen", translations={"ar": "السكن"})
    rent = make_page(
        title="Wohnung suchen: Was ist die Bruttokaltmiete?",
        content="<p>Kaltmiete plus kalte Nebenkosten.</p><h2>Beispiel</h2><ul><li>Wasser</li></ul>",
        slug="bruttokaltmiete",
        parent=housing,
        translations={"ar": "البحث عن شقة: ما هو الإيجار البارد الإجمالي؟"},
    )
    make_page(title="Mietvertrag und Kaution", slug="kaution", parent=rent)
    return rent


def test_german_fallback_inside_arabic_ui_has_no_axe_violations(live_server, rent_page, page, axe):
    child = rent_page.children.get()
    page.goto(f"{live_server.url}/ar/ratgeber/{child.uuid}/")
    assert page.locator("article").get_attribute("lang") == "de"
    assert page.locator("article").get_attribute("dir") == "ltr"
    assert page.locator(".page-note").count() == 1
    assert axe(page) == []


def test_guide_page_german_and_arabic_have_no_axe_violations(live_server, rent_page, page, axe):
    page.goto(f"{live_server.url}/de/ratgeber/{rent_page.uuid}/")
    assert page.locator("h1").inner_text() == "Wohnung suchen: Was ist die Bruttokaltmiete?"
    assert axe(page) == []

    page.goto(f"{live_server.url}/ar/ratgeber/{rent_page.uuid}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("article").get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('article')).direction") == "rtl"
    assert axe(page) == []

    page.goto(f"{live_server.url}/ar/ratgeber/")
    assert axe(page) == []
