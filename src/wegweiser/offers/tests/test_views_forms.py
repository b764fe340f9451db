import json
import re

import pytest
from django.urls import reverse

from wegweiser.core.models import Municipality
from wegweiser.offers import services
from wegweiser.offers.models import BarrierReport, OfferFeedback, OfferSuggestion
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory, ScheduleFactory
from wegweiser.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_report_a_mistake_stores_feedback(client, district):
    offer = OfferFactory()
    url = reverse("offers:offer-feedback", kwargs={"uuid": offer.uuid})
    response = client.post(
        url, {"message": "Die Öffnungszeiten stimmen nicht.", "contact_email": ""}
    )
    assert response.status_code == 302
    assert response.url.endswith("?sent=1")
    feedback = OfferFeedback.objects.get()
    assert feedback.offer == offer and feedback.language == "de"
    assert AuditEvent.objects.filter(action="offers.feedback.created").exists()


def test_report_a_mistake_requires_a_message_and_rejects_bots(client, district):
    offer = OfferFactory()
    url = reverse("offers:offer-feedback", kwargs={"uuid": offer.uuid})
    assert client.post(url, {"message": ""}).status_code == 400
    assert (
        client.post(url, {"message": "Spam", "homepage": "http://spam.example.com"}).status_code
        == 400
    )
    assert not OfferFeedback.objects.exists()


def test_report_a_mistake_unknown_offer_is_404(client, district):
    url = reverse("offers:offer-feedback", kwargs={"uuid": "00000000-0000-0000-0000-000000000000"})
    assert client.post(url, {"message": "x"}).status_code == 404


def test_report_a_barrier_stores_the_report_for_the_editors(client, district):
    url = reverse("offers:barrier-report")
    statement = client.get(reverse("core:accessibility-statement")).content.decode()
    assert f'href="{url}"' in statement
    response = client.post(
        url,
        {
            "location": "/de/karte/",
            "message": "Die Karte lässt sich nicht mit der Tastatur bedienen.",
            "contact_email": "leserin@example.org",
        },
    )
    assert response.status_code == 302 and response.url.endswith("?sent=1")
    report = BarrierReport.objects.get()
    assert (report.location, report.contact_email, report.language) == (
        "/de/karte/",
        "leserin@example.org",
        "de",
    )
    event = AuditEvent.objects.get(action="offers.barrier_report.created")
    assert sorted(event.fields) == ["contact_email", "message"]  # the values never enter it
    thanks = client.get(response.url).content.decode()
    assert "Die Redaktion prüft die Barriere." in thanks


def test_report_a_barrier_requires_a_message_and_rejects_bots(client, district):
    url = reverse("offers:barrier-report")
    empty = client.post(url, {"location": "/de/", "message": ""})
    assert empty.status_code == 400
    assert '<a href="#id_message">' in empty.content.decode()
    bot = client.post(url, {"message": "Spam", "homepage": "http://spam.example.com"})
    assert bot.status_code == 400
    assert not BarrierReport.objects.exists()


@pytest.mark.parametrize(
    ("page", "prefilled"),
    [
        ("/de/karte/", "/de/karte/"),
        ("//evil.example.com/", ""),
        ("https://evil.example.com/", ""),
        ("", ""),
    ],
)
def test_report_a_barrier_takes_the_page_from_a_local_link_only(client, district, page, prefilled):
    html = client.get(reverse("offers:barrier-report"), {"page": page}).content.decode()
    field = re.search(r'<input type="text" name="location"[^>]*>', html).group(0)
    if prefilled:
        assert f'value="{prefilled}"' in field
    else:
        assert "value=" not in field


def test_suggest_an_offer_stores_suggestion_with_field_errors_first(client, district):
    url = reverse("offers:offer-suggest")
    bad = client.post(url, {"name": "Nähcafé", "contact_email": "not-an-address"})
    assert bad.status_code == 400
    assert "field--error" in bad.content.decode()
    assert not OfferSuggestion.objects.exists()
    town = Municipality.objects.get(slug="datteln")
    good = client.post(
        url,
        {
            "name": "Nähcafé",
            "provider_name": "Nähcafé Datteln e. V.",
            "town": town.pk,
            "description": "Gemeinsam nähen.",
            "contact_name": "Erika Beispiel",
            "contact_email": "erika@example.org",
            "website": "naehcafe.example.org",
        },
    )
    assert good.status_code == 302
    suggestion = OfferSuggestion.objects.get()
    assert suggestion.town == town and suggestion.website == "https://naehcafe.example.org"


@pytest.mark.parametrize("language", ["de", "ar", "uk"])
def test_offer_handout_is_a_pdf_in_the_requested_language(client, district, language):
    offer = OfferFactory(locations=[LocationFactory()])
    ScheduleFactory(offer=offer, weekday=0)
    services.offer_translation_save(offer=offer, language="ar", name="دورة ألمانية", summary="ملخص")
    response = client.get(
        reverse("offers:offer-handout", kwargs={"uuid": offer.uuid}), {"language": language}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_offer_handout_unknown_language_is_404(client, district):
    offer = OfferFactory()
    url = reverse("offers:offer-handout", kwargs={"uuid": offer.uuid})
    assert client.get(url, {"language": "xx"}).status_code == 404


def test_town_and_life_area_pages_preset_their_filter(client, district):
    herten = Municipality.objects.get(slug="herten")
    OfferFactory(name="In Herten", locations=[LocationFactory(municipality=herten)])
    OfferFactory(
        name="In Marl",
        locations=[LocationFactory(municipality=Municipality.objects.get(slug="marl"))],
    )
    content = client.get(reverse("offers:town-detail", kwargs={"slug": "herten"})).content.decode()
    assert "In Herten" in content and "In Marl" not in content
    assert "<h1>" in content and "Herten</h1>" in content
    assert client.get(reverse("offers:town-detail", kwargs={"slug": "atlantis"})).status_code == 404
    assert (
        client.get(reverse("offers:life-area-detail", kwargs={"slug": "wohnen"})).status_code == 200
    )


def test_offer_detail_has_json_ld_and_canonical(client, district):
    offer = OfferFactory(
        name="Sprachcafé </script><script>alert(1)</script>", locations=[LocationFactory()]
    )
    content = client.get(f"/de/angebote/{offer.uuid}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Service"
    assert data["name"].startswith("Sprachcafé")
    assert "<script>alert" not in block
    assert f'<link rel="canonical" href="http://testserver/de/angebote/{offer.uuid}/">' in content
