from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    KI_EDITOR = "ki_editor", _("Editor of the integration centre")
    PROVIDER_EDITOR = "provider_editor", _("Provider editor")
    REGISTRATION_CLERK = "registration_clerk", _("Registration clerk")
    KIM_COORDINATOR = "kim_coordinator", _("KIM coordinator")
    CASE_MANAGER = "case_manager", _("Case manager")


# Roles that see personal data (of newcomers or of other users) must log in with a second
# factor. Provider editors mostly edit their own organisation's public offers; the pages where
# they read referred people's contact data ask them for the second factor as well
# (`middleware.PERSONAL_DATA_PREFIXES`).
TWO_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.KI_EDITOR, Role.REGISTRATION_CLERK, Role.KIM_COORDINATOR, Role.CASE_MANAGER}
)

# Roles that read newcomers' personal data (case files, intakes, consents). Nobody gives one of
# them to their own account: an administrator, who sees no case content, would otherwise need a
# single click on their own user page to read it.
PERSONAL_DATA_ROLES = frozenset({Role.CASE_MANAGER, Role.REGISTRATION_CLERK, Role.KIM_COORDINATOR})

# Which roles a user with a given role may hand out through invitations and role changes.
ASSIGNABLE_ROLES = {
    Role.ADMIN: frozenset(Role),
    Role.KI_EDITOR: frozenset({Role.KI_EDITOR, Role.PROVIDER_EDITOR}),
}


class OrganisationKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    WELFARE_ASSOCIATION = "welfare_association", _("Welfare association")
    CLUB = "club", _("Club")
    MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant organisation")
    SCHOOL = "school", _("School")
    KITA = "kita", _("Kita")
    EMPLOYER = "employer", _("Employer")
    OTHER = "other", _("Other")


INVITATION_VALID_DAYS = 7

# Error texts that tests assert.
ERROR_ROLE_NOT_ASSIGNABLE = _("You may not assign the role %(role)s.")
ERROR_INVITATION_INVALID = _("This invitation is invalid, was already used or has expired.")
ERROR_ALREADY_MEMBER = _("%(email)s already has this role in %(organisation)s.")
ERROR_LAST_ADMIN = _("The last active administrator cannot lose the role or be deactivated.")
