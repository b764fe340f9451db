import logging
import threading

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from wegweiser.core.selectors import municipality_list

from .constants import Role
from .models import Organisation


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("E-mail address or password is not correct."),
        "inactive": _("This account is inactive."),
    }


logger = logging.getLogger(__name__)


def _deliver(message: EmailMultiAlternatives) -> None:
    try:
        message.send()
    except Exception:
        # Nobody waits for the answer; the log says the mail was not sent.
        logger.exception("Password-reset mail could not be sent")


class BackgroundPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the mail handed to the mail server after the answer.

    The page answers the same for every address; sending in the request would still tell
    by its duration whether an account exists (a mail server takes tens of milliseconds to
    seconds). The mail is rendered here, in the request's language, and sent by a thread
    (`WEGWEISER_MAIL_IN_BACKGROUND`; the tests send at once).
    """

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            message.attach_alternative(
                loader.render_to_string(html_email_template_name, context), "text/html"
            )
        if getattr(settings, "WEGWEISER_MAIL_IN_BACKGROUND", True):
            threading.Thread(
                target=_deliver, args=(message,), name="wegweiser-reset-mail", daemon=True
            ).start()
        else:
            _deliver(message)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "autofocus": True,
            }
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of six digits."))
        return token


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
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
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipality_list()
        self.fields["is_active"].help_text = _(
            "Deactivating takes away every role in the organisation and takes its offers off "
            "the public site. Reactivating does not publish them again: check and publish them "
            "in the editorial office."
        )


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    language = forms.ChoiceField(
        label=_("Language of the invitation mail"), choices=settings.LANGUAGES
    )

    def __init__(self, *args, organisations, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["role"].choices = [(r.value, r.label) for r in Role if r.value in roles]


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), to_field_name="uuid"
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters."),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            from .models import User

            try:
                password_validation.validate_password(
                    data["password1"], User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InvitationSignInForm(forms.Form):
    """An invitation to an address that already has an account: its owner signs in to accept."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)


class SearchFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
