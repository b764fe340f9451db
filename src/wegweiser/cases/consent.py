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
