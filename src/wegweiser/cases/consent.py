"""The one place where cases talks to the privacy app's consent API (HELPERS contract 2)."""

from typing import Any

from wegweiser.privacy.constants import ConsentPlace, Purpose

__all__ = ["Purpose", "consent_covers", "consent_record_for_person", "notice_find"]


def notice_queryset():
    """Consent notices a registration clerk may record on (newest version per key and language)."""
    from wegweiser.privacy.selectors import notice_choices_for_recording

    return notice_choices_for_recording()


def consent_record_for_person(
    *,
    actor: Any,
    person: Any,
    notice: Any,
    given: bool,
    language: str,
    interpreter: bool,
    organisation: Any = None,
):
    from wegweiser.privacy.services import consent_record

    return consent_record(
        actor=actor,
        subject_id=person.id,
        notice=notice,
        given=given,
        place=ConsentPlace.REGISTRATION_OFFICE_PAPER,
        language=language,
        interpreter=interpreter,
        organisation=organisation,
    )


def consent_covers(*, person: Any, organisation: Any, purpose: str) -> bool:
    """Does the person's latest consent cover `purpose` for `organisation` right now?"""
    from wegweiser.privacy.selectors import consent_for_subject

    consent = consent_for_subject(person.id)
    return bool(consent is not None and consent.covers(organisation, purpose))


def notice_find(*, version: int, language: str):
    """The notice of `version` in `language`; None when there is none."""
    from wegweiser.privacy.models import ConsentNotice

    return ConsentNotice.objects.filter(version=version, language=language).order_by("key").first()


def coverage_checker(*, person_ids: list[Any]):
    """A `covers(person=, organisation=, purpose=)` for many people, with two queries in all.

    Used by lists (the coordinator's distribution page) instead of one lookup per row.
    """
    from wegweiser.privacy.models import Consent

    latest: dict[Any, Any] = {}
    consents = (
        Consent.objects.filter(subject_id__in=person_ids)
        .select_related("notice")
        .prefetch_related("notice__recipient_organisations")
        .order_by("subject_id", "-created_at")
    )
    for record in consents:
        latest.setdefault(record.subject_id, record)

    def covers(*, person: Any, organisation: Any, purpose: str) -> bool:
        record = latest.get(person.id)
        return bool(record is not None and record.covers(organisation, purpose))

    return covers


def consent_for_person(*, person: Any):
    """The person's latest consent (shown on the case page), or None."""
    from wegweiser.privacy.selectors import consent_for_subject

    return consent_for_subject(person.id)
