"""Lists cost the same number of queries with N and 2N rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wegweiser.editorial import services
from wegweiser.offers.models import OfferFeedback

from .conftest import changed, make_offer


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add(org, bob, start, count):
    for i in range(start, start + count):
        offer = make_offer(org, name=f"Angebot Nummer {i}")
        revision = services.revision_save(
            actor=bob, offer=offer, data=changed(offer, name=f"Neu {i}")
        )
        services.revision_submit(actor=bob, revision=revision)
        OfferFeedback.objects.create(offer=offer, message="Fehler", language="de")


@pytest.mark.parametrize(
    "url_name",
    [
        "backoffice:editorial-offer-list",
        "backoffice:editorial-review-queue",
        "backoffice:editorial-location-list",
        "backoffice:editorial-contact-list",
        "backoffice:editorial-feedback-queue",
        "backoffice:editorial-good-practice-list",
    ],
)
def test_list_queries_do_not_grow_with_rows(url_name, district, org_a, bob, ki, login):
    client = login(ki)
    url = reverse(url_name)
    _add(org_a, bob, 0, 3)
    client.get(url)  # warm caches (session, content types)
    n = _queries(client, url)
    _add(org_a, bob, 3, 3)
    assert _queries(client, url) == n


def test_provider_offer_list_queries_do_not_grow(district, org_a, bob, login):
    client = login(bob)
    url = reverse("backoffice:editorial-offer-list")
    _add(org_a, bob, 0, 3)
    client.get(url)
    n = _queries(client, url)
    _add(org_a, bob, 3, 3)
    assert _queries(client, url) == n
