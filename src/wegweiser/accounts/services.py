"""All writes of users, organisations, memberships and invitations. Each is atomic and audited."""

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.core.mail import render_subject
from wegweiser.privacy.services import audit_log

from .constants import (
    ASSIGNABLE_ROLES,
    ERROR_ALREADY_MEMBER,
    ERROR_INVITATION_INVALID,
    ERROR_LAST_ADMIN,
    ERROR_ROLE_NOT_ASSIGNABLE,
    INVITATION_VALID_DAYS,
    PERSONAL_DATA_ROLES,
    Role,
)
from .models import Invitation, Membership, Organisation, User
from .signals import organisation_deactivated

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "municipality",
    "description",
    "logo",
    "website",
    "email",
    "phone",
    "address",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "is_active",
]


def assignable_roles(actor: User | None) -> frozenset[str]:
    if actor is None:  # system calls: commands, seed data
        return frozenset(Role)
    allowed: set[str] = set()
    for role in actor.roles:
        allowed |= ASSIGNABLE_ROLES.get(role, frozenset())
    return frozenset(allowed)


def _check_role_assignable(actor: User | None, role: str) -> None:
    if role not in assignable_roles(actor):
        raise PermissionDenied(ERROR_ROLE_NOT_ASSIGNABLE % {"role": Role(role).label})


def _check_not_own_personal_data_role(actor: User | None, email: str, role: str) -> None:
    """Nobody gives themselves a role that reads newcomers' data (by role or by invitation)."""
    if actor is not None and role in PERSONAL_DATA_ROLES and email.lower() == actor.email.lower():
        raise PermissionDenied(ERROR_ROLE_NOT_ASSIGNABLE % {"role": Role(role).label})


