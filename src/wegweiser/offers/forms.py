from django import forms
from django.utils.translation import gettext_lazy as _

from wegweiser.core.selectors import municipality_list

from .models import BarrierReport, OfferFeedback, OfferSuggestion


class HoneypotMixin(forms.Form):
    """A field hidden from people (CSS and aria-hidden); bots that fill it are turned away."""

    homepage = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_homepage(self) -> str:
        if self.cleaned_data.get("homepage"):
            raise forms.ValidationError(_("Please leave this field empty."))
        return ""


class OfferFeedbackForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = OfferFeedback
        fields = ["message", "contact_email"]
        # WCAG 1.3.5: the writer's own address, so browsers and assistive tools may fill it in.
        widgets = {
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class BarrierReportForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = BarrierReport
        fields = ["location", "message", "contact_email"]
        widgets = {
            # A page address reads left to right, a description in the page's direction.
            "location": forms.TextInput(attrs={"dir": "auto"}),
            "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class OfferSuggestionForm(HoneypotMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = OfferSuggestion
        fields = [
            "name",
            "provider_name",
            "town",
            "description",
            "website",
            "contact_name",
            "contact_email",
        ]
        # WCAG 1.3.5: name and address are the sender's own; the website is the offer's, not theirs.
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = municipality_list()
