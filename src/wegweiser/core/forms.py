"""The operator's legal texts, edited in the back office."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .constants import Conformance, LegalTextKind
from .models import LegalText

HTML_HELP = _(
    "Paragraphs (<p>), headings (<h2>, <h3>), lists (<ul>, <li>), links (<a href>) and bold "
    "text (<strong>). Any other HTML is removed when you save."
)


def other_languages() -> list[tuple[str, str]]:
    return [(code, name) for code, name in settings.LANGUAGES if code != "de"]


class LegalTextForm(forms.Form):
    body = forms.CharField(
        label=_("Text (German)"),
        required=False,
        max_length=50_000,
        help_text=HTML_HELP,
        widget=forms.Textarea(attrs={"rows": 12, "lang": "de", "dir": "ltr"}),
    )
    conformance = forms.ChoiceField(
        label=_("Status of compliance"),
        required=False,
        choices=[("", _("not assessed yet")), *Conformance.choices],
    )
    reviewed_on = forms.DateField(
        label=_("Last reviewed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, kind: str, text: LegalText | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in other_languages():
            direction = "rtl" if code in settings.LANGUAGES_BIDI else "ltr"
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": name},
                required=False,
                max_length=50_000,
                help_text=_("Empty: the page shows the German text."),
                widget=forms.Textarea(attrs={"rows": 6, "lang": code, "dir": direction}),
            )
        if kind != LegalTextKind.ACCESSIBILITY:
            del self.fields["conformance"], self.fields["reviewed_on"]
        if text is not None:
            self.initial.update(
                body=text.body,
                conformance=text.conformance,
                reviewed_on=text.reviewed_on,
                **{
                    f"body_{code}": text.translations.get(code, "")
                    for code, _n in other_languages()
                },
            )

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "body": data["body"],
            "translations": {code: data[f"body_{code}"] for code, _n in other_languages()},
            "conformance": data.get("conformance", ""),
            "reviewed_on": data.get("reviewed_on"),
        }
