"""All writes of offers, locations, schedules and translations."""

import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wegweiser.accounts.signals import organisation_deactivated
from wegweiser.privacy.services import audit_log

from .constants import ERROR_ORGANISATION_INACTIVE, TRANSLATABLE_FIELDS, TranslationState
from .models import (
    BarrierReport,
    Location,
    Offer,
    OfferAttachment,
    OfferContact,
    OfferFeedback,
    OfferLocation,
    OfferSuggestion,
    OfferTranslation,
    Schedule,
    ZeroResultSearch,
)
from .search import offer_index

OFFER_FIELDS = (
    "organisation",
    "name",
    "summary",
    "description",
    "status",
    "cost",
    "cost_description",
    "age_min",
    "age_max",
    "eligibility",
    "registration_required",
    "childcare",
    "is_online",
    "is_on_site",
    "website",
    "email",
    "phone",
    "valid_from",
    "valid_until",
    "is_good_practice",
    "good_practice_story",
    "is_published",
    "source_system",
    "source_id",
)
OFFER_M2M = ("life_areas", "target_groups", "languages")


def offer_source_hash(offer: Offer) -> str:
    """SHA-256 of the German texts; translations made from other texts are outdated."""
    text = "\x1f".join(getattr(offer, field) or "" for field in TRANSLATABLE_FIELDS)
    return hashlib.sha256(text.encode()).hexdigest()


def _set_m2m(offer: Offer, data: dict[str, Any]) -> None:
    for field in OFFER_M2M:
        if field in data:
            getattr(offer, field).set(data[field])


def _check_publishable(offer: Offer) -> None:
    """A published offer needs an active organisation: deactivating one unpublishes its
    offers (`organisation_offers_unpublish`), and nothing publishes them while it stays so."""
    if offer.is_published and offer.organisation_id and not offer.organisation.is_active:
        raise ValidationError({"is_published": ERROR_ORGANISATION_INACTIVE})


@transaction.atomic
def offer_create(*, actor=None, locations: Iterable[Location] = (), **data: Any) -> Offer:
    """Create an offer with its vocabulary links and locations."""
    offer = Offer(**{k: v for k, v in data.items() if k in OFFER_FIELDS})
    _check_publishable(offer)
    offer.full_clean()
    offer.save()
    _set_m2m(offer, data)
    for location in locations:
        OfferLocation.objects.create(offer=offer, location=location)
    audit_log(
        action="offers.offer.created",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=[k for k in data if k in OFFER_FIELDS or k in OFFER_M2M],
    )
    offer_index(offer)
    return offer


@transaction.atomic
def offer_update(*, actor=None, offer: Offer, **data: Any) -> Offer:
    """Change an offer; a change of the German texts marks its translations outdated."""
    before = offer_source_hash(offer)
    changed = [f for f in OFFER_FIELDS if f in data and getattr(offer, f) != data[f]]
    for field in changed:
        setattr(offer, field, data[field])
    if "is_published" in changed or "organisation" in changed:  # also moved to another one
        _check_publishable(offer)
    if changed:
        offer.full_clean()
        offer.save(update_fields=[*changed, "updated_at"])
    _set_m2m(offer, data)
    after = offer_source_hash(offer)
    if after != before:
        offer.translations.exclude(source_hash=after).exclude(
            state=TranslationState.MISSING
        ).update(state=TranslationState.OUTDATED)
    audit_log(
        action="offers.offer.updated",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=[*changed, *(f for f in OFFER_M2M if f in data)],
    )
    offer_index(offer)
    return offer


@transaction.atomic
def organisation_offers_unpublish(*, actor=None, organisation) -> int:
    """Take every published offer of a deactivated organisation off the public site (search
    index, lists, map, open data). Each is audited like any other change. Reactivating the
    organisation does not publish them again: the editors check and publish them."""
    offers = list(Offer.objects.filter(organisation=organisation, is_published=True))
    for offer in offers:
        offer_update(actor=actor, offer=offer, is_published=False)
    return len(offers)


def _organisation_deactivated(sender, *, actor, organisation, **kwargs) -> None:
    organisation_offers_unpublish(actor=actor, organisation=organisation)


def connect_signals() -> None:
    organisation_deactivated.connect(
        _organisation_deactivated, dispatch_uid="offers-organisation-deactivated"
    )


@transaction.atomic
def offer_translation_save(
    *,
    actor=None,
    offer: Offer,
    language: str,
    name: str,
    summary: str = "",
    description: str = "",
    machine: bool = False,
) -> OfferTranslation:
    """Save the texts of one language; they count as current for today's German source."""
    translation, _created = OfferTranslation.objects.update_or_create(
        offer=offer,
        language=language,
        defaults={
            "name": name,
            "summary": summary,
            "description": description,
            "state": TranslationState.MACHINE if machine else TranslationState.CURRENT,
            "source_hash": offer_source_hash(offer),
        },
    )
    audit_log(
        action="offers.translation.saved",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["name", "summary", "description"],
        reason=language,
    )
    offer_index(offer)
    return translation


