"""Role × URL matrix of the editorial back office, and the wall between organisations."""

import pytest
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix
from wegweiser.editorial import services
from wegweiser.offers.models import BarrierReport, OfferFeedback, OfferSuggestion
from wegweiser.privacy.models import AuditEvent
from wegweiser.search.models import SynonymGroup

from .conftest import changed, make_offer

EDITORS = {Role.KI_EDITOR: 200, Role.PROVIDER_EDITOR: 200}
KI = {Role.KI_EDITOR: 200}
KI_POST = {Role.KI_EDITOR: 302}
EVERYONE = dict.fromkeys(ALL_ROLES, 200)


def _offer(o):
    return {"uuid": o["offer"].uuid}


MATRIX = [
    MatrixRow("backoffice:editorial-offer-list", EDITORS),
    MatrixRow("backoffice:editorial-offer-create", EDITORS),
    MatrixRow("backoffice:editorial-offer-edit", EDITORS, kwargs=_offer),
    MatrixRow("backoffice:editorial-offer-preview", EDITORS, kwargs=_offer),
    MatrixRow(
        "backoffice:editorial-offer-submit",
        {Role.KI_EDITOR: 302, Role.PROVIDER_EDITOR: 302},
        method="post",
        kwargs=_offer,
    ),
    MatrixRow("backoffice:editorial-offer-translations", EDITORS, kwargs=_offer),
    MatrixRow(
        "backoffice:editorial-offer-confirm",
        {Role.KI_EDITOR: 302, Role.PROVIDER_EDITOR: 302},
        method="post",
        kwargs=_offer,
    ),
    MatrixRow(
        "backoffice:editorial-offer-translation-edit",
        EDITORS,
        kwargs=lambda o: {"uuid": o["offer"].uuid, "language": "ar"},
    ),
    MatrixRow("backoffice:editorial-offer-history", EDITORS, kwargs=_offer),
    MatrixRow("backoffice:editorial-good-practice-edit", KI, kwargs=_offer),
    MatrixRow(
        "backoffice:editorial-version-restore",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["version"].uuid},
    ),
    MatrixRow("backoffice:editorial-review-queue", KI),
    MatrixRow(
        "backoffice:editorial-revision-detail",
        EDITORS,
        kwargs=lambda o: {"uuid": o["revision"].uuid},
    ),
    MatrixRow(
        "backoffice:editorial-revision-publish",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["revision"].uuid},
    ),
    MatrixRow(
        "backoffice:editorial-revision-return",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["revision"].uuid},
        data={"comment": "Bitte die Zeiten ergänzen."},
    ),
    MatrixRow("backoffice:editorial-location-list", EDITORS),
    MatrixRow("backoffice:editorial-location-create", EDITORS),
    MatrixRow(
        "backoffice:editorial-location-edit",
        EDITORS,
        kwargs=lambda o: {"uuid": o["offer"].locations.first().uuid},
    ),
    MatrixRow("backoffice:editorial-contact-list", EDITORS),
    MatrixRow(
        "backoffice:editorial-contact-edit",
        EDITORS,
        kwargs=lambda o: {"pk": o["offer"].contacts.first().pk},
    ),
    MatrixRow(
        "backoffice:editorial-still-correct",
        EVERYONE,
        kwargs=lambda o: {"token": services.still_correct_token(o["offer"])},
    ),
    MatrixRow("backoffice:editorial-freshness", {Role.KI_EDITOR: 200, Role.ADMIN: 200}),
    MatrixRow("backoffice:editorial-good-practice-list", KI),
    MatrixRow("backoffice:editorial-feedback-queue", KI),
    MatrixRow(
        "backoffice:editorial-feedback-status",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["feedback"].uuid},
        data={"status": "done"},
    ),
    MatrixRow("backoffice:editorial-suggestion-queue", KI),
    MatrixRow(
        "backoffice:editorial-suggestion-status",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["suggestion"].uuid},
        data={"status": "rejected"},
    ),
    MatrixRow("backoffice:editorial-barrier-queue", KI),
    MatrixRow(
        "backoffice:editorial-barrier-status",
        KI_POST,
        method="post",
        kwargs=lambda o: {"uuid": o["barrier"].uuid},
        data={"status": "done"},
    ),
    MatrixRow("backoffice:editorial-zero-results", KI),
    MatrixRow("backoffice:editorial-vocabulary-list", KI, kwargs=lambda o: {"kind": "synonyms"}),
    MatrixRow(
        "backoffice:editorial-vocabulary-create", KI, kwargs=lambda o: {"kind": "target-groups"}
    ),
    MatrixRow(
        "backoffice:editorial-vocabulary-edit",
        KI,
        kwargs=lambda o: {"kind": "synonyms", "pk": o["synonyms"].pk},
    ),
    MatrixRow(
        "backoffice:editorial-vocabulary-delete",
        KI_POST,
        method="post",
        kwargs=lambda o: {"kind": "synonyms", "pk": o["synonyms"].pk},
    ),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_editorial_permission_matrix(row, role, make_member, login, org_a, district):
    offer = make_offer(org_a)
    version = services.offer_save_direct(actor=None, offer=offer, data=changed(offer))
    revision = services.revision_save(
        actor=None, offer=offer, data=changed(offer, summary="Geändert.")
    )
    services.revision_submit(actor=None, revision=revision)
    objects = {
        "offer": offer,
        "version": version,
        "revision": revision,
        "barrier": BarrierReport.objects.create(message="Kontrast zu schwach", language="de"),
        "feedback": OfferFeedback.objects.create(
            offer=offer, message="Falsche Zeit", language="de"
        ),
        "suggestion": OfferSuggestion.objects.create(
            name="Nähcafé",
            provider_name="Verein",
            description="Nähen",
            contact_name="Erika Muster",
            contact_email="erika@example.org",
            language="de",
        ),
        "synonyms": SynonymGroup.objects.create(members="Kita, Kindergarten"),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)


