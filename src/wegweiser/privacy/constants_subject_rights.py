from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("access and export (Art. 15, 20)")
    RECTIFICATION = "rectification", _("rectification (Art. 16)")
    RESTRICTION = "restriction", _("restriction (Art. 18)")
    ERASURE = "erasure", _("erasure (Art. 17)")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    REJECTED = "rejected", _("rejected")


OPEN_REQUEST_STATES = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)


class JournalAction(models.TextChoices):
    DELETE = "delete", _("deleted")
    ANONYMISE = "anonymise", _("anonymised")


# Art. 12(3) GDPR: answer within one month of receipt.
RESPONSE_MONTHS = 1
# ... extendable once by two further months where necessary.
EXTENSION_MONTHS = 2
