"""Revisions, publication, versions and restore through the services."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from wegweiser.editorial import services
from wegweiser.editorial.constants import ERROR_RETURN_COMMENT, RevisionState
from wegweiser.editorial.models import OfferVersion
from wegweiser.editorial.snapshots import offer_snapshot, snapshot_diff
from wegweiser.offers.constants import TranslationState
from wegweiser.offers.models import Offer
from wegweiser.privacy.models import AuditEvent

from .conftest import blank_snapshot, changed


def test_provider_revision_does_not_change_public_offer_until_published(offer_a, bob, ki):
    revision = services.revision_save(
        actor=bob, offer=offer_a, data=changed(offer_a, name="Deutschkurs am Abend")
    )
    services.revision_submit(actor=bob, revision=revision)
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Vormittag"
    assert revision.state == RevisionState.SUBMITTED

    version = services.revision_publish(actor=ki, revision=revision)
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Abend"
    assert offer_a.last_verified_by == ki
    assert version.number == 1
    assert version.data["fields"]["name"] == "Deutschkurs am Abend"
    revision.refresh_from_db()
    assert revision.state == RevisionState.PUBLISHED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "editorial.revision.saved",
        "editorial.revision.submitted",
        "editorial.revision.published",
        "offers.offer.updated",
        "offers.offer.verified",
    } <= actions


def test_one_open_revision_per_offer_is_reused(offer_a, bob):
    first = services.revision_save(actor=bob, offer=offer_a, data=changed(offer_a, name="A"))
    second = services.revision_save(actor=bob, offer=offer_a, data=changed(offer_a, name="B"))
    assert first.pk == second.pk
    assert second.data["fields"]["name"] == "B"


def test_provider_cannot_publish_or_return(submitted, bob):
    with pytest.raises(PermissionDenied):
        services.revision_publish(actor=bob, revision=submitted)
    with pytest.raises(PermissionDenied):
        services.revision_return(actor=bob, revision=submitted, comment="x")


def test_return_needs_comment_and_mails_provider_in_their_language(
    submitted, ki, bob, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        services.revision_return(actor=ki, revision=submitted, comment="  ")
    assert ERROR_RETURN_COMMENT in error.value.messages
    bob.language = "en"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_return(actor=ki, revision=submitted, comment="Bitte Zeiten ergänzen.")
    submitted.refresh_from_db()
    assert submitted.state == RevisionState.RETURNED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [bob.email]
    assert "Please check your changes" in message.subject
    assert "Bitte Zeiten ergänzen." in message.body


def test_a_line_break_in_the_offer_name_does_not_break_the_mail(
    submitted, ki, bob, django_capture_on_commit_callbacks
):
    # An import can bring a name with a line break; Django refuses such a subject
    # (BadHeaderError), which would fail after the return was saved.
    Offer.objects.filter(pk=submitted.offer_id).update(name="Sprachcafé\nInternational")
    submitted.offer.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_return(actor=ki, revision=submitted, comment="Bitte Zeiten ergänzen.")
    [message] = mail.outbox
    assert "Sprachcafé International" in message.subject
    assert "\n" not in message.subject


def test_returned_revision_can_be_edited_and_resubmitted(submitted, ki, bob):
    services.revision_return(actor=ki, revision=submitted, comment="Mehr Details")
    revision = services.revision_save(
        actor=bob, offer=submitted.offer, data=changed(submitted.offer, summary="Mit Details.")
    )
    assert revision.state == RevisionState.DRAFT
    services.revision_submit(actor=bob, revision=revision)
    assert revision.state == RevisionState.SUBMITTED


def test_published_revision_cannot_move_again(submitted, ki):
    services.revision_publish(actor=ki, revision=submitted)
    with pytest.raises(ValidationError):
        services.revision_publish(actor=ki, revision=submitted)


def test_diff_lists_changed_fields_lists_and_translations(offer_a, district):
    published = offer_snapshot(offer_a)
    proposed = changed(offer_a, name="Neu", age_min=16)
    proposed["life_areas"] = ["sprache", "wohnen"]
    proposed["schedules"] = [
        {
            "kind": "weekly",
            "weekday": 0,
            "date": None,
            "opens_at": "09:00",
            "closes_at": "12:00",
            "note": "",
        }
    ]
    proposed["translations"] = {"ar": {"name": "دورة", "summary": "", "description": ""}}
    rows = {row["field"]: row for row in snapshot_diff(published, proposed)}
    assert rows["name"]["old"] == "Deutschkurs am Vormittag" and rows["name"]["new"] == "Neu"
    assert rows["age_min"]["new"] == 16
    assert "Wohnen" in rows["life_areas"]["new"]
    assert "09:00–12:00" in rows["schedules"]["new"]
    assert rows["translations.ar.name"]["new"] == "دورة"
    assert "summary" not in rows
    assert snapshot_diff(published, published) == []


def test_publish_applies_schedules_contacts_translations(offer_a, ki, district):
    data = changed(offer_a)
    data["schedules"] = [
        {
            "kind": "weekly",
            "weekday": 2,
            "date": None,
            "opens_at": "10:00",
            "closes_at": "11:30",
            "note": "",
        }
    ]
    data["contacts"] = [{"name": "Herr Muster", "role": "Leitung", "phone": "", "email": ""}]
    data["translations"] = {"ar": {"name": "دورة", "summary": "ملخص", "description": ""}}
    services.offer_save_direct(actor=ki, offer=offer_a, data=data)
    assert [s.weekday for s in offer_a.schedules.all()] == [2]
    assert [c.name for c in offer_a.contacts.all()] == ["Herr Muster"]
    translation = offer_a.translations.get(language="ar")
    assert translation.name == "دورة" and translation.state == TranslationState.CURRENT


def test_german_change_marks_untouched_translation_outdated(offer_a, ki):
    from wegweiser.offers import services as offer_services

    offer_services.offer_translation_save(offer=offer_a, language="ar", name="دورة")
    services.offer_save_direct(actor=ki, offer=offer_a, data=changed(offer_a, summary="Neu."))
    assert offer_a.translations.get(language="ar").state == TranslationState.OUTDATED


def test_restore_creates_new_version(offer_a, ki):
    v1 = services.offer_save_direct(actor=ki, offer=offer_a, data=changed(offer_a))
    services.offer_save_direct(actor=ki, offer=offer_a, data=changed(offer_a, name="Zweiter Name"))
    offer_a.refresh_from_db()
    assert offer_a.name == "Zweiter Name"
    v3 = services.version_restore(actor=ki, version=v1)
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Vormittag"
    assert v3.number == 3 and v3.note == "restore v1"
    assert OfferVersion.objects.filter(offer=offer_a).count() == 3
    assert AuditEvent.objects.filter(action="editorial.version.restored").exists()


def test_new_offer_by_provider_stays_hidden_until_published(district, org_a, bob, ki):
    data = blank_snapshot(name="Nähcafé für Frauen", summary="Gemeinsam nähen.")
    offer, revision = services.offer_create_for_review(actor=bob, organisation=org_a, data=data)
    assert offer.is_published is False
    assert revision.state == RevisionState.SUBMITTED
    services.revision_publish(actor=ki, revision=revision)
    offer.refresh_from_db()
    assert offer.is_published is True
