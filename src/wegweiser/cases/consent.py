"""The one place where cases talks to the privacy app's consent API (HELPERS contract 2)."""

from typing import Any

from django.db import models

try:
    from wegweiser.privacy.constants import Purpose
except ImportError:  # until the consent API lands: the same values as HELPERS contract 2

    class Purpose(models.TextChoices):  # type: ignore[no-redef]
        CONTACT_TRANSFER = "contact_transfer"
        CASE_MANAGEMENT = "case_management"
        REFERRAL = "referral"
        CASE_TRANSFER = "case_transfer"


CONSENT_PLACE_OFFICE = "registration_office_paper"


def notice_queryset():
    """Consent notices a registration clerk may choose from (None before the API exists)."""
    try:
        from wegweiser.privacy.models import ConsentNotice
    except ImportError:
        return None

    return ConsentNotice.objects.order_by("-version", "language")


def consent_record_for_person(
    *, actor: Any, person: Any, notice: Any, given: bool, language: str, interpreter: bool
):
    from wegweiser.privacy.services import consent_record

    return consent_record(
        actor=actor,
        subject_id=person.id,
        notice=notice,
        given=given,
        place=CONSENT_PLACE_OFFICE,
        language=language,
        interpreter=interpreter,
    )


def consent_covers(*, person: Any, organisation: Any, purpose: str) -> bool:
    """Does the person's latest consent cover `purpose` for `organisation` right now?"""
    from wegweiser.privacy.selectors import consent_for_subject

    consent = consent_for_subject(person.id)
    return bool(consent is not None and consent.covers(organisation, purpose))


def notice_find(*, version: int, language: str):
    """The notice of `version` in `language` (latest key first); None when there is none."""
    notices = notice_queryset()
    if notices is None:
        return None
    return notices.filter(version=version, language=language).first()
