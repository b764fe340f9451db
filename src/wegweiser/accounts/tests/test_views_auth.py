import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import TEST_PASSWORD, TOTPDeviceFactory

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _login(client: Client, email: str, password: str = TEST_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_page_is_at_accounts_login(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_login_page_title_names_the_platform_not_the_host(client, settings):
    settings.WEGWEISER_SITE_NAME = "Wegweiser Kreis Test"
    response = client.get("/accounts/login/", HTTP_HOST="testserver")
    assert response.context["site_name"] == "Wegweiser Kreis Test"
    assert "– Wegweiser Kreis Test</title>" in response.content.decode()


def test_login_wrong_password_shows_error(client, bob):
    response = _login(client, bob.email, "wrong-password")
    assert response.status_code == 200
    assert (
        "nicht korrekt" in response.content.decode() or "not correct" in response.content.decode()
    )


def test_login_provider_editor_needs_no_second_factor(client, bob):
    _login(client, bob.email)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_login_case_manager_must_enrol_authenticator(client, make_member, org_a):
    user = make_member(Role.CASE_MANAGER, org_a)
    _login(client, user.email)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor-setup"))
    setup = client.get(response.url)
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = "000000" if _code(device) != "000000" else "111111"
    assert client.post(reverse("accounts:two-factor-setup"), {"token": wrong}).status_code == 400
    # A wrong code throttles further attempts (django-otp); a person would wait a moment.
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        reverse("accounts:two-factor-setup") + "?next=/backoffice/", {"token": _code(device)}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_login_with_device_requires_valid_code(client, make_member, org_a):
    user = make_member(Role.KIM_COORDINATOR, org_a)
    device = TOTPDeviceFactory(user=user)
    _login(client, user.email)
    response = client.get(reverse("backoffice:dashboard"))
    assert response.url.startswith(reverse("accounts:two-factor-verify"))
    wrong = "123456" if _code(device) != "123456" else "654321"
    assert client.post(reverse("accounts:two-factor-verify"), {"token": wrong}).status_code == 400
    assert client.get(reverse("backoffice:dashboard")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    assert (
        client.post(reverse("accounts:two-factor-verify"), {"token": _code(device)}).status_code
        == 302
    )
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


def test_two_factor_verify_rejects_open_redirect(client, make_member, org_a):
    user = make_member(Role.ADMIN, org_a)
    device = TOTPDeviceFactory(user=user)
    _login(client, user.email)
    response = client.post(
        reverse("accounts:two-factor-verify") + "?next=https://evil.example.com/",
        {"token": _code(device)},
    )
    assert response.status_code == 302
    assert response.url == "/backoffice/"


def test_demo_skip_applies_only_to_demo_accounts(client, make_member, org_a, settings):
    settings.WEGWEISER_DEMO_SKIP_2FA = True
    demo = make_member(Role.CASE_MANAGER, org_a, is_demo=True)
    real = make_member(Role.CASE_MANAGER, org_a)
    _login(client, demo.email)
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    other = Client()
    _login(other, real.email)
    assert other.get(reverse("backoffice:dashboard")).status_code == 302


def test_demo_skip_off_by_default(client, make_member, org_a):
    demo = make_member(Role.CASE_MANAGER, org_a, is_demo=True)
    _login(client, demo.email)
    assert client.get(reverse("backoffice:dashboard")).status_code == 302


def test_login_lockout_after_five_failures(client, bob):
    for _ in range(5):
        _login(client, bob.email, "wrong-password")
    response = _login(client, bob.email)
    assert response.status_code == 429
    assert client.get(reverse("backoffice:dashboard")).status_code == 302


def test_password_reset_sends_mail_only_for_existing_accounts(client, bob):
    client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert mail.outbox == []
    response = client.post(reverse("accounts:password-reset"), {"email": bob.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_password_reset_mail_leaves_after_the_answer(client, bob, settings, monkeypatch):
    """The answer must not wait for the mail server: its duration would tell whether an
    account exists. The mail goes out from a thread, rendered in the request's language."""
    import threading

    settings.WEGWEISER_MAIL_IN_BACKGROUND = True
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda thread: started.append(thread))
    response = client.post(
        reverse("accounts:password-reset"), {"email": bob.email}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.status_code == 302
    assert mail.outbox == [] and len(started) == 1
    started[0].run()
    assert len(mail.outbox) == 1
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_profile_language_switches_backoffice_language(bob, login):
    client = login(bob)
    client.post(reverse("accounts:profile"), {"full_name": "Bob", "language": "en"})
    response = client.get(reverse("backoffice:dashboard"))
    assert '<html lang="en"' in response.content.decode()


def test_two_factor_verify_throttles_repeated_wrong_codes(client, make_member, org_a):
    user = make_member(Role.CASE_MANAGER, org_a)
    device = TOTPDeviceFactory(user=user)
    _login(client, user.email)
    wrong = "123456" if _code(device) != "123456" else "654321"
    client.post(reverse("accounts:two-factor-verify"), {"token": wrong})
    # Even the right code is refused while the throttle is active.
    assert (
        client.post(reverse("accounts:two-factor-verify"), {"token": _code(device)}).status_code
        == 400
    )


def test_two_factor_verify_rotates_the_session_key(client, make_member, org_a):
    user = make_member(Role.CASE_MANAGER, org_a)
    device = TOTPDeviceFactory(user=user)
    _login(client, user.email)
    half_signed_in = client.cookies["sessionid"].value
    response = client.post(reverse("accounts:two-factor-verify"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != half_signed_in
    assert client.get(reverse("backoffice:dashboard")).status_code == 200
    # The key of the half-signed-in session no longer opens anything.
    other = Client()
    other.cookies["sessionid"] = half_signed_in
    assert other.get(reverse("backoffice:dashboard")).status_code == 302


def test_two_factor_setup_rotates_the_session_key(client, make_member, org_a):
    user = make_member(Role.CASE_MANAGER, org_a)
    _login(client, user.email)
    client.get(reverse("accounts:two-factor-setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    half_signed_in = client.cookies["sessionid"].value
    response = client.post(reverse("accounts:two-factor-setup"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != half_signed_in
    assert client.get(reverse("backoffice:dashboard")).status_code == 200


# Session handling: a session ends on the server, and a changed password or a lost account or
# role takes effect at the next request of every other session.


def test_password_login_replaces_a_session_key_set_before_it(bob):
    """Session fixation: a key planted before the sign-in does not become the signed-in one."""
    from django.contrib.sessions.backends.db import SessionStore

    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    client = Client()
    client.cookies["sessionid"] = planted.session_key
    _login(client, bob.email)
    assert client.cookies["sessionid"].value != planted.session_key
    replay = Client()
    replay.cookies["sessionid"] = planted.session_key
    assert replay.get(reverse("backoffice:dashboard")).status_code == 302


def test_logout_ends_the_session_on_the_server(bob):
    client = Client()
    _login(client, bob.email)
    key = client.cookies["sessionid"].value
    assert client.post(reverse("accounts:logout")).status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = key
    assert replay.get(reverse("backoffice:dashboard")).status_code == 302


def test_password_change_signs_out_other_sessions_only(bob):
    here, elsewhere = Client(), Client()
    _login(here, bob.email)
    _login(elsewhere, bob.email)
    new = "a-brand-new-passphrase-2026"
    response = here.post(
        reverse("accounts:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert here.get(reverse("backoffice:dashboard")).status_code == 200
    assert elsewhere.get(reverse("backoffice:dashboard")).status_code == 302


def test_password_reset_signs_out_existing_sessions(bob):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    signed_in = Client()
    _login(signed_in, bob.email)
    # The reset token covers the last login: the link is made after the sign-in above.
    bob.refresh_from_db()
    resetter = Client()
    url = reverse(
        "accounts:password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(bob.pk)),
            "token": default_token_generator.make_token(bob),
        },
    )
    set_password_url = resetter.get(url).url
    new = "a-brand-new-passphrase-2026"
    response = resetter.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert signed_in.get(reverse("backoffice:dashboard")).status_code == 302


def test_deactivated_user_is_signed_out_at_the_next_request(bob):
    client = Client()
    _login(client, bob.email)
    assert client.get(reverse("backoffice:editorial-offer-list")).status_code == 200
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    response = client.get(reverse("backoffice:editorial-offer-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_resetting_two_factor_ends_the_users_sessions(make_member, login, org_a, alice):
    """Whoever holds the user's session (a lost phone, a stolen cookie) must sign in again with
    the password before enrolling the new authenticator; other users stay signed in."""
    from wegweiser.accounts import services

    user = make_member(Role.CASE_MANAGER, org_a)
    TOTPDeviceFactory(user=user)
    stolen = login(user)
    bystander = login(make_member(Role.CASE_MANAGER, org_a))
    assert stolen.get(reverse("backoffice:dashboard")).status_code == 200
    services.user_reset_two_factor(actor=alice, user=user)
    response = stolen.get(reverse("accounts:two-factor-setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert bystander.get(reverse("backoffice:dashboard")).status_code == 200


def test_removed_role_ends_access_at_the_next_request(bob):
    client = Client()
    _login(client, bob.email)
    assert client.get(reverse("backoffice:editorial-offer-list")).status_code == 200
    bob.memberships.all().delete()
    assert client.get(reverse("backoffice:editorial-offer-list")).status_code == 404
    assert client.get(reverse("backoffice:dashboard")).status_code == 404


# Enumeration: the answers do not tell whether an address has an account.


def _page_text(response) -> str:
    import re

    return re.sub(
        r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"|value="[^"]*@example\.org"',
        "",
        response.content.decode(),
    )


def test_login_answers_alike_for_unknown_address_wrong_password_and_inactive_account(bob):
    wrong_password = _login(Client(), bob.email, "not-the-password")
    unknown = _login(Client(), "nobody@example.org", "not-the-password")
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    inactive = _login(Client(), bob.email)
    assert wrong_password.status_code == unknown.status_code == inactive.status_code == 200
    assert _page_text(wrong_password) == _page_text(unknown) == _page_text(inactive)


def test_password_reset_answers_alike_for_known_and_unknown_addresses(bob):
    known = Client().post(reverse("accounts:password-reset"), {"email": bob.email})
    unknown = Client().post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_every_staff_url_waits_for_the_second_factor(client, make_member, org_a):
    """Between password and code, no view that needs a permission answers: the two-factor
    middleware's prefixes cover every non-public URL (a staff view mounted elsewhere fails)."""
    import re

    from wegweiser.core.access import PUBLIC, declared_permission, iter_url_patterns

    user = make_member(Role.CASE_MANAGER, org_a)
    TOTPDeviceFactory(user=user)
    _login(client, user.email)
    own_login_steps = {
        "accounts:two-factor-verify",
        "accounts:two-factor-setup",
    }
    checked = 0
    for route, name, callback in iter_url_patterns():
        if declared_permission(callback) in (PUBLIC, None) or name in own_login_steps:
            continue
        path = "/" + re.sub(
            r"<(?:(\w+):)?\w+>",
            lambda m: "1" if m.group(1) == "int" else "00000000-0000-0000-0000-000000000000",
            route,
        )
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"].startswith(reverse("accounts:two-factor-verify")), path
        checked += 1
    assert checked > 50
