"""Writes of the ops app: setting up an installation's first administrator."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.models import Organisation, User
from wegweiser.accounts.services import membership_add, organisation_create
from wegweiser.privacy.services import audit_log

ERROR_USER_EXISTS = "A user with the e-mail address %(email)s already exists."


@transaction.atomic
def admin_create(
    *,
    email: str,
    password: str,
    organisation_name: str,
    organisation_kind: str = OrganisationKind.DISTRICT,
) -> User:
    """Create an administrator account in an organisation (created when it does not exist yet).

    Run by the operator from the command line, so there is no acting user. The password must
    pass the configured password validators.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(ERROR_USER_EXISTS % {"email": email})
    validate_password(password, user=User(email=email))
    organisation = Organisation.objects.filter(
        name=organisation_name, municipality__isnull=True
    ).first()
    if organisation is None:
        organisation = organisation_create(
            actor=None, name=organisation_name, kind=organisation_kind
        )
    user = User.objects.create_user(email, password)
    audit_log(
        action="accounts.user.created",
        actor=None,
        object_type="accounts.user",
        object_id=user.uuid,
        fields=["email", "password"],
    )
    membership_add(actor=None, user=user, organisation=organisation, role=Role.ADMIN)
    return user
