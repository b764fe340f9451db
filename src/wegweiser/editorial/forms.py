"""Forms of the editorial back office: shape validation only, field by field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wegweiser.core.models import Language, LifeArea, TargetGroup
from wegweiser.offers.constants import ScheduleKind, Weekday
from wegweiser.offers.models import FeedbackStatus, Location, Offer
from wegweiser.search.models import SynonymGroup

from .constants import SNAPSHOT_FIELDS

ERROR_WEEKDAY = _("Please choose the weekday.")
ERROR_DATE = _("Please enter the date.")
ERROR_TIMES = _("The closing time must be after the opening time.")
ERROR_DATES = _("The end date must not be before the start date.")
ERROR_AGES = _("The minimum age must not be above the maximum age.")
ERROR_NO_PLACE = _("An offer is held on site, online, or both.")
ERROR_GERMAN = _("German is the source language; please choose another language.")

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class OfferForm(forms.ModelForm):
    """The German texts and facts of an offer, as a provider or KI editor proposes them."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    life_areas = forms.ModelMultipleChoiceField(
        LifeArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("life areas"),
    )
    target_groups = forms.ModelMultipleChoiceField(
        TargetGroup.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("target groups"),
    )
    languages = forms.ModelMultipleChoiceField(
        Language.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("languages the offer is held in"),
    )
    locations = forms.ModelMultipleChoiceField(
        Location.objects.none(),
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("locations"),
    )

    class Meta:
        model = Offer
        fields = list(SNAPSHOT_FIELDS)
        widgets = {
            "valid_from": DATE,
            "valid_until": DATE,
            "description": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, locations=None, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = (
            locations if locations is not None else Location.objects.none()
        )
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                organisations, to_field_name="uuid", label=_("provider")
            )
            self.order_fields(["organisation"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("valid_from")
            and data.get("valid_until")
            and data["valid_until"] < data["valid_from"]
        ):
            self.add_error("valid_until", ERROR_DATES)
        if (
            data.get("age_min") is not None
            and data.get("age_max") is not None
            and data["age_min"] > data["age_max"]
        ):
            self.add_error("age_max", ERROR_AGES)
        if not data.get("is_online") and not data.get("is_on_site"):
            self.add_error("is_on_site", ERROR_NO_PLACE)
        return data


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ScheduleKind.choices, label=_("kind"), initial=ScheduleKind.WEEKLY
    )
    weekday = forms.TypedChoiceField(
        choices=[("", "–"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("weekday"),
    )
    date = forms.DateField(required=False, widget=DATE, label=_("date"))
    opens_at = forms.TimeField(required=False, widget=TIME, label=_("opens"))
    closes_at = forms.TimeField(required=False, widget=TIME, label=_("closes"))
    note = forms.CharField(max_length=200, required=False, label=_("note"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == ScheduleKind.WEEKLY and data.get("weekday") is None:
            self.add_error("weekday", ERROR_WEEKDAY)
        if data.get("kind") == ScheduleKind.DATE and not data.get("date"):
            self.add_error("date", ERROR_DATE)
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", ERROR_TIMES)
        return data


class ContactForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("name"))
    role = forms.CharField(max_length=200, required=False, label=_("role"))
    phone = forms.CharField(max_length=50, required=False, label=_("phone"))
    email = forms.EmailField(required=False, label=_("e-mail address"))


class ScheduleBaseFormSet(forms.BaseFormSet):
    # Names the rows: in the legend of each row's fieldset and in the error summary.
    legend = _("Opening time")


class ContactBaseFormSet(forms.BaseFormSet):
    legend = _("Contact")


ScheduleFormSet = forms.formset_factory(
    ScheduleForm, formset=ScheduleBaseFormSet, extra=2, can_delete=True, max_num=30
)
ContactFormSet = forms.formset_factory(
    ContactForm, formset=ContactBaseFormSet, extra=1, can_delete=True, max_num=20
)


class TranslationForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("name"))
    summary = forms.CharField(max_length=300, required=False, label=_("short summary"))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("description")
    )

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the inputs hold text in the target language: the labels, help texts and errors
        # around them stay in the language of the interface (WCAG 3.1.2).
        if language is not None:
            for field in self.fields.values():
                field.widget.attrs.update(lang=language.code, dir=language.direction)


class TranslationLanguageForm(forms.Form):
    language = forms.ModelChoiceField(
        Language.objects.exclude(code="de"), to_field_name="code", label=_("language")
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label=_("What should the provider change?")
    )


class GoodPracticeForm(forms.Form):
    is_good_practice = forms.BooleanField(required=False, label=_("good practice"))
    story = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label=_("good-practice story")
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=FeedbackStatus.choices, label=_("status"))


class LifeAreaForm(forms.ModelForm):
    class Meta:
        model = LifeArea
        fields = ["name", "slug", "description", "icon", "position"]


class TargetGroupForm(forms.ModelForm):
    class Meta:
        model = TargetGroup
        fields = ["name", "slug", "position"]


class SynonymGroupForm(forms.ModelForm):
    class Meta:
        model = SynonymGroup
        fields = ["members"]
        widgets = {"members": forms.Textarea(attrs={"rows": 2})}

    def clean_members(self) -> str:
        members = [m.strip() for m in self.cleaned_data["members"].split(",") if m.strip()]
        if len(members) < 2:
            raise ValidationError(_("A synonym group needs at least two words."))
        return ", ".join(members)


class DuplicateConfirmForm(forms.Form):
    confirm_new = forms.BooleanField(
        required=False, label=_("I checked the similar offers: this is a new offer.")
    )


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "street",
            "postcode",
            "municipality",
            "latitude",
            "longitude",
            "step_free",
            "accessible_toilet",
            "hearing_loop",
            "accessibility_note",
        ]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"] = forms.ModelChoiceField(
                organisations, to_field_name="uuid", label=_("provider")
            )
            self.order_fields(["organisation"])
