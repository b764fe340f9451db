"""All writes of the editorial back office: revisions, publication, versions, freshness, curation.

Offers themselves change only through `wegweiser.offers.services`; this module decides when.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Organisation, User
from wegweiser.core.mail import render_subject
from wegweiser.core.models import LifeArea, TargetGroup
from wegweiser.offers import services as offer_services
from wegweiser.offers.constants import OfferStatus
from wegweiser.offers.models import (
    BarrierReport,
    FeedbackStatus,
    Offer,
    OfferContact,
    OfferFeedback,
    OfferLocation,
    OfferSuggestion,
    Schedule,
)
from wegweiser.privacy.services import audit_log
from wegweiser.search.models import SynonymGroup

from .constants import (
    CONTACT_KEYS,
    ERROR_IN_USE,
    ERROR_RETURN_COMMENT,
    ERROR_TRANSITION,
    OPEN_STATES,
    REVISION_TRANSITIONS,
    STILL_CORRECT_SALT,
    TRANSLATION_KEYS,
    RevisionState,
)
from .models import OfferRevision, OfferVersion
from .snapshots import offer_snapshot, parse_fields, parse_schedule, vocabulary_for


def _require(actor: User | None, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied


def _move(revision: OfferRevision, state: str) -> None:
    if state not in REVISION_TRANSITIONS[RevisionState(revision.state)]:
        raise ValidationError(ERROR_TRANSITION)
    revision.state = state


def _fresh_offer(offer: Offer) -> Offer:
    return (
        Offer.objects.select_related("organisation")
        .prefetch_related(
            "life_areas", "target_groups", "languages", "locations", "schedules", "contacts"
        )
        .get(pk=offer.pk)
    )


# --- revisions -------------------------------------------------------------------------------


def revision_open_for(offer: Offer) -> OfferRevision | None:
    return offer.revisions.filter(state__in=OPEN_STATES).first()


@transaction.atomic
def revision_save(*, actor: User | None, offer: Offer, data: dict[str, Any]) -> OfferRevision:
    """Store proposed data as the offer's open revision (a draft); the public page is unchanged."""
    Offer.objects.select_for_update().filter(pk=offer.pk).first()
    revision = revision_open_for(offer)
    if revision is None:
        revision = OfferRevision(offer=offer, author=actor)
    elif revision.state != RevisionState.DRAFT:
        _move(revision, RevisionState.DRAFT)
    revision.data = data
    revision.author = actor or revision.author
    revision.full_clean()
    revision.save()
    audit_log(
        action="editorial.revision.saved",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=sorted(data.get("fields", {})),
        organisation=offer.organisation,
    )
    return revision


@transaction.atomic
def revision_submit(*, actor: User | None, revision: OfferRevision) -> OfferRevision:
    """Hand the revision to the district's editors for review."""
    _move(revision, RevisionState.SUBMITTED)
    revision.submitted_at = timezone.now()
    revision.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_log(
        action="editorial.revision.submitted",
        actor=actor,
        object_type="editorial.revision",
        object_id=revision.uuid,
        organisation=revision.offer.organisation,
    )
    return revision


def _send_returned_mail(revision_pk: int, base_url: str) -> None:
    revision = OfferRevision.objects.select_related("offer", "offer__organisation").get(
        pk=revision_pk
    )
    for user in provider_editors_of(revision.offer.organisation):
        with translation.override(user.language):
            context = {
                "revision": revision,
                "offer": revision.offer,
                "user": user,
                "site_name": settings.WEGWEISER_SITE_NAME,
                "url": base_url
                + reverse("backoffice:editorial-offer-edit", kwargs={"uuid": revision.offer.uuid}),
            }
            subject = render_subject("editorial/email/returned_subject.txt", context)
            body = render_to_string("editorial/email/returned.txt", context)
        send_mail(subject, body, None, [user.email])


