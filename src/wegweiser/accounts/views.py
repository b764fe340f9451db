"""Sign-in, two-factor login, password reset, invitations and the user's own account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from wegweiser.core.access import PermissionRequiredMixin, PublicViewMixin
from wegweiser.core.redirects import safe_next
from wegweiser.privacy.services import audit_log

from . import services
from .forms import (
    BackgroundPasswordResetForm,
    EmailAuthenticationForm,
    InvitationAcceptForm,
    InvitationSignInForm,
    ProfileForm,
    TokenForm,
)
from .selectors import two_factor_device_confirmed, user_for_invitation
from .twofactor import totp_qr_svg


def _safe_next(request, default: str = "/backoffice/") -> str:
    return safe_next(request, default)


def _second_factor_login(request, device: TOTPDevice) -> None:
    """Mark the session as verified with `device`, under a new session key.

    The session gains rights here, as at the password step: a key that anybody saw before (a
    fixated or sniffed cookie of the half-signed-in session) must not carry them.
    """
    otp_login(request, device)
    request.session.cycle_key()


class LoginView(PublicViewMixin, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Django's view names the site by the request's host; the page title names the platform.
        return {**super().get_context_data(**kwargs), "site_name": settings.WEGWEISER_SITE_NAME}


class LogoutView(PublicViewMixin, auth_views.LogoutView):
    pass


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(PermissionRequiredMixin, View):
    """Second login step: the code from the authenticator app."""

    permission = "accounts.view_own_account"
    template_name = "accounts/two_factor_verify.html"

    def get(self, request):
        if two_factor_device_confirmed(user=request.user) is None:
            return redirect("accounts:two-factor-setup")
        return render(
            request, self.template_name, {"form": TokenForm(), "next": _safe_next(request)}
        )

    def post(self, request):
        device = two_factor_device_confirmed(user=request.user)
        if device is None:
            return redirect("accounts:two-factor-setup")
        form = TokenForm(request.POST)
        if form.is_valid():
            allowed, _details = device.verify_is_allowed()
            if allowed and device.verify_token(form.cleaned_data["token"]):
                _second_factor_login(request, device)
                audit_log(
                    action="accounts.user.two_factor_verified",
                    actor=request.user,
                    object_type="accounts.user",
                    object_id=request.user.uuid,
                )
                return redirect(_safe_next(request))
            form.add_error("token", _("The code is not correct or has expired. Please try again."))
        return render(
            request, self.template_name, {"form": form, "next": _safe_next(request)}, status=400
        )


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(PermissionRequiredMixin, View):
    """Enrol an authenticator app: scan the QR code, then confirm with a first code."""

    permission = "accounts.view_own_account"
    template_name = "accounts/two_factor_setup.html"

    def _context(self, request, device: TOTPDevice, form: TokenForm) -> dict:
        return {
            "form": form,
            "qr_svg": totp_qr_svg(device),
            "secret_b32": _b32(device),
            "next": _safe_next(request),
        }

    def get(self, request):
        if (
            two_factor_device_confirmed(user=request.user) is not None
            and not request.user.is_verified()
        ):
            return redirect("accounts:two-factor-verify")
        device = services.totp_device_get_or_create_pending(user=request.user)
        return render(request, self.template_name, self._context(request, device, TokenForm()))

    def post(self, request):
        if (
            two_factor_device_confirmed(user=request.user) is not None
            and not request.user.is_verified()
        ):
            return redirect("accounts:two-factor-verify")
        device = services.totp_device_get_or_create_pending(user=request.user)
        form = TokenForm(request.POST)
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            services.totp_device_confirm(user=request.user, device=device)
            _second_factor_login(request, device)
            messages.success(request, _("Two-factor login is now active for your account."))
            return redirect(_safe_next(request))
        if form.is_valid():
            form.add_error("token", _("The code is not correct or has expired. Please try again."))
        return render(request, self.template_name, self._context(request, device, form), status=400)


def _b32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


class PasswordResetView(PublicViewMixin, auth_views.PasswordResetView):
    form_class = BackgroundPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetDoneView(PublicViewMixin, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(PublicViewMixin, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(
            action="accounts.user.password_reset",
            actor=form.user,
            object_type="accounts.user",
            object_id=form.user.uuid,
            fields=["password"],
        )
        return response


class PasswordResetCompleteView(PublicViewMixin, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(PermissionRequiredMixin, auth_views.PasswordChangeView):
    permission = "accounts.view_own_account"
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(
            action="accounts.user.password_changed",
            actor=self.request.user,
            object_type="accounts.user",
            object_id=self.request.user.uuid,
            fields=["password"],
        )
        messages.success(self.request, _("Your password was changed."))
        return response


class InvitationAcceptView(PublicViewMixin, View):
    """Accept an invitation: a new account sets its password; an existing one signs in with it.

    The link alone never signs anybody in to an account that exists already.
    """

    template_name = "accounts/invitation_accept.html"

    def _invalid(self, request, error: ValidationError):
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"error": error.messages[0]},
            status=404,
        )

    def _form(self, invitation, existing, data=None):
        if existing is not None:
            return InvitationSignInForm(data)
        return InvitationAcceptForm(data, email=invitation.email)

    def _render(self, request, form, invitation, existing, status=200):
        context = {"form": form, "invitation": invitation, "existing_account": existing is not None}
        return render(request, self.template_name, context, status=status)

    def get(self, request, token: str):
        try:
            invitation = services.invitation_get_open(token=token)
        except ValidationError as error:
            return self._invalid(request, error)
        existing = user_for_invitation(invitation=invitation)
        return self._render(request, self._form(invitation, existing), invitation, existing)

    def post(self, request, token: str):
        try:
            invitation = services.invitation_get_open(token=token)
        except ValidationError as error:
            return self._invalid(request, error)
        existing = user_for_invitation(invitation=invitation)
        form = self._form(invitation, existing, request.POST)
        if not form.is_valid():
            return self._render(request, form, invitation, existing, status=400)
        if existing is not None:
            # The same check as the login page, including its lockout after repeated failures.
            authenticated = authenticate(
                request, username=invitation.email, password=form.cleaned_data["password"]
            )
            if authenticated is None:
                form.add_error(None, EmailAuthenticationForm.error_messages["invalid_login"])
                return self._render(request, form, invitation, existing, status=400)
            user = services.invitation_accept(token=token, authenticated_user=authenticated)
        else:
            user = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("backoffice:dashboard")


class ProfileView(PermissionRequiredMixin, View):
    permission = "accounts.view_own_account"
    template_name = "accounts/profile.html"

    def _render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "memberships": request.user.active_memberships,
                "two_factor_device": two_factor_device_confirmed(user=request.user),
            },
            status=status,
        )

    def get(self, request):
        form = ProfileForm(
            initial={"full_name": request.user.full_name, "language": request.user.language}
        )
        return self._render(request, form)

    def post(self, request):
        form = ProfileForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        services.user_update_profile(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:profile")
