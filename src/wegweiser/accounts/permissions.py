"""Role predicates and the permissions built from them. Anything not listed here is denied."""

import rules

from .constants import Role


def _has_role(role: str):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user) -> bool:
        """True when the user holds `role` in at least one active organisation."""
        return bool(getattr(user, "is_authenticated", False)) and role in user.roles

    return predicate


is_admin = _has_role(Role.ADMIN)
is_ki_editor = _has_role(Role.KI_EDITOR)
is_provider_editor = _has_role(Role.PROVIDER_EDITOR)
is_registration_clerk = _has_role(Role.REGISTRATION_CLERK)
is_kim_coordinator = _has_role(Role.KIM_COORDINATOR)
is_case_manager = _has_role(Role.CASE_MANAGER)


@rules.predicate
def is_member(user) -> bool:
    """True when the user holds any role in an active organisation."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.roles)


@rules.predicate
def is_signed_in(user) -> bool:
    """True for any active, signed-in user, with or without a role."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


rules.add_perm("accounts.view_own_account", is_signed_in)
rules.add_perm("backoffice.access", is_member)
rules.add_perm("accounts.view_organisations", is_admin | is_ki_editor)
rules.add_perm("accounts.view_organisation", is_member)
rules.add_perm("accounts.manage_organisations", is_admin | is_ki_editor)
rules.add_perm("accounts.invite_users", is_admin | is_ki_editor)
rules.add_perm("accounts.manage_users", is_admin)