@transaction.atomic
def revision_return(
    *, actor: User | None, revision: OfferRevision, comment: str, base_url: str = ""
) -> OfferRevision:
    """Send the revision back to the provider with a comment; they get a mail in their language."""
    _require(actor, "editorial.review")
    if not comment.strip():
        raise ValidationError({"comment": ERROR_RETURN_COMMENT})
    _move(revision, RevisionState.RETURNED)
    revision.comment = comment.strip()
    revision.reviewed_by = actor
    revision.save(update_fields=["state", "comment", "reviewed_by", "updated_at"])
    audit_log(
        action="editorial.revision.returned",
        actor=actor,
        object_type="editorial.revision",
        object_id=revision.uuid,
        fields=["comment"],
        organisation=revision.offer.organisation,
    )
    pk = revision.pk
    transaction.on_commit(lambda: _send_returned_mail(pk, base_url))
    return revision


def offer_apply_snapshot(*, actor: User | None, offer: Offer, data: dict[str, Any]) -> Offer:
    """Make the offer match a snapshot, through the offers services (call inside a transaction)."""
    offer = _fresh_offer(offer)
    before = offer_snapshot(offer)
    vocab = vocabulary_for(data)
    offer = offer_services.offer_update(
        actor=actor,
        offer=offer,
        **parse_fields(data.get("fields", {})),
        life_areas=list(vocab["life_areas"]),
        target_groups=list(vocab["target_groups"]),
        languages=list(vocab["languages"]),
    )
    wanted = set(vocab["locations"].filter(organisation=offer.organisation))
    current = set(offer.locations.all())
    OfferLocation.objects.filter(offer=offer, location__in=current - wanted).delete()
    for location in wanted - current:
        OfferLocation.objects.create(offer=offer, location=location)
    if before["schedules"] != data.get("schedules", []):
        Schedule.objects.filter(offer=offer).delete()
        for entry in data.get("schedules", []):
            offer_services.schedule_add(offer=offer, **parse_schedule(entry))
    if before["contacts"] != data.get("contacts", []):
        OfferContact.objects.filter(offer=offer).delete()
        for entry in data.get("contacts", []):
            offer_services.contact_add(offer=offer, **{k: entry.get(k) or "" for k in CONTACT_KEYS})
    # Only translations that changed are saved: an untouched outdated one stays outdated.
    for language, texts in data.get("translations", {}).items():
        if before["translations"].get(language) != texts and texts.get("name"):
            offer_services.offer_translation_save(
                actor=actor,
                offer=offer,
                language=language,
                **{k: texts.get(k) or "" for k in TRANSLATION_KEYS},
            )
    audit_log(
        action="editorial.offer.applied",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["locations", "schedules", "contacts", "translations"],
        organisation=offer.organisation,
    )
    return offer