@transaction.atomic
def offer_verify(*, actor, offer: Offer) -> Offer:
    """Record that the provider or the KI checked the offer today ("still correct")."""
    offer.last_verified_at = timezone.now()
    offer.last_verified_by = actor
    offer.save(update_fields=["last_verified_at", "last_verified_by", "updated_at"])
    audit_log(
        action="offers.offer.verified",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["last_verified_at"],
    )
    return offer


@transaction.atomic
def location_create(**data: Any) -> Location:
    location = Location(**data)
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def schedule_add(*, offer: Offer, **data: Any) -> Schedule:
    schedule = Schedule(offer=offer, **data)
    schedule.full_clean()
    schedule.save()
    return schedule


@transaction.atomic
def contact_add(*, offer: Offer, **data: Any) -> OfferContact:
    contact = OfferContact(offer=offer, **data)
    contact.full_clean()
    contact.save()
    return contact


def zero_result_search_log(
    *, query: str, language: str, filters: dict[str, Any], by_meaning: bool = False
) -> None:
    """Remember a search without result for the editors (no user, no address); also one whose
    words no offer holds (`by_meaning`: its results were the closest by meaning)."""
    ZeroResultSearch.objects.create(
        query=query[:200], language=language[:10], filters=filters, by_meaning=by_meaning
    )


def _submission_store(submission, *, action: str, object_type: str, object_id, fields: list[str]):
    """Validate and store what the public sent; the audit names the fields, never the values."""
    submission.full_clean()
    submission.save()
    audit_log(action=action, object_type=object_type, object_id=object_id, fields=fields)
    return submission


def _message_fields(contact_email: str) -> list[str]:
    return ["message", *(["contact_email"] if contact_email else [])]


@transaction.atomic
def offer_feedback_create(
    *, offer: Offer, message: str, contact_email: str, language: str
) -> OfferFeedback:
    """Store a public "report a mistake" for the editors; the editors' queue shows it."""
    feedback = OfferFeedback(
        offer=offer, message=message, contact_email=contact_email, language=language[:10]
    )
    return _submission_store(
        feedback,
        action="offers.feedback.created",
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=_message_fields(contact_email),
    )


@transaction.atomic
def barrier_report_create(
    *, location: str, message: str, contact_email: str, language: str
) -> BarrierReport:
    """Store a public "report a barrier" (the accessibility statement's feedback mechanism)."""
    report = BarrierReport(
        location=location, message=message, contact_email=contact_email, language=language[:10]
    )
    return _submission_store(
        report,
        action="offers.barrier_report.created",
        object_type="offers.barrierreport",
        object_id=report.uuid,
        fields=_message_fields(contact_email),
    )


@transaction.atomic
def offer_suggestion_create(*, language: str, **data: Any) -> OfferSuggestion:
    """Store an offer suggested by a provider without an account."""
    suggestion = OfferSuggestion(language=language[:10], **data)
    return _submission_store(
        suggestion,
        action="offers.suggestion.created",
        object_type="offers.suggestion",
        object_id=suggestion.uuid,
        fields=list(data),
    )


def _check_attachment(*, kind: str, file, alt_text: str) -> None:
    """Accept only the types a browser shows safely, checked by content, not by name."""
    from .constants import (
        ATTACHMENT_MAX_BYTES,
        ATTACHMENT_TYPES,
        ERROR_ATTACHMENT_SIZE,
        ERROR_ATTACHMENT_TYPE,
        ERROR_PHOTO_ALT,
    )

    if file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": ERROR_ATTACHMENT_SIZE})
    suffix = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    magic = ATTACHMENT_TYPES.get(kind, {}).get(suffix)
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if magic is None or not head.startswith(magic):
        raise ValidationError({"file": ERROR_ATTACHMENT_TYPE})
    if kind == "photo" and not alt_text.strip():
        raise ValidationError({"alt_text": ERROR_PHOTO_ALT})


@transaction.atomic
def attachment_add(
    *,
    actor=None,
    offer: Offer,
    kind: str,
    title: str,
    file,
    language: str = "de",
    alt_text: str = "",
    position: int = 0,
) -> OfferAttachment:
    """Attach a flyer or photo; the file is written only when the row is valid."""
    _check_attachment(kind=kind, file=file, alt_text=alt_text)
    attachment = OfferAttachment(
        offer=offer, kind=kind, title=title, language=language, alt_text=alt_text, position=position
    )
    attachment.file.save(file.name, file, save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # No orphaned file when the row cannot be saved.
        attachment.file.delete(save=False)
        raise
    audit_log(
        action="offers.attachment.created",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["file", "title", "kind"],
    )
    return attachment
