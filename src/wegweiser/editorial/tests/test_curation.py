"""Duplicates, the public queues, vocabulary and synonyms, good practice, the search log."""

import pytest
from django.urls import reverse

from wegweiser.core.models import LifeArea, Municipality, TargetGroup
from wegweiser.editorial import services
from wegweiser.editorial.constants import ERROR_DUPLICATE_CONFIRM, ERROR_IN_USE
from wegweiser.editorial.selectors import offer_find_duplicates
from wegweiser.offers.models import (
    BarrierReport,
    FeedbackStatus,
    Offer,
    OfferFeedback,
    OfferSuggestion,
)
from wegweiser.offers.services import zero_result_search_log
from wegweiser.privacy.models import AuditEvent
from wegweiser.search.models import SynonymGroup
from wegweiser.search.selectors import search_ranked

from .conftest import make_offer
from .test_views import form_data


def test_duplicates_same_provider_similar_name_same_town(district, org_a, org_b):
    original = make_offer(org_a, name="Deutschkurs für Frauen")
    make_offer(org_a, name="Schwimmkurs", town="herten")
    make_offer(org_b, name="Deutschkurs für Frauen")
    herten = Municipality.objects.get(slug="herten")
    marl = Municipality.objects.get(slug="marl")
    for name in ("Deutschkurs fuer Frauen", "DEUTSCHKURS FÜR FRAUEN ", "Deutschkurs für Frauen!"):
        assert offer_find_duplicates(organisation=org_a, name=name, municipality=herten) == [
            original
        ]
    assert (
        offer_find_duplicates(organisation=org_a, name="Deutschkurs für Frauen", municipality=marl)
        == []
    )
    assert offer_find_duplicates(organisation=org_a, name="Nähcafé", municipality=herten) == []
    assert offer_find_duplicates(
        organisation=org_a, name="Deutschkurs für Frauen", municipality=None
    ) == [original]