@transaction.atomic
def organisation_create(*, actor: User | None, **data: Any) -> Organisation:
    """Create an organisation from validated form data."""
    organisation = Organisation(**{k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
    organisation.full_clean()
    organisation.save()
    audit_log(
        action="accounts.organisation.created",
        actor=actor,
        object_type="accounts.organisation",
        object_id=organisation.uuid,
        fields=data.keys(),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User | None, organisation: Organisation, **data: Any
) -> Organisation:
    """Change the given fields of an organisation; only known fields are touched.

    Deactivating an organisation takes every role in it away, so it must not take away the last
    active administrator (the same rule as for removing a role or deactivating an account).
    """
    changed = [f for f in ORGANISATION_FIELDS if f in data and getattr(organisation, f) != data[f]]
    if (
        "is_active" in changed
        and not data["is_active"]
        and _active_admin_count(exclude_organisation=organisation) == 0
    ):
        raise ValidationError(ERROR_LAST_ADMIN)
    for field in changed:
        setattr(organisation, field, data[field])
    if changed:
        organisation.full_clean()
        organisation.save(update_fields=[*changed, "updated_at"])
        audit_log(
            action="accounts.organisation.updated",
            actor=actor,
            object_type="accounts.organisation",
            object_id=organisation.uuid,
            fields=changed,
        )
    if "is_active" in changed and not organisation.is_active:
        # Its offers leave the public site in the same transaction (offers app).
        organisation_deactivated.send(sender=Organisation, actor=actor, organisation=organisation)
    return organisation


@transaction.atomic
def membership_add(
    *, actor: User | None, user: User, organisation: Organisation, role: str
) -> Membership:
    _check_role_assignable(actor, role)
    _check_not_own_personal_data_role(actor, user.email, role)
    if Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
        raise ValidationError(
            ERROR_ALREADY_MEMBER % {"email": user.email, "organisation": organisation.name}
        )
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    audit_log(
        action="accounts.membership.created",
        actor=actor,
        object_type="accounts.user",
        object_id=user.uuid,
        fields=["role", "organisation"],
        organisation=organisation,
    )
    return membership


def _active_admin_count(
    exclude_user: User | None = None,
    exclude_membership: Membership | None = None,
    exclude_organisation: Organisation | None = None,
) -> int:
    qs = Membership.objects.filter(
        role=Role.ADMIN, user__is_active=True, organisation__is_active=True
    )
    if exclude_user is not None:
        qs = qs.exclude(user=exclude_user)
    if exclude_membership is not None:
        qs = qs.exclude(pk=exclude_membership.pk)
    if exclude_organisation is not None:
        qs = qs.exclude(organisation=exclude_organisation)
    return qs.values("user").distinct().count()


@transaction.atomic
def membership_remove(*, actor: User | None, membership: Membership) -> None:
    _check_role_assignable(actor, membership.role)
    if membership.role == Role.ADMIN and _active_admin_count(exclude_membership=membership) == 0:
        raise ValidationError(ERROR_LAST_ADMIN)
    audit_log(
        action="accounts.membership.deleted",
        actor=actor,
        object_type="accounts.user",
        object_id=membership.user.uuid,
        fields=["role", "organisation"],
        organisation=membership.organisation,
    )
    membership.delete()


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, is_active: bool) -> User:
    """Deactivate or reactivate an account; the last administrator stays active."""
    if not is_active and Role.ADMIN in user.roles and _active_admin_count(exclude_user=user) == 0:
        raise ValidationError(ERROR_LAST_ADMIN)
    if user.is_active != is_active:
        user.is_active = is_active
        user.save(update_fields=["is_active"])
        audit_log(
            action="accounts.user.activated" if is_active else "accounts.user.deactivated",
            actor=actor,
            object_type="accounts.user",
            object_id=user.uuid,
            fields=["is_active"],
        )
    return user


@transaction.atomic
def user_update_profile(*, actor: User, user: User, full_name: str, language: str) -> User:
    changed = []
    if user.full_name != full_name:
        user.full_name = full_name
        changed.append("full_name")
    if user.language != language:
        user.language = language
        changed.append("language")
    if changed:
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
        audit_log(
            action="accounts.user.updated",
            actor=actor,
            object_type="accounts.user",
            object_id=user.uuid,
            fields=changed,
        )
    return user


def _sessions_end(user: User) -> int:
    """Delete every session signed in as `user`; returns how many ended.

    Sessions are stored encoded, so each live one is read; a district's staff have few.
    """
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_reset_two_factor(*, actor: User | None, user: User) -> None:
    """Remove a user's authenticator devices (lost phone); they enrol again at the next login.

    The user's sessions end too: whoever holds one (the lost phone's browser, a stolen cookie)
    must not be the one to enrol the new authenticator with the password step it already passed.
    """
    TOTPDevice.objects.filter(user=user).delete()
    _sessions_end(user)
    audit_log(
        action="accounts.user.two_factor_reset",
        actor=actor,
        object_type="accounts.user",
        object_id=user.uuid,
        fields=["totp_device", "sessions"],
    )


@transaction.atomic
def totp_device_confirm(*, user: User, device: TOTPDevice) -> TOTPDevice:
    """Mark a freshly verified authenticator as the user's device; older ones are removed."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(
        action="accounts.user.two_factor_enabled",
        actor=user,
        object_type="accounts.user",
        object_id=user.uuid,
        fields=["totp_device"],
    )
    return device


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_invitation_mail(invitation: Invitation, token: str, base_url: str) -> None:
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": base_url + reverse("accounts:invitation-accept", kwargs={"token": token}),
            "site_name": settings.WEGWEISER_SITE_NAME,
            "role": Role(invitation.role).label,
        }
        subject = render_subject("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    email: str,
    organisation: Organisation,
    role: str,
    language: str = "de",
    base_url: str = "",
) -> Invitation:
    """Invite someone by e-mail into an organisation and role; the mail goes out on commit."""
    _check_role_assignable(actor, role)
    email = email.strip().lower()
    _check_not_own_personal_data_role(actor, email, role)
    if Membership.objects.filter(
        user__email__iexact=email, organisation=organisation, role=role
    ).exists():
        raise ValidationError(
            ERROR_ALREADY_MEMBER % {"email": email, "organisation": organisation.name}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        organisation=organisation,
        role=role,
        language=language,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        action="accounts.invitation.created",
        actor=actor,
        object_type="accounts.invitation",
        object_id=invitation.uuid,
        fields=["email", "role", "organisation"],
        organisation=organisation,
    )
    transaction.on_commit(lambda: _send_invitation_mail(invitation, token, base_url))
    return invitation


def invitation_get_open(*, token: str) -> Invitation:
    """The open invitation for a token from a mail, or ValidationError."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(ERROR_INVITATION_INVALID)
    return invitation


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    full_name: str = "",
    password: str | None = None,
    authenticated_user: User | None = None,
) -> User:
    """Accept an invitation: create the account, or add the role to an existing one.

    `password` is required for new accounts. When an account with the invited address exists,
    the caller must have authenticated that account (`authenticated_user`, e.g. with its
    password): the link in a mail alone is no proof of who clicks it, and must never sign
    anybody in to an account that already holds other roles.
    """
    invitation = invitation_get_open(token=token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and (authenticated_user is None or authenticated_user.pk != user.pk):
        raise PermissionDenied
    if user is None:
        user = User.objects.create_user(
            invitation.email, password, full_name=full_name, language=invitation.language
        )
        audit_log(
            action="accounts.user.created",
            actor=user,
            object_type="accounts.user",
            object_id=user.uuid,
            fields=["email", "full_name", "password"],
        )
    Membership.objects.get_or_create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_log(
        action="accounts.invitation.accepted",
        actor=user,
        object_type="accounts.invitation",
        object_id=invitation.uuid,
        fields=["accepted_at"],
        organisation=invitation.organisation,
    )
    return user


@transaction.atomic
def invitation_revoke(*, actor: User | None, invitation: Invitation) -> Invitation:
    _check_role_assignable(actor, invitation.role)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(
            action="accounts.invitation.revoked",
            actor=actor,
            object_type="accounts.invitation",
            object_id=invitation.uuid,
            fields=["revoked_at"],
            organisation=invitation.organisation,
        )
    return invitation


def totp_device_get_or_create_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator; created on first use so the QR code stays stable."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)
    return device
