"""No public output shows what is not published: drafts, ended offers' texts, hidden pages.

One sweep over every public page, partial, feed, download and API answer, in German and in
Arabic, with a draft offer, an inactive offer and unpublished pages beside a published offer.
Each of them carries a word nothing else holds; none of these words may appear anywhere. An
inactive offer is found by its exact name and keeps its own page (by design), so neither is
asked for here.
"""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook

from wegweiser.hsds.tests.conftest import make_offer
from wegweiser.offers.constants import OfferStatus
from wegweiser.pages.tests.factories import make_page

pytestmark = pytest.mark.django_db

DRAFT_WORD = "Quarzelwumpe"
ENDED_WORD = "Zirbelmaunz"
PAGE_WORD = "Xylophonika"
HIDDEN = (DRAFT_WORD, ENDED_WORD, PAGE_WORD, "Entwurfsangebot", "Verborgene Seite")
# Searches one letter off the hidden words (the typo correction must not reveal them).
TYPOS = ("Quarzelwumpf", "Zirbelmaunt", "Xylophonike", "Entwurfsangebo")


@pytest.fixture
def world(district, org_a):
    visible = make_offer(org_a, name="Sprachcafé Sichtbar")
    draft = make_offer(
        org_a,
        name="Entwurfsangebot",
        town="marl",
        is_published=False,
        is_good_practice=True,
        good_practice_story=f"Geschichte {DRAFT_WORD}",
    )
    draft.description = f"Beschreibung {DRAFT_WORD}"
    draft.save()
    ended = make_offer(org_a, name="Beendetes Nähcafé", status=OfferStatus.INACTIVE)
    ended.description = f"Beschreibung {ENDED_WORD}"
    ended.save()
    hidden = make_page(title="Verborgene Seite", content=f"<p>{PAGE_WORD}</p>", is_published=False)
    below = make_page(title="Unterseite", content=f"<p>{PAGE_WORD} unten</p>", parent=hidden)
    make_page(title="Öffentliche Seite", content="<p>Anmeldung im Bürgerbüro</p>")
    # The offers were saved after the factory indexed them: index them as a save would.
    from wegweiser.offers.search import offer_index

    for offer in (draft, ended):
        offer_index(offer)
    return {"visible": visible, "draft": draft, "ended": ended, "pages": (hidden, below)}


def _text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        sheet = load_workbook(io.BytesIO(response.content)).active
        return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    if content_type == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        return " ".join(archive.read(name).decode() for name in archive.namelist())
    return response.content.decode()


def _public_urls(world) -> list[str]:
    organisation = world["visible"].organisation.uuid
    urls = [
        "/sitemap.xml",
        "/readyz",
        "/api/hsds/services",
        "/api/hsds/services?full=true",
        "/api/hsds/services?search=Beschreibung",
        f"/api/hsds/services?organization_id={organisation}",
        "/api/hsds/organizations",
        f"/api/hsds/organizations/{organisation}?full_service=true",
        "/api/hsds/service_at_locations",
        "/api/hsds/service_at_locations?postcode=45770",
        "/api/hsds/export/services.json",
        "/api/hsds/export/hsds-tabular.zip",
        "/api/hsds/export/offers.xlsx",
        "/api/hsds/export/offers.ics",
        "/api/hsds/export/offers.geojson",
    ]
    for lang in ("de", "ar"):
        urls += [
            f"/api/v1/search?lang={lang}&help=1",
            f"/api/v1/search?lang={lang}&q=Beschreibung&help=1",
            f"/api/v1/search?lang={lang}&type=page&q=Seite",
            f"/api/v1/suggest?lang={lang}&q=Entwurf",
            f"/api/v1/suggest?lang={lang}&type=page&q=Seite",
            *(f"/api/v1/search?lang={lang}&q={typo}&help=1" for typo in TYPOS),
            *(f"/api/v1/search?lang={lang}&type=page&q={typo}" for typo in TYPOS),
        ]
        with override(lang):
            urls += [
                reverse("core:home"),
                reverse("offers:offer-list"),
                reverse("offers:offer-list") + "?q=Beschreibung",
                reverse("offers:offer-list") + "?town=marl",
                reverse("offers:search-suggestions") + "?q=Entwurf",
                reverse("offers:offer-map"),
                reverse("offers:good-practice-list"),
                reverse("offers:organisation-detail", kwargs={"uuid": organisation}),
                reverse("offers:town-detail", kwargs={"slug": "marl"}),
                reverse("offers:life-area-detail", kwargs={"slug": "sprache"}),
                reverse("pages:page-list"),
                reverse("pages:page-list") + "?q=Seite",
                *(reverse("offers:offer-list") + f"?q={typo}" for typo in TYPOS),
                *(reverse("pages:page-list") + f"?q={typo}" for typo in TYPOS),
            ]
    return urls


def test_no_public_output_shows_unpublished_offers_or_pages(client, world):
    for url in _public_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        text = _text(response)
        for word in HIDDEN:
            assert word not in text, f"{word} in {url}"
        assert str(world["draft"].uuid) not in text, url
    # htmx asks for the same lists as partials.
    for url in ("/de/angebote/?q=Beschreibung", "/de/angebote/?town=marl"):
        text = client.get(url, headers={"HX-Request": "true"}).content.decode()
        assert DRAFT_WORD not in text and "Entwurfsangebot" not in text
    # The draft's town has no published offer: its facet counts nothing.
    towns = client.get("/api/v1/search").json()["facets"]["town"]
    assert all(f["count"] == 0 for f in towns if f["value"] == "marl")


def test_unpublished_offers_and_pages_answer_404_in_every_form(client, world):
    draft = world["draft"].uuid
    urls = [
        f"/api/hsds/services/{draft}",
        reverse("offers:offer-detail", kwargs={"uuid": draft}),
        reverse("offers:offer-handout", kwargs={"uuid": draft}),
        reverse("offers:offer-feedback", kwargs={"uuid": draft}),
    ]
    for page in world["pages"]:
        urls += [
            reverse("pages:page-detail", kwargs={"uuid": page.uuid}),
            reverse("pages:page-handout", kwargs={"uuid": page.uuid}) + "?language=de",
        ]
    with override("ar"):
        urls.append(reverse("offers:offer-detail", kwargs={"uuid": draft}))
    for url in urls:
        assert client.get(url).status_code == 404, url
