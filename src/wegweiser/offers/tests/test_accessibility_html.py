"""Accessibility of the offer pages and handouts that the HTML (or PDF) alone can show."""

import json
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import translation

from wegweiser.core.models import Language
from wegweiser.offers import services
from wegweiser.offers.search import offer_index
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory, ScheduleFactory

pytestmark = pytest.mark.django_db

GERMAN = ' lang="de" dir="ltr"'


@pytest.fixture
def course(district):
    offer = OfferFactory(
        name="Deutschkurs",
        eligibility="Frauen mit Aufenthaltserlaubnis",
        cost_description="5 € pro Termin",
        locations=[LocationFactory()],
    )
    ScheduleFactory(offer=offer, weekday=0, note="außer in den Ferien")
    offer.contacts.create(name="Maria Muster", role="Kursleitung")
    services.offer_translation_save(offer=offer, language="ar", name="دورة ألمانية", summary="ملخص")
    return offer


def test_german_only_texts_on_the_arabic_offer_page_are_marked_german(client, course):
    # WCAG 3.1.2: texts the editors write only in German keep their language on the Arabic page.
    with translation.override("ar"):
        url = reverse("offers:offer-detail", kwargs={"uuid": course.uuid})
    html = client.get(url).content.decode()
    assert f"<dd{GERMAN}>Frauen mit Aufenthaltserlaubnis</dd>" in html
    assert f"<span{GERMAN}>5 € pro Termin</span>" in html
    assert f"<span{GERMAN}>Kursleitung</span>" in html
    assert f"<span{GERMAN}>außer in den Ferien</span>" in html


def test_german_offer_page_does_not_repeat_the_page_language(client, course):
    html = client.get(reverse("offers:offer-detail", kwargs={"uuid": course.uuid})).content
    assert GERMAN.encode() not in html.split(b"<main", 1)[1]


