from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import MAX_IMPORT_BYTES

FORMAT_CHOICES = [
    ("csv", _("CSV spreadsheet (German column headers)")),
    ("xlsx", _("Excel spreadsheet (.xlsx)")),
    ("hsds", _("HSDS 3.0 JSON")),
    ("ohana", _("Ohana CSV export (zip file)")),
]
SUFFIXES = {"csv": (".csv", ".txt"), "xlsx": (".xlsx",), "hsds": (".json",), "ohana": (".zip",)}


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES)
    file = forms.FileField(
        label=_("File"),
        help_text=_("At most %(limit)s MB. The template is described in docs/imports.md.")
        % {"limit": MAX_IMPORT_BYTES // 1024 // 1024},
    )

    def clean(self):
        cleaned = super().clean()
        upload, fmt = cleaned.get("file"), cleaned.get("format")
        if upload is None or fmt is None:
            return cleaned
        if upload.size > MAX_IMPORT_BYTES:
            self.add_error(
                "file",
                _("The file is %(size)s MB large; imports are limited to %(limit)s MB.")
                % {
                    "size": f"{upload.size / 1024 / 1024:.1f}",
                    "limit": MAX_IMPORT_BYTES // 1024 // 1024,
                },
            )
        elif not upload.name.lower().endswith(SUFFIXES[fmt]):
            self.add_error(
                "file",
                _("For this format, upload a file ending in %(suffixes)s.")
                % {"suffixes": " / ".join(SUFFIXES[fmt])},
            )
        return cleaned
