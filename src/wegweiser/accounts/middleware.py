"""Sends signed-in users who need a second factor to enrol or verify before the back office."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

# Paths that need no second factor: the public site, the login steps themselves, static files.
PROTECTED_PREFIXES = ("/backoffice/", "/accounts/profile/")

# Pages with newcomers' personal data: there, every user with a role needs the second factor,
# whatever the role. Provider editors otherwise sign in with a password alone (their offers
# are public), but their referral inbox lists the names, phone numbers and e-mail addresses
# of the people referred to them.
PERSONAL_DATA_PREFIXES = ("/backoffice/cases/",)


def _needs_second_factor(request) -> bool:
    user = request.user
    if user.requires_two_factor:
        return True
    return bool(user.roles) and request.path.startswith(PERSONAL_DATA_PREFIXES)


def two_factor_satisfied(request) -> bool:
    user = request.user
    if not user.is_authenticated or not _needs_second_factor(request):
        return True
    if user.is_verified():
        return True
    return bool(settings.WEGWEISER_DEMO_SKIP_2FA and user.is_demo)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(PROTECTED_PREFIXES) and not two_factor_satisfied(request):
            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = "accounts:two-factor-verify" if has_device else "accounts:two-factor-setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class UserLanguageMiddleware:
    """Signed-in users see the back office in their preferred language.

    Public pages take the language from the URL prefix and are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(PROTECTED_PREFIXES)
        ):
            language = (
                user.language
                if user.language in dict(settings.LANGUAGES)
                else settings.LANGUAGE_CODE
            )
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


# Pages that can show personal data to a signed-in user.
PRIVATE_PREFIXES = ("/backoffice/", "/accounts/")


class PrivatePagesNotCachedMiddleware:
    """Back-office and account pages are never stored by a browser or proxy cache.

    A case page left in the cache of a shared office computer could be reopened with the back
    button after sign-out. Responses that set their own `Cache-Control` keep it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES) and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
