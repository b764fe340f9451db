import pytest

from wegweiser.accounts.constants import Role
from wegweiser.accounts.services import invitation_create
from wegweiser.accounts.tests.factories import OrganisationFactory, UserFactory
from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

EVERYONE = dict.fromkeys(ALL_ROLES, 200)
SIGNED_IN = dict.fromkeys(ALL_ROLES[1:], 200)
DISTRICT_STAFF = {Role.ADMIN: 200, Role.KI_EDITOR: 200}

MATRIX = [
    MatrixRow("accounts:login", {**dict.fromkeys(ALL_ROLES, 302), "anonymous": 200}),
    MatrixRow("accounts:logout", dict.fromkeys(ALL_ROLES, 302), method="post"),
    MatrixRow("accounts:two-factor-verify", {**SIGNED_IN, "no_role": 302}),
    MatrixRow("accounts:two-factor-setup", SIGNED_IN),
    MatrixRow("accounts:password-reset", EVERYONE),
    MatrixRow("accounts:password-reset-done", EVERYONE),
    MatrixRow(
        "accounts:password-reset-confirm",
        EVERYONE,
        kwargs=lambda o: {"uidb64": "MQ", "token": "set-password"},
    ),
    MatrixRow("accounts:password-reset-complete", EVERYONE),
    MatrixRow(
        "accounts:invitation-accept",
        dict.fromkeys(ALL_ROLES, 404),
        kwargs=lambda o: {"token": "unknown"},
    ),
    MatrixRow("accounts:profile", SIGNED_IN),
    MatrixRow("accounts:password-change", SIGNED_IN),
    MatrixRow("backoffice:organisation-list", DISTRICT_STAFF),
    MatrixRow("backoffice:organisation-create", DISTRICT_STAFF),
    MatrixRow(
        "backoffice:organisation-detail", DISTRICT_STAFF, kwargs=lambda o: {"uuid": o["org_b"].uuid}
    ),
    MatrixRow(
        "backoffice:organisation-update", DISTRICT_STAFF, kwargs=lambda o: {"uuid": o["org_b"].uuid}
    ),
    MatrixRow("backoffice:invitation-create", DISTRICT_STAFF),
    MatrixRow(
        "backoffice:invitation-revoke",
        {Role.ADMIN: 302, Role.KI_EDITOR: 302},
        method="post",
        kwargs=lambda o: {"uuid": o["invitation_b"].uuid},
    ),
    MatrixRow("backoffice:user-list", {Role.ADMIN: 200}),
    MatrixRow(
        "backoffice:user-detail", {Role.ADMIN: 200}, kwargs=lambda o: {"uuid": o["user_b"].uuid}
    ),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_accounts_permission_matrix(row, role, make_member, login, org_a):
    org_b = OrganisationFactory(name="Other organisation")
    objects = {
        "org_b": org_b,
        "user_b": UserFactory(),
        "invitation_b": invitation_create(
            actor=None, email="new@example.org", organisation=org_b, role=Role.PROVIDER_EDITOR
        ),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)


@pytest.mark.django_db
def test_superuser_flag_grants_nothing_without_a_role(client):
    """An account made with `createsuperuser` has no role: it passes no permission, sees no
    back-office page, and so cannot skip two-factor login that roles require."""
    from django.urls import reverse

    from wegweiser.accounts.tests.factories import TEST_PASSWORD

    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert not superuser.has_perm("backoffice.access")
    assert not superuser.has_perm("accounts.view_organisation")
    assert not superuser.has_perm("privacy.view_consent")
    client.post(reverse("accounts:login"), {"username": superuser.email, "password": TEST_PASSWORD})
    for name in ("dashboard", "user-list", "privacy-records", "case-list", "organisation-list"):
        assert client.get(reverse(f"backoffice:{name}")).status_code == 404, name