def test_provider_editor_gets_404_on_everything_of_another_organisation(
    bob, charlie, login, offer_a, offer_b
):
    """bob (provider editor of A) sees nothing of B: offer, revision, version, location, contact."""
    revision_b = services.revision_save(
        actor=charlie, offer=offer_b, data=changed(offer_b, name="Schuldnerberatung neu")
    )
    version_b = services.offer_save_direct(actor=None, offer=offer_b, data=changed(offer_b))
    client = login(bob)
    urls = [
        reverse("backoffice:editorial-offer-edit", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-offer-preview", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-offer-translations", kwargs={"uuid": offer_b.uuid}),
        reverse(
            "backoffice:editorial-offer-translation-edit",
            kwargs={"uuid": offer_b.uuid, "language": "ar"},
        ),
        reverse("backoffice:editorial-offer-history", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-revision-detail", kwargs={"uuid": revision_b.uuid}),
        reverse(
            "backoffice:editorial-location-edit",
            kwargs={"uuid": offer_b.locations.first().uuid},
        ),
        reverse("backoffice:editorial-contact-edit", kwargs={"pk": offer_b.contacts.first().pk}),
    ]
    denied_before = AuditEvent.objects.filter(action="privacy.access.denied").count()
    for url in urls:
        assert client.get(url).status_code == 404, url
    post_urls = [
        reverse("backoffice:editorial-offer-edit", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-offer-submit", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-offer-confirm", kwargs={"uuid": offer_b.uuid}),
        reverse("backoffice:editorial-contact-edit", kwargs={"pk": offer_b.contacts.first().pk}),
        reverse(
            "backoffice:editorial-location-edit",
            kwargs={"uuid": offer_b.locations.first().uuid},
        ),
        reverse("backoffice:editorial-version-restore", kwargs={"uuid": version_b.uuid}),
    ]
    for url in post_urls:
        assert client.post(url, {"name": "Übernommen"}).status_code == 404, url
    assert AuditEvent.objects.filter(action="privacy.access.denied").count() - denied_before == len(
        urls
    ) + len(post_urls)
    # Lists show only A's things.
    listing = client.get(reverse("backoffice:editorial-offer-list")).content.decode()
    assert offer_a.name in listing and offer_b.name not in listing
    locations = client.get(reverse("backoffice:editorial-location-list")).content.decode()
    assert offer_b.locations.first().name not in locations
    offer_b.refresh_from_db()
    assert offer_b.name == "Schuldnerberatung"
