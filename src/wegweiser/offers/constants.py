from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    """HSDS service status."""

    ACTIVE = "active", _("active")
    INACTIVE = "inactive", _("inactive")
    TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")


class Cost(models.TextChoices):
    FREE = "free", _("free of charge")
    REDUCED = "reduced", _("reduced fee possible")
    FEE = "fee", _("fee")


class TranslationState(models.TextChoices):
    CURRENT = "current", _("current")
    OUTDATED = "outdated", _("outdated")
    MACHINE = "machine", _("machine translation")
    MISSING = "missing", _("missing")


class ScheduleKind(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    DATE = "date", _("single date")
    BY_APPOINTMENT = "appointment", _("by appointment")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Sort(models.TextChoices):
    RELEVANCE = "relevance", _("relevance")
    DISTANCE = "distance", _("distance")
    VERIFIED = "verified", _("recently verified")


# Accessibility attributes of a location that the public search can filter by.
ACCESSIBILITY_FEATURES = {
    "step_free": _("step-free access"),
    "accessible_toilet": _("accessible toilet"),
    "hearing_loop": _("hearing loop"),
}

TRANSLATABLE_FIELDS = ("name", "summary", "description")
MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "flyer": {"pdf": b"%PDF", "png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"},
    "photo": {"png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "webp": b"RIFF"},
}
ERROR_ATTACHMENT_TYPE = _("Please upload a PDF (flyers) or a JPEG, PNG or WebP image.")
ERROR_ATTACHMENT_SIZE = _("The file is larger than 10 MB.")
ERROR_PHOTO_ALT = _("Please describe the photo for people who cannot see it.")
ERROR_ORGANISATION_INACTIVE = _(
    "The organisation of this offer is deactivated. Reactivate the organisation before "
    "publishing its offers."
)