def _version_record(
    *, actor: User | None, offer: Offer, revision: OfferRevision | None, note: str = ""
) -> OfferVersion:
    number = (offer.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = OfferVersion(
        offer=offer,
        number=number,
        data=offer_snapshot(_fresh_offer(offer)),
        revision=revision,
        created_by=actor,
        note=note[:300],
    )
    version.full_clean()
    version.save()
    return version


@contextlib.contextmanager
def offer_proposal_applied(*, offer: Offer, data: dict[str, Any]) -> Iterator[Offer]:
    """Inside the block the offer looks as the proposal would make it, published; afterwards
    everything is rolled back (audit events and index updates included). For the preview."""
    with transaction.atomic():
        try:
            applied = offer_apply_snapshot(actor=None, offer=offer, data=data)
            Offer.objects.filter(pk=offer.pk).update(is_published=True)
            yield applied
        finally:
            transaction.set_rollback(True)


@transaction.atomic
def revision_publish(*, actor: User | None, revision: OfferRevision) -> OfferVersion:
    """Apply the revision to the public offer, record a version, and count it as verified."""
    _require(actor, "editorial.review")
    _move(revision, RevisionState.PUBLISHED)
    offer = offer_apply_snapshot(actor=actor, offer=revision.offer, data=revision.data)
    if not offer.is_published:
        offer_services.offer_update(actor=actor, offer=offer, is_published=True)
    revision.reviewed_by = actor
    revision.save(update_fields=["state", "reviewed_by", "updated_at"])
    offer_services.offer_verify(actor=actor, offer=offer)
    version = _version_record(actor=actor, offer=offer, revision=revision)
    audit_log(
        action="editorial.revision.published",
        actor=actor,
        object_type="editorial.revision",
        object_id=revision.uuid,
        reason=f"v{version.number}",
        organisation=offer.organisation,
    )
    return version


@transaction.atomic
def offer_save_direct(*, actor: User, offer: Offer, data: dict[str, Any]) -> OfferVersion:
    """A KI editor's own edit: saved as a revision and published at once."""
    _require(actor, "editorial.review")
    revision = revision_save(actor=actor, offer=offer, data=data)
    return revision_publish(actor=actor, revision=revision)


@transaction.atomic
def version_restore(*, actor: User | None, version: OfferVersion) -> OfferVersion:
    """Publish an earlier version again; this creates a new version, history stays complete."""
    _require(actor, "editorial.review")
    offer = version.offer
    open_revision = revision_open_for(offer)
    if open_revision is not None and open_revision.state != RevisionState.DRAFT:
        # The open proposal is set aside as a draft; the restore replaces its data.
        open_revision.state = RevisionState.DRAFT
        open_revision.save(update_fields=["state", "updated_at"])
    revision = revision_save(actor=actor, offer=offer, data=version.data)
    new_version = revision_publish(actor=actor, revision=revision)
    new_version.note = f"restore v{version.number}"
    new_version.save(update_fields=["note"])
    audit_log(
        action="editorial.version.restored",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        reason=f"v{version.number}",
        organisation=offer.organisation,
    )
    return new_version


@transaction.atomic
def offer_create_for_review(
    *, actor: User | None, organisation: Organisation, data: dict[str, Any], publish: bool = False
) -> tuple[Offer, OfferRevision]:
    """A new offer: created unpublished, its data as a revision; published now or after review."""
    fields = parse_fields(data["fields"])
    offer = offer_services.offer_create(
        actor=actor, organisation=organisation, is_published=False, **fields
    )
    revision = revision_save(actor=actor, offer=offer, data=data)
    if publish:
        revision_publish(actor=actor, revision=revision)
    else:
        revision_submit(actor=actor, revision=revision)
    audit_log(
        action="editorial.offer.created",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        organisation=organisation,
    )
    return offer, revision


# --- freshness -------------------------------------------------------------------------------


def provider_editors_of(organisation: Organisation) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Role.PROVIDER_EDITOR,
        ).distinct()
    )


def still_correct_token(offer: Offer) -> str:
    """A signed token for one offer; it expires after STILL_CORRECT_MAX_AGE_DAYS."""
    return signing.TimestampSigner(salt=STILL_CORRECT_SALT).sign(str(offer.uuid))


def still_correct_offer_uuid(token: str, *, max_age_days: int) -> str:
    """The offer UUID inside a valid token; raises signing.BadSignature (or its subclass)."""
    return signing.TimestampSigner(salt=STILL_CORRECT_SALT).unsign(
        token, max_age=datetime.timedelta(days=max_age_days)
    )


@transaction.atomic
def offer_confirm_still_correct(*, offer: Offer) -> Offer:
    """The provider clicked "still correct" in the reminder: no login, one offer only."""
    offer = offer_services.offer_verify(actor=None, offer=offer)
    audit_log(
        action="editorial.offer.confirmed_by_link",
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["last_verified_at"],
        organisation=offer.organisation,
    )
    return offer


