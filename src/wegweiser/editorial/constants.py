from django.db import models
from django.utils.translation import gettext_lazy as _


class RevisionState(models.TextChoices):
    """The pipeline of a proposed change: draft → submitted → published, or back as returned."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    RETURNED = "returned", _("sent back")
    PUBLISHED = "published", _("published")


# Which state may follow which; services refuse anything else.
REVISION_TRANSITIONS = {
    RevisionState.DRAFT: {RevisionState.SUBMITTED, RevisionState.PUBLISHED},
    RevisionState.SUBMITTED: {RevisionState.PUBLISHED, RevisionState.RETURNED, RevisionState.DRAFT},
    RevisionState.RETURNED: {RevisionState.DRAFT, RevisionState.SUBMITTED},
    RevisionState.PUBLISHED: set(),
}
OPEN_STATES = (RevisionState.DRAFT, RevisionState.SUBMITTED, RevisionState.RETURNED)

# The offer fields a revision carries; good-practice curation and publication flags are the
# district's and change only through their own services.
SNAPSHOT_FIELDS = (
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
)
SNAPSHOT_LISTS = ("life_areas", "target_groups", "languages", "locations")
SCHEDULE_KEYS = ("kind", "weekday", "date", "opens_at", "closes_at", "note")
CONTACT_KEYS = ("name", "role", "phone", "email")
TRANSLATION_KEYS = ("name", "summary", "description")

# Two offer names at least this similar (0..1, after folding) count as possible duplicates.
DUPLICATE_RATIO = 0.8
DEFAULT_STALE_MONTHS = 6
STILL_CORRECT_SALT = "editorial.still-correct"
STILL_CORRECT_MAX_AGE_DAYS = 30
PAGE_SIZE = 50

ERROR_TRANSITION = _("This change is not possible in the revision's current state.")
ERROR_RETURN_COMMENT = _("Please tell the provider what to change.")
ERROR_OPEN_REVISION = _("There is already an open revision for this offer.")
ERROR_LINK_INVALID = _("This link is invalid or has expired.")
ERROR_IN_USE = _("This entry is still used by offers and cannot be deleted.")
ERROR_DUPLICATE_CONFIRM = _(
    "Similar offers exist already. Please check them, or confirm that this is a new offer."
)
