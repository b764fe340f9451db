from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    OK = "ok", _("allowed")
    DENIED = "denied", _("denied")


class Purpose(models.TextChoices):
    """Processing purposes a consent notice can name (shared with the cases app)."""

    CONTACT_TRANSFER = "contact_transfer", _("Transfer of contact data to case management")
    CASE_MANAGEMENT = "case_management", _("Case management")
    REFERRAL = "referral", _("Referral to the provider of an offer")
    CASE_TRANSFER = "case_transfer", _("Transfer of the case to another organisation")


class DataCategory(models.TextChoices):
    """Categories of personal data a notice says will be processed."""

    IDENTITY = "identity", _("Name and date of birth")
    CONTACT = "contact", _("Contact data")
    LANGUAGES = "languages", _("Languages")
    HOUSEHOLD = "household", _("Household")
    RESIDENCE = "residence", _("Arrival and place of residence")
    NEEDS = "needs", _("Needs, goals and appointments")
    DOCUMENTS = "documents", _("Documents")
    HEALTH = "health", _("Health (special category)")


class ConsentEventKind(models.TextChoices):
    GIVEN = "given", _("given")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")
    INVALIDATED = "invalidated", _("invalidated")


# A consent's state is the kind of its latest event; only GIVEN covers anything.
ConsentState = ConsentEventKind

# Which event may follow which state. A consent that has ended stays ended: a new consent is
# recorded instead, so that every consent keeps the notice it was given on.
CONSENT_TRANSITIONS: dict[str, frozenset[str]] = {
    ConsentState.GIVEN: frozenset(
        {ConsentEventKind.WITHDRAWN, ConsentEventKind.EXPIRED, ConsentEventKind.INVALIDATED}
    ),
    ConsentState.REFUSED: frozenset({ConsentEventKind.INVALIDATED}),
    ConsentState.WITHDRAWN: frozenset(),
    ConsentState.EXPIRED: frozenset(),
    ConsentState.INVALIDATED: frozenset(),
}


class ConsentPlace(models.TextChoices):
    """Where and how a consent was given or refused."""

    REGISTRATION_OFFICE_PAPER = (
        "registration_office_paper",
        _("Paper form at the registration office"),
    )
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")
    LETTER = "letter", _("By letter or e-mail")


# Evidence uploads: a scan or photo of the signed form.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = {
    # content type: (file suffix, leading bytes)
    "application/pdf": (".pdf", (b"%PDF-",)),
    "image/png": (".png", (b"\x89PNG\r\n\x1a\n",)),
    "image/jpeg": (".jpg", (b"\xff\xd8\xff",)),
}

# Consent events are kept as proof for this long after the consent ended.
CONSENT_PROOF_RETENTION_DAYS = 3 * 365

# Error texts that tests assert.
ERROR_NOTICE_IN_USE = _(
    "This notice was already used for a consent and cannot be changed. Create a new version."
)
ERROR_EVENTS_APPEND_ONLY = "Consent events are append-only: they cannot be changed or deleted."
ERROR_EVIDENCE_TYPE = _("The evidence must be a PDF, PNG or JPEG file.")
ERROR_EVIDENCE_SIZE = _("The evidence file is larger than %(size)s MB.")
ERROR_CONSENT_TRANSITION = _("A consent in state %(state)s cannot become %(kind)s.")
ERROR_NOTICE_NO_PURPOSE = _("Choose at least one purpose.")
ERROR_NOTICE_NO_RECIPIENT = _("Name at least one recipient organisation or kind of organisation.")
ERROR_NO_RECORDING_ORGANISATION = _(
    "You record consents only for an organisation in which you hold a suitable role."
)

# Roles that record and see consents (see permissions.py); used to find the actor's organisation.
CONSENT_ROLES = ("registration_clerk", "kim_coordinator", "case_manager")