def _send_stale_mail(user: User, offers: list[Offer], base_url: str) -> None:
    with translation.override(user.language):
        context = {
            "user": user,
            "site_name": settings.WEGWEISER_SITE_NAME,
            "offers": [
                {
                    "offer": offer,
                    "url": base_url
                    + reverse(
                        "backoffice:editorial-still-correct",
                        kwargs={"token": still_correct_token(offer)},
                    ),
                }
                for offer in offers
            ],
        }
        subject = render_subject("editorial/email/stale_subject.txt", context)
        body = render_to_string("editorial/email/stale.txt", context)
    send_mail(subject, body, None, [user.email])


def stale_offers_remind(*, months: int, base_url: str, now: datetime.datetime | None = None) -> int:
    """Mail the provider editors of every offer not verified for `months`; returns mails sent."""
    from .selectors import offer_list_stale

    stale = list(offer_list_stale(months=months, now=now))
    by_organisation: dict[int, list[Offer]] = {}
    for offer in stale:
        by_organisation.setdefault(offer.organisation_id, []).append(offer)
    sent = 0
    for offers in by_organisation.values():
        organisation = offers[0].organisation
        for user in provider_editors_of(organisation):
            _send_stale_mail(user, offers, base_url)
            sent += 1
        audit_log(
            action="editorial.offer.reminded",
            object_type="accounts.organisation",
            object_id=organisation.uuid,
            reason=",".join(str(o.uuid) for o in offers)[:200],
            organisation=organisation,
        )
    return sent


@transaction.atomic
def offers_archive_expired(*, today: datetime.date | None = None) -> list[Offer]:
    """Offers whose end date has passed leave the public directory (status inactive)."""
    today = today or timezone.localdate()
    archived = []
    for offer in Offer.objects.filter(valid_until__lt=today).exclude(status=OfferStatus.INACTIVE):
        offer_services.offer_update(actor=None, offer=offer, status=OfferStatus.INACTIVE)
        audit_log(
            action="editorial.offer.archived",
            object_type="offers.offer",
            object_id=offer.uuid,
            fields=["status"],
            organisation=offer.organisation,
        )
        archived.append(offer)
    return archived


# --- curation --------------------------------------------------------------------------------


@transaction.atomic
def offer_good_practice_set(
    *, actor: User | None, offer: Offer, is_good_practice: bool, story: str
) -> Offer:
    """Flag an offer as good practice with its story (district editors only)."""
    _require(actor, "editorial.curate")
    offer = offer_services.offer_update(
        actor=actor, offer=offer, is_good_practice=is_good_practice, good_practice_story=story
    )
    audit_log(
        action="editorial.good_practice.updated",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["is_good_practice", "good_practice_story"],
    )
    return offer


# What each kind of public submission is called in the audit log: (action, object type).
_SUBMISSION_AUDIT = {
    OfferFeedback: ("offers.feedback.handled", "offers.feedback"),
    OfferSuggestion: ("offers.suggestion.handled", "offers.suggestion"),
    BarrierReport: ("offers.barrier_report.handled", "offers.barrierreport"),
}


@transaction.atomic
def submission_set_status(
    *, actor: User | None, item: OfferFeedback | OfferSuggestion | BarrierReport, status: str
) -> None:
    """Mark a reported mistake, a suggested offer or a reported barrier as done or rejected."""
    _require(actor, "editorial.curate")
    if status not in FeedbackStatus.values:
        raise ValidationError({"status": ERROR_TRANSITION})
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    action, object_type = _SUBMISSION_AUDIT[type(item)]
    audit_log(
        action=action,
        actor=actor,
        object_type=object_type,
        object_id=item.uuid,
        fields=["status"],
        reason=status,
    )


def _vocabulary_save(model, action: str, actor, instance, data: dict[str, Any]):
    instance = instance or model()
    for key, value in data.items():
        setattr(instance, key, value)
    instance.full_clean()
    instance.save()
    audit_log(
        action=action, actor=actor, object_type=model._meta.label_lower, object_id=instance.pk
    )
    return instance


