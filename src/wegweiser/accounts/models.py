"""Users log in with their e-mail address; what they may do comes from memberships in organisations."""

import uuid
from typing import Any

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .constants import TWO_FACTOR_ROLES, OrganisationKind, Role


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None):
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=10, default="de")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    # Synthetic accounts created by `seed_demo`; the demo setting that skips two-factor login
    # applies to these and to nobody else.
    is_demo = models.BooleanField(_("demo account"), default=False, editable=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    class Privacy:
        subject = "self"
        personal_fields = ["email", "full_name"]
        # Accounts deactivated and unused for two years are anonymised: the row stays so that
        # references from audit events and verified offers keep pointing at "a former user".
        retention = {
            "start": "last_login",
            "days": 2 * 365,
            "action": "anonymise",
            "where": {"is_active": False},
        }
        purpose = "staff_accounts"
        legal_basis = "Art. 6(1)(e) GDPR, § 3 DSG NRW (staff of the participating bodies)"
        recipients = "none (district administrators see accounts)"

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        return list(
            self.memberships.filter(organisation__is_active=True).select_related("organisation")
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this user holds in any active organisation."""
        if not self.is_active:
            return frozenset()
        return frozenset(m.role for m in self.active_memberships)

    def organisation_ids_with_role(self, *roles: str) -> set[int]:
        return {m.organisation_id for m in self.active_memberships if m.role in roles}

    @property
    def requires_two_factor(self) -> bool:
        return bool(self.roles & TWO_FACTOR_ROLES)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Permissions come from roles only: the `rules` registry, which denies anything it does
        not list (ADR 0001).

        Django's superuser flag and per-user model permissions grant nothing here. An account
        made with `manage.py createsuperuser` would otherwise pass every check without any
        role, and so without two-factor login, which follows roles; and some permission names
        (`accounts.view_organisation`, `privacy.view_consent`) are also Django model
        permissions, which the ModelBackend grants to superusers.
        """
        return bool(self.is_active) and rules.has_perm(perm, self, obj)


def organisation_logo_path(instance: "Organisation", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()[:5] if "." in filename else "png"
    return f"organisations/{instance.uuid}/logo-{uuid.uuid4().hex[:8]}.{suffix}"


class Organisation(models.Model):
    """A provider, town, welfare association, school ... that users work for."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("municipality"),
    )
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=organisation_logo_path, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    dpo_name = models.CharField(_("data-protection contact"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("e-mail of the data-protection contact"), blank=True)
    dpo_phone = models.CharField(
        _("phone of the data-protection contact"), max_length=50, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "municipality"], name="organisation_unique_name_per_town"
            ),
        ]

    class Privacy:
        # Name, e-mail, phone and address are the organisation's business contact data; only the
        # data-protection contact names a person.
        subject = None
        personal_fields = ["dpo_name", "dpo_email", "dpo_phone"]
        retention = {
            "start": "updated_at",
            "days": 365,
            "action": "anonymise",
            "where": {"is_active": False},
        }
        purpose = "organisation_directory"
        subject_description = "data-protection contacts of organisations"
        legal_basis = "Art. 6(1)(e) GDPR"
        recipients = "public (published with the organisation's offers)"

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    class Privacy:
        # A role of a user: no values of its own, but exported with the user's data.
        subject = "user"
        personal_fields = []
        purpose = "staff_accounts"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class Invitation(models.Model):
    """An invitation by e-mail to join an organisation in a role. Only a hash of the token is kept."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    language = models.CharField(_("language of the mail"), max_length=10, default="de")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    class Privacy:
        # The invited person has no account yet: there is no subject model to point at.
        subject = None
        personal_fields = ["email"]
        retention = {"start": "created_at", "days": 90, "action": "delete"}
        purpose = "staff_accounts"
        subject_description = "invited staff members"
        legal_basis = "Art. 6(1)(e) GDPR"

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
