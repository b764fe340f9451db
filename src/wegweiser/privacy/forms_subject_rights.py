from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants_subject_rights import RequestKind


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    subject_type = forms.ChoiceField(label=_("Kind of record"))
    subject_id = forms.UUIDField(
        label=_("Id of the person's record"),
        help_text=_("The id shown on the person's page, e.g. 3f2b…"),
    )
    received_on = forms.DateField(
        label=_("Received on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, subject_types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = subject_types


class LegalHoldForm(forms.Form):
    subject_type = forms.ChoiceField(label=_("Kind of record"))
    subject_id = forms.CharField(label=_("Record id"), max_length=64)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, subject_types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_type"].choices = subject_types

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("The hold must last until today or later."))
        return until
