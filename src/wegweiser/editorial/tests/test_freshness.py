"""Freshness: reminders with a signed "still correct" link, archiving, the dashboard."""

import datetime
import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wegweiser.editorial import selectors, services
from wegweiser.offers.constants import OfferStatus
from wegweiser.offers.models import Offer
from wegweiser.privacy.models import AuditEvent

from .conftest import make_offer

pytestmark = pytest.mark.django_db


def _age(offer, *, verified_days_ago=None, created_days_ago=400):
    now = timezone.now()
    Offer.objects.filter(pk=offer.pk).update(
        created_at=now - datetime.timedelta(days=created_days_ago),
        last_verified_at=(
            now - datetime.timedelta(days=verified_days_ago)
            if verified_days_ago is not None
            else None
        ),
    )


def _link(body):
    return re.search(r"https?://\S+/backoffice/still-correct/\S+/", body).group(0)


def test_remind_stale_mails_provider_with_working_link(offer_a, offer_b, bob, client):
    _age(offer_a, verified_days_ago=300)
    _age(offer_b, verified_days_ago=10)
    bob.language = "en"
    bob.save()
    call_command("remind_stale", "--months", "6", "--base-url", "https://wegweiser.example.org")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [bob.email]
    assert offer_a.name in message.body and offer_b.name not in message.body
    assert "are your offers still correct" in message.subject
    path = _link(message.body).replace("https://wegweiser.example.org", "")
    # Opening the link (no login) changes nothing; the button does.
    page = client.get(path)
    assert page.status_code == 200 and offer_a.name in page.content.decode()
    offer_a.refresh_from_db()
    assert offer_a.last_verified_at < timezone.now() - datetime.timedelta(days=200)
    assert client.post(path).status_code == 200
    offer_a.refresh_from_db()
    assert offer_a.last_verified_at > timezone.now() - datetime.timedelta(minutes=1)
    assert AuditEvent.objects.filter(
        action="editorial.offer.confirmed_by_link", object_id=str(offer_a.uuid)
    ).exists()


def test_still_correct_link_expired_or_tampered_is_refused(offer_a, client, settings):
    settings.WEGWEISER_STILL_CORRECT_MAX_AGE_DAYS = 30
    _age(offer_a, verified_days_ago=300)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        old_token = services.still_correct_token(offer_a)
    token = services.still_correct_token(offer_a)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other_offer = token.replace(str(offer_a.uuid), "00000000-0000-0000-0000-000000000000")
    for bad in (old_token, tampered, other_offer, "nonsense"):
        url = reverse("backoffice:editorial-still-correct", kwargs={"token": bad})
        assert client.get(url).status_code == 400
        assert client.post(url).status_code == 400
    offer_a.refresh_from_db()
    assert offer_a.last_verified_at < timezone.now() - datetime.timedelta(days=200)


def test_remind_stale_default_months_from_setting(offer_a, bob, settings):
    settings.WEGWEISER_STALE_MONTHS = 12
    _age(offer_a, verified_days_ago=300)
    call_command("remind_stale")
    assert mail.outbox == []
    _age(offer_a, verified_days_ago=400)
    call_command("remind_stale")
    assert len(mail.outbox) == 1


def test_archive_offers_past_end_date(offer_a, offer_b):
    Offer.objects.filter(pk=offer_a.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    Offer.objects.filter(pk=offer_b.pk).update(valid_until=timezone.localdate())
    call_command("remind_stale")
    offer_a.refresh_from_db()
    offer_b.refresh_from_db()
    assert offer_a.status == OfferStatus.INACTIVE
    assert offer_b.status == OfferStatus.ACTIVE
    assert AuditEvent.objects.filter(action="editorial.offer.archived").count() == 1


def test_dashboard_numbers_one_query_each(district, org_a, org_b, ki, login):
    fresh = [make_offer(org_a, name=f"Frisch {i}") for i in range(3)]
    stale = make_offer(org_a, name="Alt", town="marl")
    other = make_offer(org_b, name="Fremd", town="marl")
    for offer in fresh:
        _age(offer, verified_days_ago=5)
    _age(stale, verified_days_ago=400)
    _age(other, verified_days_ago=None)
    with CaptureQueriesContext(connection) as queries:
        providers = {r["name"]: r for r in selectors.freshness_by_provider(months=6)}
    assert len(queries) == 1
    assert providers["Organisation A"]["total"] == 4
    assert providers["Organisation A"]["verified"] == 3
    assert providers["Organisation A"]["share"] == 75
    assert providers["Organisation B"]["share"] == 0
    with CaptureQueriesContext(connection) as queries:
        towns = {r["slug"]: r for r in selectors.freshness_by_town(months=6)}
    assert len(queries) == 1
    assert towns["herten"]["total"] == 3 and towns["herten"]["share"] == 100
    assert towns["marl"]["total"] == 2 and towns["marl"]["verified"] == 0
    page = login(ki).get(reverse("backoffice:editorial-freshness")).content.decode()
    assert "75 %" in page


def test_offer_form_shows_last_verified(offer_a, bob, login):
    _age(offer_a, verified_days_ago=3)
    offer_a.refresh_from_db()
    page = login(bob).get(reverse("backoffice:editorial-offer-edit", kwargs={"uuid": offer_a.uuid}))
    shown = timezone.localtime(offer_a.last_verified_at).strftime("%d.%m.%Y")
    assert shown in page.content.decode()


def test_provider_confirms_still_correct_in_backoffice_and_sees_reports(offer_a, bob, login):
    from wegweiser.offers.models import OfferFeedback

    _age(offer_a, verified_days_ago=300)
    OfferFeedback.objects.create(
        offer=offer_a, message="Die Telefonnummer stimmt nicht.", language="de"
    )
    client = login(bob)
    url = reverse("backoffice:editorial-offer-edit", kwargs={"uuid": offer_a.uuid})
    assert "Die Telefonnummer stimmt nicht." in client.get(url).content.decode()
    client.post(reverse("backoffice:editorial-offer-confirm", kwargs={"uuid": offer_a.uuid}))
    offer_a.refresh_from_db()
    assert offer_a.last_verified_by == bob
    assert AuditEvent.objects.filter(action="editorial.offer.confirmed").exists()
