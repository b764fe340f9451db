"""A deactivated organisation's offers leave the public site and stay off it until the
editors publish them again under an active organisation."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.accounts.services import organisation_update
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.offers import services
from wegweiser.offers.models import Offer
from wegweiser.privacy.models import AuditEvent

from .factories import OfferFactory

pytestmark = pytest.mark.django_db


def _found(client, word: str) -> list[str]:
    response = client.get("/api/v1/search", {"q": word})
    assert response.status_code == 200
    return [result["title"] for result in response.json()["results"]]


def test_deactivating_an_organisation_takes_its_offers_off_the_public_site(
    client, make_member, org_a, login, alice
):
    provider = OrganisationFactory(name="Verein Brückenbau")
    closing = OfferFactory(organisation=provider, name="Zitherkurs am Abend")
    draft = OfferFactory(organisation=provider, name="Zitherkurs Entwurf", is_published=False)
    other = OfferFactory(name="Zitherkurs im Nachbarort")
    assert _found(client, "Zitherkurs") == ["Zitherkurs am Abend", "Zitherkurs im Nachbarort"]
    detail = reverse("offers:offer-detail", kwargs={"uuid": closing.uuid})
    assert client.get(detail).status_code == 200

    editor = make_member(Role.KI_EDITOR, org_a)
    response = login(editor).post(
        reverse("backoffice:organisation-update", kwargs={"uuid": provider.uuid}),
        {"name": provider.name, "kind": provider.kind},  # "is_active" unticked
    )
    assert response.status_code == 302

    assert _found(client, "Zitherkurs") == ["Zitherkurs im Nachbarort"]
    assert client.get(detail).status_code == 404
    closing.refresh_from_db()
    draft.refresh_from_db()
    other.refresh_from_db()
    assert not closing.is_published and not draft.is_published and other.is_published
    # Audited as an ordinary change of the offer, by the editor who deactivated.
    assert AuditEvent.objects.filter(
        action="offers.offer.updated", object_id=str(closing.uuid), actor=editor
    ).exists()
    assert not AuditEvent.objects.filter(
        action="offers.offer.updated", object_id=str(draft.uuid)
    ).exists()


def test_reactivating_does_not_publish_again_and_publishing_needs_an_active_organisation(alice):
    provider = OrganisationFactory()
    offer = OfferFactory(organisation=provider)
    organisation_update(actor=None, organisation=provider, is_active=False)
    offer.refresh_from_db()
    assert not offer.is_published

    with pytest.raises(ValidationError) as refused:
        services.offer_update(offer=offer, is_published=True)
    assert "is_published" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.offer_create(organisation=provider, name="Neu", is_published=True)
    assert not Offer.objects.filter(name="Neu").exists()
    offer.refresh_from_db()
    assert not offer.is_published

    organisation_update(actor=None, organisation=provider, is_active=True)
    offer.refresh_from_db()
    assert not offer.is_published  # the editors check it and publish it
    services.offer_update(offer=offer, is_published=True)
    offer.refresh_from_db()
    assert offer.is_published


def test_a_published_offer_is_not_moved_to_a_deactivated_organisation(alice):
    closed = OrganisationFactory()
    organisation_update(actor=None, organisation=closed, is_active=False)
    offer = OfferFactory()
    with pytest.raises(ValidationError) as refused:
        services.offer_update(offer=offer, organisation=closed)
    assert "is_published" in refused.value.message_dict
    offer.refresh_from_db()
    assert offer.is_published and offer.organisation_id != closed.pk
    # Moved as a draft, it is accepted.
    services.offer_update(offer=offer, organisation=closed, is_published=False)
    offer.refresh_from_db()
    assert offer.organisation_id == closed.pk and not offer.is_published
