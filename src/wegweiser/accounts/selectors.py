"""Permission-scoped reads of users, organisations and invitations."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.privacy.services import audit_access_denied

from .constants import Role
from .models import Invitation, Membership, Organisation, User


def _sees_all_organisations(user: User) -> bool:
    return bool(user.roles & {Role.ADMIN, Role.KI_EDITOR})


def organisation_list_for_user(
    *, user: User, query: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    """Organisations the user may see: all for admins and KI editors, otherwise their own."""
    qs = Organisation.objects.select_related("municipality").annotate(
        member_count=Count("memberships__user", distinct=True)
    )
    if not _sees_all_organisations(user):
        qs = qs.filter(pk__in=user.organisation_ids_with_role(*Role.values))
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(municipality__name__icontains=query))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name")


def organisation_get_for_user(*, request: HttpRequest, uuid) -> Organisation:
    """One organisation in the user's scope; 404 (audited) for missing and forbidden alike."""
    organisation = organisation_list_for_user(user=request.user).filter(uuid=uuid).first()
    if organisation is None:
        audit_access_denied(
            request=request,
            permission="accounts.view_organisation",
            object_type="accounts.organisation",
            object_id=uuid,
        )
        raise Http404
    return organisation


def membership_list_for_organisation(*, organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("user__email", "role")


def invitation_list_open_for_organisation(*, organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def user_list_for_admin(*, user: User, query: str = "", role: str = "") -> QuerySet[User]:
    """All users with their memberships; only administrators call this (permission in the view)."""
    qs = User.objects.prefetch_related("memberships__organisation")
    if query:
        qs = qs.filter(Q(email__icontains=query) | Q(full_name__icontains=query))
    if role:
        qs = qs.filter(memberships__role=role).distinct()
    return qs.order_by("email")


def user_get_for_admin(*, request: HttpRequest, uuid) -> User:
    user = user_list_for_admin(user=request.user).filter(uuid=uuid).first()
    if user is None:
        audit_access_denied(
            request=request,
            permission="accounts.manage_users",
            object_type="accounts.user",
            object_id=uuid,
        )
        raise Http404
    return user


def user_for_invitation(*, invitation: Invitation) -> User | None:
    """The existing account with the invited e-mail address, or None (a new account is made)."""
    return User.objects.filter(email__iexact=invitation.email).first()


def two_factor_device_confirmed(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def invitation_get_for_user(*, request: HttpRequest, uuid) -> Invitation:
    """An invitation of an organisation in the user's scope; 404 (audited) otherwise."""
    invitation = (
        Invitation.objects.filter(
            uuid=uuid, organisation__in=organisation_list_for_user(user=request.user)
        )
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        audit_access_denied(
            request=request,
            permission="accounts.invite_users",
            object_type="accounts.invitation",
            object_id=uuid,
        )
        raise Http404
    return invitation


def membership_get_for_user_account(*, request: HttpRequest, user: User, uuid) -> Membership:
    membership = user.memberships.filter(uuid=uuid).select_related("organisation", "user").first()
    if membership is None:
        audit_access_denied(
            request=request,
            permission="accounts.manage_users",
            object_type="accounts.membership",
            object_id=uuid,
        )
        raise Http404
    return membership
