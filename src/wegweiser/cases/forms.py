"""Shape validation only; the rules live in services. Each form lists exactly the fields a user
may set: anything else in a POST (organisation, owner, status, consent state) is ignored."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.accounts.models import Organisation
from wegweiser.core.models import Language, LifeArea, Municipality

from . import consent
from .constants import (
    ERROR_DOCUMENT_SIZE,
    ERROR_NOTICE_REQUIRED,
    BarrierKind,
    CaseOutcome,
    CaseStatus,
    InstitutionKind,
    ReferralOutcome,
)


def language_choices():
    return [(code, name) for code, name in Language.objects.values_list("code", "name")]


def town_queryset():
    return Municipality.objects.filter(kind="town").order_by("name")


class IntakeForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    municipality = forms.ModelChoiceField(label=_("Town"), queryset=Municipality.objects.none())
    arrival_date = forms.DateField(
        label=_("Arrival date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    household_size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=30)
    household_members = forms.CharField(
        label=_("Household members"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    address_block = forms.BooleanField(label=_("Address block (Auskunftssperre)"), required=False)
    consent_given = forms.TypedChoiceField(
        label=_("Consent"),
        choices=[("yes", _("given")), ("no", _("refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    notice = forms.ModelChoiceField(
        label=_("Consent notice handed out"), queryset=None, required=False
    )
    consent_language = forms.ChoiceField(label=_("Language of the consent"))
    interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = town_queryset()
        choices = language_choices()
        self.fields["languages"].choices = choices
        self.fields["consent_language"].choices = settings.LANGUAGES
        self.fields["notice"].queryset = consent.notice_queryset()

    def clean(self):
        data = super().clean()
        if not data.get("notice"):
            self.add_error("notice", ERROR_NOTICE_REQUIRED)
        return data


# A list of at most importer.MAX_ROWS intakes is well below this; a larger upload is refused
# before the importer decodes and parses it.
INTAKE_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class IntakeImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > INTAKE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                ERROR_DOCUMENT_SIZE % {"max": INTAKE_IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class AssignForm(forms.Form):
    organisation = forms.UUIDField(widget=forms.HiddenInput)


class CaseStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "–"), *CaseOutcome.choices], required=False
    )


class NeedForm(forms.Form):
    life_area = forms.ModelChoiceField(label=_("Life area"), queryset=LifeArea.objects.all())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))
    target_date = forms.DateField(
        label=_("Target date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AppointmentForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    confidential = forms.BooleanField(
        label=_("Confidential (only I can read it)"), required=False, initial=True
    )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    upload = forms.FileField(label=_("File (PDF, PNG, JPEG)"))


class ReferralForm(forms.Form):
    offer = forms.UUIDField(label=_("Offer"))
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=ReferralOutcome.choices)


class TransferForm(forms.Form):
    organisation = forms.UUIDField(label=_("Organisation"))
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GapForm(forms.Form):
    life_area = forms.ModelChoiceField(label=_("Life area"), queryset=LifeArea.objects.all())
    institution_kind = forms.ChoiceField(label=_("Institution"), choices=InstitutionKind.choices)
    barrier_kind = forms.ChoiceField(label=_("Kind of barrier"), choices=BarrierKind.choices)
    municipality = forms.ModelChoiceField(label=_("Town"), queryset=Municipality.objects.none())
    observed_on = forms.DateField(
        label=_("Observed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description (no names, no personal data)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = town_queryset()


class CaseManagementSettingForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    capacity = forms.IntegerField(label=_("Capacity (open cases)"), min_value=0, max_value=10000)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Towns served"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Counselling languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Accepts new cases"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            is_active=True,
            kind__in=[OrganisationKind.WELFARE_ASSOCIATION, OrganisationKind.TOWN],
        ).order_by("name")
        self.fields["municipalities"].queryset = town_queryset()
        self.fields["languages"].choices = language_choices()