def test_create_warns_about_duplicates_with_links_until_confirmed(district, org_a, bob, login):
    original = make_offer(org_a, name="Deutschkurs für Frauen")
    client = login(bob)
    data = form_data(original, name="Deutschkurs fuer Frauen", submit="1")
    data["organisation"] = str(org_a.uuid)
    response = client.post(reverse("backoffice:editorial-offer-create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert str(ERROR_DUPLICATE_CONFIRM) in body
    assert reverse("backoffice:editorial-offer-edit", kwargs={"uuid": original.uuid}) in body
    assert Offer.objects.count() == 1
    data["confirm_new"] = "on"
    assert client.post(reverse("backoffice:editorial-offer-create"), data).status_code == 302
    assert Offer.objects.count() == 2


def test_feedback_queue_mark_handled(offer_a, ki, login):
    feedback = OfferFeedback.objects.create(offer=offer_a, message="Telefon falsch", language="de")
    client = login(ki)
    assert (
        "Telefon falsch"
        in client.get(reverse("backoffice:editorial-feedback-queue")).content.decode()
    )
    url = reverse("backoffice:editorial-feedback-status", kwargs={"uuid": feedback.uuid})
    client.post(url, {"status": "bogus"})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.NEW
    client.post(url, {"status": "done"})
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.DONE
    assert AuditEvent.objects.filter(action="offers.feedback.handled").exists()
    assert (
        "Telefon falsch"
        not in client.get(reverse("backoffice:editorial-feedback-queue")).content.decode()
    )


def test_barrier_queue_lists_reports_and_marks_them_handled(district, ki, login):
    report = BarrierReport.objects.create(
        location="/de/karte/",
        message="Die Karte ist mit der Tastatur nicht bedienbar.",
        contact_email="leserin@example.org",
        language="ar",
    )
    client = login(ki)
    queue = client.get(reverse("backoffice:editorial-barrier-queue")).content.decode()
    assert "Die Karte ist mit der Tastatur nicht bedienbar." in queue
    assert "/de/karte/" in queue and 'href="mailto:leserin@example.org"' in queue
    url = reverse("backoffice:editorial-barrier-status", kwargs={"uuid": report.uuid})
    client.post(url, {"status": "bogus"})
    report.refresh_from_db()
    assert report.status == FeedbackStatus.NEW
    client.post(url, {"status": "done"})
    report.refresh_from_db()
    assert report.status == FeedbackStatus.DONE
    event = AuditEvent.objects.get(action="offers.barrier_report.handled")
    assert (event.object_type, event.object_id) == ("offers.barrierreport", str(report.uuid))
    queue = client.get(reverse("backoffice:editorial-barrier-queue")).content.decode()
    assert "nicht bedienbar" not in queue
    done = client.get(reverse("backoffice:editorial-barrier-queue"), {"status": "done"})
    assert "nicht bedienbar" in done.content.decode()


def test_offer_from_suggestion(district, org_a, ki, login):
    suggestion = OfferSuggestion.objects.create(
        name="Nähcafé International",
        provider_name="Organisation A",
        description="Gemeinsam nähen und Deutsch sprechen.",
        contact_name="Erika Muster",
        contact_email="erika@example.org",
        language="de",
    )
    client = login(ki)
    url = reverse("backoffice:editorial-offer-create") + f"?suggestion={suggestion.uuid}"
    page = client.get(url).content.decode()
    assert 'value="Nähcafé International"' in page
    template = make_offer(org_a, name="Ganz anderes Angebot")
    data = form_data(template, name="Nähcafé International", publish="1")
    data.update(organisation=str(org_a.uuid), suggestion=str(suggestion.uuid))
    assert client.post(url, data).status_code == 302
    offer = Offer.objects.get(name="Nähcafé International")
    assert offer.is_published
    suggestion.refresh_from_db()
    assert suggestion.status == FeedbackStatus.DONE


def test_vocabulary_crud_and_in_use_protection(district, offer_a, ki, login):
    client = login(ki)
    create = reverse("backoffice:editorial-vocabulary-create", kwargs={"kind": "target-groups"})
    assert client.post(create, {"name": "", "slug": "x y"}).status_code == 400
    assert (
        client.post(create, {"name": "Senioren", "slug": "senioren", "position": 9}).status_code
        == 302
    )
    group = TargetGroup.objects.get(slug="senioren")
    edit = reverse(
        "backoffice:editorial-vocabulary-edit", kwargs={"kind": "target-groups", "pk": group.pk}
    )
    client.post(edit, {"name": "Ältere Menschen", "slug": "senioren", "position": 9})
    group.refresh_from_db()
    assert group.name == "Ältere Menschen"
    sprache = LifeArea.objects.get(slug="sprache")
    with pytest.raises(Exception) as error:
        services.vocabulary_delete(actor=ki, instance=sprache)
    assert str(ERROR_IN_USE) in str(error.value)
    client.post(
        reverse(
            "backoffice:editorial-vocabulary-delete",
            kwargs={"kind": "life-areas", "pk": sprache.pk},
        )
    )
    assert LifeArea.objects.filter(slug="sprache").exists()
    client.post(
        reverse(
            "backoffice:editorial-vocabulary-delete",
            kwargs={"kind": "target-groups", "pk": group.pk},
        )
    )
    assert not TargetGroup.objects.filter(slug="senioren").exists()
    assert (
        client.get(
            reverse("backoffice:editorial-vocabulary-list", kwargs={"kind": "nope"})
        ).status_code
        == 404
    )


def test_synonym_group_used_by_search(district, org_a, ki, login):
    make_offer(org_a, name="Kita-Platzsuche", summary="Hilfe bei der Suche nach einem Kita-Platz.")
    client = login(ki)
    create = reverse("backoffice:editorial-vocabulary-create", kwargs={"kind": "synonyms"})
    assert client.post(create, {"members": "Kita"}).status_code == 400
    assert client.post(create, {"members": "Kindergarten, Kita , Kindergarten"}).status_code == 302
    assert SynonymGroup.objects.get().members == "Kindergarten, Kita"
    assert search_ranked(kind="offer", query="Kindergarten").ranked


def test_good_practice_curation(offer_a, ki, login):
    client = login(ki)
    url = reverse("backoffice:editorial-good-practice-edit", kwargs={"uuid": offer_a.uuid})
    client.post(url, {"is_good_practice": "on", "story": "Seit 2019 lernen hier 40 Frauen."})
    offer_a.refresh_from_db()
    assert offer_a.is_good_practice and "40 Frauen" in offer_a.good_practice_story
    assert AuditEvent.objects.filter(action="editorial.good_practice.updated").exists()


def test_zero_result_log_grouped_by_folded_query(ki, login, db):
    for query in ("Kinderärztin", "kinderaerztin", "KINDERÄRZTIN ", "Hebamme"):
        zero_result_search_log(query=query, language="de", filters={})
    zero_result_search_log(query="Kinderarztin", language="ar", filters={}, by_meaning=True)
    page = login(ki).get(reverse("backoffice:editorial-zero-results"))
    from wegweiser.editorial.selectors import zero_result_groups

    groups = zero_result_groups()
    assert groups[0]["count"] == 4 and groups[0]["languages"] == ["ar", "de"]
    # Of these, one search had results by meaning only (no offer held the words).
    assert groups[0]["by_meaning"] == 1 and groups[1]["by_meaning"] == 0
    assert groups[1]["query"] == "Hebamme" and groups[1]["count"] == 1
    assert "Davon nur der Bedeutung nach gefunden" in page.content.decode()
    # Each opens the public search as searchers see it now (after a new synonym, say).
    assert (
        f'<a href="{reverse("offers:offer-list")}?q=Hebamme">Hebamme</a>' in page.content.decode()
    )