def test_results_count_is_one_live_region_outside_the_swapped_results(client, course):
    url = reverse("offers:offer-list")
    page = client.get(url).content.decode()
    assert 'role="status" id="result-count"' in page
    assert "aria-live" not in page.split('id="results"', 1)[1][:200]
    # The htmx answer replaces the text of the live region, not the region itself.
    partial = client.get(url, {"q": "Deutschkurs"}, headers={"HX-Request": "true"}).content
    assert b'id="result-count" hx-swap-oob="innerHTML"' in partial


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for structure entries."""
    text = pdf
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            text += zlib.decompress(stream.group(1))
        except zlib.error:
            continue
    return text


@pytest.mark.parametrize("language", ["de", "ar"])
def test_offer_handout_is_a_tagged_pdf_with_its_language(client, course, language):
    # A PDF without tags has no headings, lists or reading order for a screen reader.
    response = client.get(
        reverse("offers:offer-handout", kwargs={"uuid": course.uuid}), {"language": language}
    )
    text = _pdf_text(response.content)
    assert b"/StructTreeRoot" in text
    assert b"/Marked true" in text
    assert f"/Lang ({language})".encode() in text
    assert b"/DisplayDocTitle true" in text


@pytest.mark.parametrize(
    ("language", "alt"),
    [
        ("de", "QR-Code: Link zu diesem Angebot im Internet, https://example.org/angebote/x/"),
        ("ar", "رمز QR: رابط إلى هذا العرض على الإنترنت، https://example.org/angebote/x/"),
    ],
)
def test_offer_handout_qr_code_has_a_text_alternative_in_the_handout_language(
    course, language, alt
):
    # WCAG 1.1.1 / PDF/UA-1: the QR code is a Figure whose /Alt says what it is and where it leads.
    import pydyf

    from wegweiser.offers.handouts import offer_handout_pdf

    pdf = offer_handout_pdf(
        offer=course, language=language, offer_url="https://example.org/angebote/x/"
    )
    text = _pdf_text(pdf)
    assert b"/S /Figure" in text
    assert b"/Alt " + pydyf.String(alt).data in text


@pytest.mark.parametrize(
    ("language", "heading"), [("de", "Es gibt ein Problem"), ("ar", "توجد مشكلة")]
)
def test_suggestion_form_with_errors_links_the_summary_to_the_fields(
    client, district, language, heading
):
    # WCAG 3.3.1: the public form lists its errors at the top, each linked to its field.
    with translation.override(language):
        url = reverse("offers:offer-suggest")
    html = client.post(url, {"name": "Nähcafé", "contact_email": "not-an-address"}).content.decode()
    summary = re.search(r'<div class="error-summary".*?</ul>', html, re.S).group(0)
    assert heading in summary
    for field in ["provider_name", "description", "contact_email"]:
        assert f'<a href="#id_{field}">' in summary, field
        assert f'id="id_{field}"' in html
    assert 'href="#id_name"' not in summary
    # The inline error stays next to the field.
    assert 'id="id_contact_email_error"' in html


def test_feedback_form_without_a_message_links_the_summary_to_it(client, district):
    offer = OfferFactory()
    url = reverse("offers:offer-feedback", kwargs={"uuid": offer.uuid})
    html = client.post(url, {"message": ""}).content.decode()
    assert html.count('class="error-summary"') == 1
    assert '<a href="#id_message">' in html


def test_map_page_has_a_skip_link_to_the_list_of_places(client, course):
    # WCAG 2.4.1: keyboard users need not tab through every marker of the map.
    html = client.get(reverse("offers:offer-map")).content.decode()
    assert re.search(r'<a class="skip-map" href="#map-places"[^>]*>Karte überspringen</a>', html)
    assert html.index('href="#map-places"') < html.index('id="offer-map"')
    assert re.search(r'<h2 id="map-places" tabindex="-1">', html)


@pytest.mark.parametrize(
    ("good_practice", "target"), [(False, "offer-actions"), (True, "gp-title")]
)
def test_offer_map_has_a_skip_link_to_the_next_section(client, course, good_practice, target):
    if good_practice:
        course.is_good_practice = True
        course.good_practice_story = "Seit 2019 lernen hier jede Woche zwanzig Frauen."
        course.save()
    html = client.get(reverse("offers:offer-detail", kwargs={"uuid": course.uuid})).content.decode()
    link = f'<a class="skip-map" href="#{target}"'
    assert link in html
    assert html.index(link) < html.index('id="offer-map"')
    # The target follows the map and takes the focus.
    assert re.search(rf'id="{target}" tabindex="-1"', html)
    assert html.index('id="offer-map"') < html.index(f'id="{target}"')


def test_sender_name_and_address_fields_say_what_they_are_for_autofill(client, course):
    # WCAG 1.3.5: fields that ask for the user's own name and e-mail address name their purpose.
    suggest = client.get(reverse("offers:offer-suggest")).content.decode()
    assert re.search(r'<input type="text" name="contact_name"[^>]* autocomplete="name"', suggest)
    assert re.search(r'<input type="email" name="contact_email"[^>]* autocomplete="email"', suggest)
    feedback_url = reverse("offers:offer-feedback", kwargs={"uuid": course.uuid})
    feedback = client.get(feedback_url).content.decode()
    assert re.search(
        r'<input type="email" name="contact_email"[^>]* autocomplete="email"', feedback
    )


def test_untranslated_names_in_the_arabic_map_list_are_marked_german(client, course):
    # WCAG 3.1.2: the list of places (the map's text alternative) and the markers' popups read
    # a German name with a German voice, a translated one with the page's.
    OfferFactory(name="Nähcafé", locations=[LocationFactory()])
    with translation.override("ar"):
        url = reverse("offers:offer-map")
    html = client.get(url).content.decode()
    assert re.search(rf'<a href="[^"]+"{GERMAN}>Nähcafé</a>', html)
    assert re.search(r'<a href="[^"]+">دورة ألمانية</a>', html)
    data = re.search(r'id="map-data">(.*?)</script>', html, re.S).group(1)
    assert {p["name"]: p["fallback"] for p in json.loads(data)} == {
        "Nähcafé": True,
        "دورة ألمانية": False,
    }
    with translation.override("de"):
        url = reverse("offers:offer-map")
    german = client.get(url).content.decode()
    assert GERMAN not in german.split("<main", 1)[1]


def test_languages_in_the_filters_are_named_in_their_own_language(client, course):
    # WCAG 3.1.2: "Українська" on the Arabic search page is read with a Ukrainian voice.
    course.languages.set(Language.objects.filter(code__in=["de", "uk"]))
    offer_index(course)
    with translation.override("ar"):
        url = reverse("offers:offer-list")
    html = client.get(url).content.decode()
    ukrainian = Language.objects.get(code="uk").native_name
    assert f'<span lang="uk">{ukrainian}</span> <span class="count"' in html
    assert '<label for="f-town-herten">Herten <span class="count"' in html


@pytest.mark.parametrize(
    ("name", "title"),
    [("offers:offer-suggest", "Vorschlag gesendet – Angebot vorschlagen"), ("feedback", None)],
)
def test_a_sent_form_names_the_outcome_in_the_title_and_focuses_the_thank_you(
    client, course, name, title
):
    # WCAG 2.4.2, 4.1.3: after the redirect the page says it was sent before anything else, and
    # core/error-summary.js moves the focus to the thank-you (a live region present on load is
    # not read out).
    if name == "feedback":
        url = reverse("offers:offer-feedback", kwargs={"uuid": course.uuid})
        title = "Hinweis gesendet – Fehler melden"
    else:
        url = reverse(name)
    html = client.get(url, {"sent": "1"}).content.decode()
    assert f"<title>{title} – " in html
    assert re.search(
        r'<p class="message message--success" role="status" tabindex="-1" '
        r"data-focus-on-load>",
        html,
    )
    assert f"<title>{title}" not in client.get(url).content.decode()
