import re

import pytest
from django.core import mail
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import Invitation, Membership, Organisation
from wegweiser.accounts.tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from wegweiser.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_organisation_detail_provider_sees_own_organisation(bob, login, org_a):
    response = login(bob).get(
        reverse("backoffice:organisation-detail", kwargs={"uuid": org_a.uuid})
    )
    assert response.status_code == 200
    assert "Organisation A" in response.content.decode()


def test_organisation_detail_stranger_gets_404_and_denial_is_audited(charlie, login, org_a):
    response = login(charlie).get(
        reverse("backoffice:organisation-detail", kwargs={"uuid": org_a.uuid})
    )
    assert response.status_code == 404
    event = AuditEvent.objects.filter(action="privacy.access.denied").latest("id")
    assert event.object_id == str(org_a.uuid)
    assert event.actor == charlie


def test_organisation_detail_unknown_and_forbidden_look_the_same(charlie, login, org_a):
    client = login(charlie)
    forbidden = client.get(reverse("backoffice:organisation-detail", kwargs={"uuid": org_a.uuid}))
    missing = client.get(
        reverse(
            "backoffice:organisation-detail",
            kwargs={"uuid": "00000000-0000-0000-0000-000000000000"},
        )
    )
    assert forbidden.status_code == missing.status_code == 404

    def strip_nonce(content: bytes) -> str:
        return re.sub(r'nonce="[^"]*"', "", content.decode())

    assert strip_nonce(forbidden.content) == strip_nonce(missing.content)


def test_organisation_create_shows_field_errors_and_creates_nothing(alice, login):
    before = Organisation.objects.count()
    response = login(alice).post(
        reverse("backoffice:organisation-create"), {"name": "", "kind": "nonsense"}
    )
    assert response.status_code == 400
    assert Organisation.objects.count() == before
    assert "field--error" in response.content.decode()


