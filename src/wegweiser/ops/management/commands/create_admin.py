import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.ops.services import admin_create

PASSWORD_ENV = "WEGWEISER_ADMIN_PASSWORD"  # noqa: S105  (the name of the variable, not a secret)


class Command(BaseCommand):
    help = (
        "Create an administrator in an organisation (created if missing). The password comes "
        f"from {PASSWORD_ENV} or is asked for twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="e-mail address the administrator signs in with")
        parser.add_argument(
            "--organisation",
            required=True,
            help="name of the organisation, e.g. the district's integration centre",
        )
        parser.add_argument(
            "--kind",
            default=OrganisationKind.DISTRICT,
            choices=OrganisationKind.values,
            help="kind of a newly created organisation (default: district)",
        )

    def handle(self, *args, email, organisation, kind, **options):
        password = os.environ.get(PASSWORD_ENV) or self._ask_password()
        try:
            user = admin_create(
                email=email,
                password=password,
                organisation_name=organisation,
                organisation_kind=kind,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Administrator {user.email} created in {organisation}. "
                "Two-factor login is set up at the first sign-in."
            )
        )

    def _ask_password(self) -> str:
        try:
            password = getpass.getpass("Password: ")
            repeated = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError(f"No password given (set {PASSWORD_ENV} or use a TTY).") from error
        if not password:
            raise CommandError("The password must not be empty.")
        if password != repeated:
            raise CommandError("The passwords do not match.")
        return password
