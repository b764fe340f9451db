"""A NUL character in a request's path or parameters is refused with 400 before any view runs.

PostgreSQL refuses NUL in every text value, so without this a search for "Kurs%00" failed with
a 500 in whichever query first used it (the zero-result log of the public search, on
PostgreSQL only). The suite runs on both engines; the answer must be the same on each.
"""

import pytest
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.offers.models import Offer, ZeroResultSearch

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["q=Kurs%00", "q=Deutschkurs&town=%00herten", "q=Kita&page=1%00", "%00=1", "q=%00"],
)
def test_the_search_api_answers_a_problem(client, district, query):
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Ungültiges Zeichen"
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/de/angebote/", "/de/ratgeber/", "/api/v1/suggest"])
def test_public_searches_answer_400_and_log_nothing(client, district, url):
    response = client.get(f"{url}?q=Nichts%00da")
    assert response.status_code == 400
    assert not ZeroResultSearch.objects.exists()
    # The same search without the NUL is answered (and, finding nothing, logged).
    assert client.get(f"{url}?q=Nichtsda").status_code == 200


def test_back_office_forms_refuse_nul_and_change_nothing(district, make_member, login, org_a):
    client = login(make_member(Role.ADMIN, org_a))
    users = reverse("backoffice:user-list")
    assert client.get(f"{users}?q=al%00ice").status_code == 400
    assert client.get(f"{users}?q=alice").status_code == 200
    response = client.post(reverse("backoffice:editorial-offer-create"), {"name": "Kurs\x00"})
    assert response.status_code == 400
    assert not Offer.objects.exists()
    assert client.get("/accounts/invitation/ab%00cd/").status_code == 400


def test_ordinary_control_characters_and_percent_signs_pass(client, district):
    response = client.get("/api/v1/search", {"q": "100% Kurs\t\u202e"})
    assert response.status_code == 200