@transaction.atomic
def life_area_save(*, actor: User | None, life_area: LifeArea | None = None, **data) -> LifeArea:
    """Create or change a life area."""
    _require(actor, "editorial.curate")
    action = "editorial.life_area." + ("updated" if life_area else "created")
    return _vocabulary_save(LifeArea, action, actor, life_area, data)


@transaction.atomic
def target_group_save(
    *, actor: User | None, target_group: TargetGroup | None = None, **data
) -> TargetGroup:
    """Create or change a target group."""
    _require(actor, "editorial.curate")
    action = "editorial.target_group." + ("updated" if target_group else "created")
    return _vocabulary_save(TargetGroup, action, actor, target_group, data)


@transaction.atomic
def synonym_group_save(
    *, actor: User | None, group: SynonymGroup | None = None, members: str
) -> SynonymGroup:
    """Create or change a synonym group; the search reads the groups at query time."""
    _require(actor, "editorial.curate")
    cleaned = ", ".join(dict.fromkeys(m.strip() for m in members.split(",") if m.strip()))
    action = "editorial.synonym_group." + ("updated" if group else "created")
    return _vocabulary_save(SynonymGroup, action, actor, group, {"members": cleaned})


@transaction.atomic
def vocabulary_delete(*, actor: User | None, instance) -> None:
    """Delete a life area, target group or synonym group; vocabulary in use is kept."""
    _require(actor, "editorial.curate")
    if isinstance(instance, LifeArea | TargetGroup) and instance.offers.exists():
        raise ValidationError(ERROR_IN_USE)
    label = instance._meta.model_name
    audit_log(
        action=f"editorial.{label}.deleted",
        actor=actor,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
    )
    instance.delete()


# --- locations and contacts ------------------------------------------------------------------


@transaction.atomic
def location_save(*, actor: User | None, location=None, organisation=None, **data):
    """Create a location for a provider, or change one.

    A location's address is shared by all offers held there and is not part of an offer's
    revision: changes apply at once and are audited.
    """
    if location is None:
        location = offer_services.location_create(organisation=organisation, **data)
        action = "offers.location.created"
    else:
        for key, value in data.items():
            setattr(location, key, value)
        location.full_clean()
        location.save()
        action = "offers.location.updated"
    audit_log(
        action=action,
        actor=actor,
        object_type="offers.location",
        object_id=location.uuid,
        fields=sorted(data),
        organisation=location.organisation,
    )
    for offer in location.offers.all():
        from wegweiser.offers.search import offer_index

        offer_index(offer)
    return location


@transaction.atomic
def contact_propose(
    *, actor: User | None, contact: OfferContact, data: dict[str, Any]
) -> OfferRevision:
    """Propose a change of one published contact: it goes into the offer's open revision."""
    from .snapshots import offer_snapshot as _snapshot

    offer = _fresh_offer(contact.offer)
    revision = revision_open_for(offer)
    working = revision.data if revision else _snapshot(offer)
    old = {k: getattr(contact, k) for k in CONTACT_KEYS}
    contacts = list(working.get("contacts", []))
    new = {k: data.get(k) or "" for k in CONTACT_KEYS}
    contacts = [new if entry == old else entry for entry in contacts]
    if new not in contacts:
        contacts.append(new)
    return revision_save(actor=actor, offer=offer, data={**working, "contacts": contacts})


@transaction.atomic
def offer_confirm_in_backoffice(*, actor: User, offer: Offer) -> Offer:
    """A signed-in editor confirms that the published offer is still correct."""
    offer = offer_services.offer_verify(actor=actor, offer=offer)
    audit_log(
        action="editorial.offer.confirmed",
        actor=actor,
        object_type="offers.offer",
        object_id=offer.uuid,
        fields=["last_verified_at"],
        organisation=offer.organisation,
    )
    return offer
