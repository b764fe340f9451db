"""Shape validation of the privacy back-office forms; the services decide the rest."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.accounts.models import Organisation

from .constants import DataCategory, Purpose


class NoticeForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=80,
        help_text=_("Groups the versions and languages of one notice, e.g. kim-welcome."),
    )
    version = forms.IntegerField(
        label=_("Version"),
        min_value=1,
        required=False,
        help_text=_("Empty: the next version. The same number in another language: a translation."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Full text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=_("Exactly as the person reads it; its SHA-256 is stored with every consent."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    recipient_organisations = forms.ModelMultipleChoiceField(
        label=_("Recipient organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_kinds = forms.MultipleChoiceField(
        label=_("Recipient kinds of organisation"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every organisation of these kinds is a recipient."),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Data categories"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisations"].queryset = Organisation.objects.filter(
            is_active=True
        ).order_by("name")


class ConsentWithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How the withdrawal reached you (no health or other sensitive details)."),
    )
