"""Choices, status pipelines and error texts of the KIM case management."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntakeStatus(models.TextChoices):
    NEW = "new", _("new")
    ASSIGNED = "assigned", _("assigned")
    # Consent refused: the intake stays at the registration office and is never distributed.
    REFUSED = "refused", _("consent refused")


class CaseStatus(models.TextChoices):
    NEW = "new", _("new")
    FIRST_CONTACT = "first_contact", _("first contact")
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


# The status pipeline: from each status, the statuses a case may move to.
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.NEW: frozenset({CaseStatus.FIRST_CONTACT, CaseStatus.CLOSED}),
    CaseStatus.FIRST_CONTACT: frozenset({CaseStatus.ACTIVE, CaseStatus.CLOSED}),
    CaseStatus.ACTIVE: frozenset({CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset({CaseStatus.ACTIVE}),
}


class CaseOutcome(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("goals reached")
    REFERRED = "referred", _("referred to regular services")
    NO_CONTACT = "no_contact", _("no contact possible")
    DECLINED = "declined", _("counselling declined")
    MOVED_AWAY = "moved_away", _("moved away")
    TRANSFERRED = "transferred", _("transferred to another organisation")
    OTHER = "other", _("other")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    SENT = "sent", _("sent to the provider")
    CONTACTED = "contacted", _("provider confirmed contact")
    CLOSED = "closed", _("outcome recorded")
    BLOCKED = "blocked", _("blocked (consent withdrawn)")


REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.PROPOSED: frozenset({ReferralStatus.SENT, ReferralStatus.BLOCKED}),
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.CONTACTED, ReferralStatus.CLOSED, ReferralStatus.BLOCKED}
    ),
    ReferralStatus.CONTACTED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
    ReferralStatus.BLOCKED: frozenset(),
}


class ReferralOutcome(models.TextChoices):
    TAKEN_UP = "taken_up", _("offer taken up")
    WAITING_LIST = "waiting_list", _("on the waiting list")
    NOT_TAKEN_UP = "not_taken_up", _("not taken up")
    NOT_SUITABLE = "not_suitable", _("offer not suitable")


class TransferStatus(models.TextChoices):
    COMPLETED = "completed", _("completed")
    BLOCKED = "blocked", _("blocked (consent withdrawn)")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class InstitutionKind(models.TextChoices):
    AUTHORITY = "authority", _("public authority")
    JOBCENTER = "jobcenter", _("job centre / employment agency")
    SCHOOL = "school", _("school")
    KITA = "kita", _("Kita")
    HEALTH = "health", _("health care")
    HOUSING = "housing", _("housing market / landlord")
    COUNSELLING = "counselling", _("counselling service")
    LANGUAGE_COURSE = "language_course", _("language course provider")
    OTHER = "other", _("other")


class BarrierKind(models.TextChoices):
    WAITING_TIME = "waiting_time", _("waiting time")
    NO_CAPACITY = "no_capacity", _("no places / capacity")
    LANGUAGE = "language", _("language barrier, no interpreter")
    DISTANCE = "distance", _("distance / transport")
    DOCUMENTS = "documents", _("documents or proofs missing")
    ELIGIBILITY = "eligibility", _("not eligible")
    DIGITAL = "digital", _("digital access only")
    DISCRIMINATION = "discrimination", _("discrimination")
    OTHER = "other", _("other")


# Report cells with fewer entries than this are suppressed.
GAP_MIN_CELL = 5

# Documents: what may be uploaded.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_CONTENT_TYPES = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG",),
    "image/jpeg": (b"\xff\xd8\xff",),
}

# Error texts that tests assert.
ERROR_TRANSITION = _("A case cannot move from %(old)s to %(new)s.")
ERROR_OUTCOME_REQUIRED = _("Closing a case requires an outcome.")
ERROR_NO_CONSENT = _("The consent does not cover %(purpose)s for %(organisation)s.")
ERROR_INTAKE_NOT_OPEN = _("This intake has already been distributed or was refused.")
ERROR_NOT_CASE_MANAGEMENT = _("%(organisation)s does not offer case management.")
ERROR_REFERRAL_TRANSITION = _("A referral cannot move from %(old)s to %(new)s.")
ERROR_DOCUMENT_TYPE = _("Only PDF, PNG and JPEG files may be uploaded.")
ERROR_DOCUMENT_SIZE = _("The file is larger than %(max)s MB.")
ERROR_TRANSFER_SAME = _("The case already belongs to this organisation.")
ERROR_CASE_MANAGER = _("%(user)s is not a case manager of %(organisation)s.")
ERROR_OFFER_NOT_IN_DIRECTORY = _("Choose an offer from the directory.")
ERROR_NOTICE_REQUIRED = _("Choose the consent notice that was handed out.")