def test_organisation_create_writes_audit_event(alice, login, district):
    response = login(alice).post(
        reverse("backoffice:organisation-create"),
        {"name": "Neuer Verein", "kind": "club", "email": "verein@example.org"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Neuer Verein")
    assert AuditEvent.objects.filter(
        action="accounts.organisation.created", object_id=str(organisation.uuid)
    ).exists()


def test_organisation_update_ignores_mass_assigned_fields(alice, login, org_b):
    original_uuid = org_b.uuid
    response = login(alice).post(
        reverse("backoffice:organisation-update", kwargs={"uuid": org_b.uuid}),
        {
            "name": "Renamed",
            "kind": "club",
            "uuid": "11111111-1111-1111-1111-111111111111",
            "created_at": "2000-01-01T00:00:00Z",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org_b.refresh_from_db()
    assert org_b.name == "Renamed"
    assert org_b.uuid == original_uuid
    assert org_b.created_at.year != 2000


def test_organisation_deactivation_cannot_remove_the_last_administrator(
    alice, login, make_member, org_a, org_b
):
    """A KI editor manages organisations, but deactivating the one that holds every
    administrator would take the last admin role away (and with it user management)."""
    ki_editor = make_member(Role.KI_EDITOR, org_b)
    url = reverse("backoffice:organisation-update", kwargs={"uuid": org_a.uuid})
    data = {"name": org_a.name, "kind": org_a.kind}  # "is_active" unticked
    response = login(ki_editor).post(url, data)
    assert response.status_code == 400
    assert "letzten aktiven Administrationskonto" in response.content.decode()
    org_a.refresh_from_db()
    alice = type(alice).objects.get(pk=alice.pk)
    assert org_a.is_active and "admin" in alice.roles
    # With an administrator elsewhere the organisation can be deactivated.
    make_member(Role.ADMIN, OrganisationFactory())
    assert login(ki_editor).post(url, data).status_code == 302
    org_a.refresh_from_db()
    assert not org_a.is_active


def test_organisation_list_htmx_returns_partial(alice, login, org_b):
    response = login(alice).get(
        reverse("backoffice:organisation-list"), {"q": "Organisation B"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Organisation B" in content


@pytest.mark.parametrize("url_name", ["backoffice:organisation-list", "backoffice:user-list"])
def test_backoffice_lists_constant_queries(url_name, alice, login):
    client = login(alice)
    url = reverse(url_name)

    def add_rows(n):
        for _ in range(n):
            MembershipFactory(organisation=OrganisationFactory(), role=Role.PROVIDER_EDITOR)

    add_rows(3)
    client.get(url)  # warm up sessions, content types and OTP device
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_rows(6)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_invitation_flow_creates_account_with_role(
    login, make_member, org_a, client, django_capture_on_commit_callbacks
):
    ki_editor = make_member(Role.KI_EDITOR, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(ki_editor).post(
            reverse("backoffice:invitation-create"),
            {
                "email": "Neu@Example.org",
                "organisation": str(org_a.uuid),
                "role": Role.PROVIDER_EDITOR,
                "language": "en",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "invited" in message.body
    link = next(line for line in message.body.splitlines() if "/accounts/invitation/" in line)
    path = link[link.index("/accounts/") :]
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "full_name": "Nina Neu",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="neu@example.org")
    assert membership.role == Role.PROVIDER_EDITOR
    assert membership.organisation == org_a
    # The link works only once.
    assert client.get(path).status_code == 404


def _invitation_path(actor, email, organisation, role, capture) -> str:
    from wegweiser.accounts.services import invitation_create

    with capture(execute=True):
        invitation_create(actor=actor, email=email, organisation=organisation, role=role)
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/accounts/invitation/" in line)
    return link[link.index("/accounts/") :].strip()


@pytest.fixture
def existing_invitation(make_member, org_a, org_b, django_capture_on_commit_callbacks):
    """An account in organisation A, and the link of its invitation into organisation B."""
    existing = make_member(Role.PROVIDER_EDITOR, org_a, email="existing@example.org")
    admin = make_member(Role.ADMIN, org_b)
    path = _invitation_path(
        admin,
        existing.email,
        org_b,
        Role.PROVIDER_EDITOR,
        django_capture_on_commit_callbacks,
    )
    return existing, path


def test_invitation_to_existing_account_does_not_sign_in_without_its_password(
    existing_invitation, org_b, client
):
    """Whoever holds the link to an existing account's invitation must not become that account:
    a new password in the form is no proof, and the account keeps its own password."""
    existing, path = existing_invitation
    page = client.get(path)
    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    response = client.post(
        path,
        {
            "full_name": "Mallory",
            "password": "not-the-password-of-the-account",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 400
    assert "nicht korrekt" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    assert not Membership.objects.filter(user=existing, organisation=org_b).exists()
    existing.refresh_from_db()
    assert existing.check_password(TEST_PASSWORD)
    assert existing.full_name != "Mallory"


def test_invitation_to_existing_account_is_accepted_with_its_password(
    existing_invitation, org_b, client
):
    existing, path = existing_invitation
    response = client.post(path, {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=existing, organisation=org_b, role=Role.PROVIDER_EDITOR
    ).exists()
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    # The link works only once.
    assert client.get(path).status_code == 404


def test_invitation_to_existing_account_password_guessing_is_locked_out(
    existing_invitation, org_b, client
):
    """The invitation page checks the password like the login page, with its lockout."""
    existing, path = existing_invitation
    for attempt in range(5):
        assert client.post(path, {"password": f"guess-{attempt}"}).status_code in (400, 429)
    assert client.post(path, {"password": TEST_PASSWORD}).status_code == 429
    assert not Membership.objects.filter(user=existing, organisation=org_b).exists()


def test_invitation_accept_service_refuses_existing_account_without_authentication(
    existing_invitation, make_member, org_b
):
    from django.core.exceptions import PermissionDenied

    from wegweiser.accounts.services import invitation_accept

    _existing, path = existing_invitation
    other = make_member(Role.PROVIDER_EDITOR, org_b)
    token = path.rstrip("/").rsplit("/", 1)[-1]
    for authenticated_user in (None, other):
        with pytest.raises(PermissionDenied):
            invitation_accept(token=token, password="x", authenticated_user=authenticated_user)


def test_invitation_ki_editor_cannot_hand_out_case_roles(login, make_member, org_a):
    ki_editor = make_member(Role.KI_EDITOR, org_a)
    response = login(ki_editor).post(
        reverse("backoffice:invitation-create"),
        {
            "email": "x@example.org",
            "organisation": str(org_a.uuid),
            "role": Role.CASE_MANAGER,
            "language": "de",
        },
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_user_detail_admin_adds_and_removes_role(alice, login, org_b):
    other = UserFactory()
    client = login(alice)
    url = reverse("backoffice:user-detail", kwargs={"uuid": other.uuid})
    assert (
        client.post(
            url, {"action": "add-role", "organisation": str(org_b.uuid), "role": Role.CASE_MANAGER}
        ).status_code
        == 302
    )
    membership = Membership.objects.get(user=other)
    assert (
        client.post(url, {"action": "remove-role", "membership": str(membership.uuid)}).status_code
        == 302
    )
    assert not Membership.objects.filter(user=other).exists()


def test_admin_cannot_give_themselves_a_role_that_reads_case_content(
    alice, login, org_b, django_capture_on_commit_callbacks
):
    """Administrators see no case content; one click on their own user page (or an invitation
    to their own address) must not change that."""
    client = login(alice)
    url = reverse("backoffice:user-detail", kwargs={"uuid": alice.uuid})
    for role in (Role.CASE_MANAGER, Role.REGISTRATION_CLERK, Role.KIM_COORDINATOR):
        response = client.post(
            url, {"action": "add-role", "organisation": str(org_b.uuid), "role": role}
        )
        assert response.status_code == 400, role
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("backoffice:invitation-create"),
                {
                    "email": alice.email.upper(),
                    "organisation": str(org_b.uuid),
                    "role": role,
                    "language": "de",
                },
            )
        assert response.status_code == 400, role
    assert not Membership.objects.filter(user=alice, organisation=org_b).exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    # Other accounts get these roles from an administrator as before, and so do the
    # administrator's own roles without access to newcomers' data.
    assert (
        client.post(
            url, {"action": "add-role", "organisation": str(org_b.uuid), "role": Role.KI_EDITOR}
        ).status_code
        == 302
    )


def test_user_detail_last_admin_cannot_deactivate_themselves(alice, login):
    response = login(alice).post(
        reverse("backoffice:user-detail", kwargs={"uuid": alice.uuid}), {"action": "deactivate"}
    )
    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.is_active


def test_user_detail_unknown_action_changes_nothing(alice, login, bob):
    response = login(alice).post(
        reverse("backoffice:user-detail", kwargs={"uuid": bob.uuid}), {"action": "make-superuser"}
    )
    assert response.status_code == 400
    bob.refresh_from_db()
    assert not bob.is_superuser


def test_organisation_logo_upload_accepts_images_only(alice, login, org_b):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 10), "#00557f").save(buffer, "PNG")
    client = login(alice)
    url = reverse("backoffice:organisation-update", kwargs={"uuid": org_b.uuid})
    bad = client.post(
        url, {"name": org_b.name, "kind": "club", "logo": SimpleUploadedFile("x.png", b"<svg/>")}
    )
    assert bad.status_code == 400
    good = client.post(
        url,
        {
            "name": org_b.name,
            "kind": "club",
            "logo": SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png"),
        },
    )
    assert good.status_code == 302
    org_b.refresh_from_db()
    assert org_b.logo.name.startswith(f"organisations/{org_b.uuid}/")


def test_back_office_pages_are_never_cached(alice, login, client):
    response = login(alice).get(reverse("backoffice:dashboard"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "no-store" in client.get(reverse("accounts:login"))["Cache-Control"]
    # Public pages stay cacheable (ETag / 304).
    assert "no-store" not in client.get("/de/").get("Cache-Control", "")
