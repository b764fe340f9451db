"""Records of processing activities (Art. 30 GDPR), generated from the `Privacy` declarations."""

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .registry import Declaration, declarations


@dataclass(frozen=True)
class ProcessingRecord:
    purpose: str
    model: str
    name: str
    categories: list[str]
    subjects: str
    retention: str
    legal_basis: str
    recipients: str


def _retention_text(declaration: Declaration) -> str:
    rule = declaration.retention
    if not rule:
        return _("with the record it belongs to")
    if rule.get("action") == "keep":
        return _("kept: %(reason)s") % {"reason": rule.get("reason", "")}
    field = declaration.model._meta
    start = rule["start"]
    try:
        start_name = str(field.get_field(start).verbose_name)
    except Exception:  # a path through relations: show it as written
        start_name = start.replace("__", " → ")
    action = _("deleted") if rule.get("action", "delete") == "delete" else _("anonymised")
    text = _("%(action)s %(days)s days after “%(start)s”") % {
        "action": action,
        "days": rule["days"],
        "start": start_name,
    }
    if rule.get("where"):
        conditions = ", ".join(f"{k.replace('__', ' → ')} = {v}" for k, v in rule["where"].items())
        text += " " + _("(only when %(conditions)s)") % {"conditions": conditions}
    return text


def _subjects_text(declaration: Declaration) -> str:
    if declaration.subject_description:
        return declaration.subject_description
    model = declaration.subject_model
    if model is None:
        return _("persons without an account")
    return str(model._meta.verbose_name_plural)


# Purpose codes used in the declarations, with a readable name for the records.
PURPOSES = {
    "staff_accounts": _lazy("Accounts and roles of staff"),
    "organisation_directory": _lazy("Directory of organisations"),
    "offer_directory": _lazy("Directory of offers"),
    "directory_quality": _lazy("Quality of the directory (feedback, suggestions, failed searches)"),
    "accessibility_feedback": _lazy("Reports of barriers on the website (accessibility feedback)"),
    "accountability": _lazy("Audit log (accountability)"),
    "data_subject_rights": _lazy("Handling data-subject requests"),
    "legal_obligations": _lazy("Legal holds"),
    "contact_transfer": _lazy("Contact transfer from the registration office to case management"),
    "case_management": _lazy("Case management (welcome counselling)"),
    "consent_proof": _lazy("Proof of consent (Art. 7(1) GDPR)"),
    "referral": _lazy("Referral to an offer's provider"),
    "case_transfer": _lazy("Transfer of a case to another organisation"),
}


def processing_records() -> list[ProcessingRecord]:
    result = []
    for d in declarations():
        if not d.holds_personal_data and not d.subject:
            continue
        meta = d.model._meta
        categories = [str(meta.get_field(n).verbose_name) for n in [*d.personal_fields, *d.files]]
        result.append(
            ProcessingRecord(
                purpose=f"{PURPOSES.get(d.purpose, d.purpose)} ({d.purpose})" if d.purpose else "–",
                model=d.label,
                name=str(meta.verbose_name_plural),
                categories=categories or [_("references only (ids, dates)")],
                subjects=_subjects_text(d),
                retention=_retention_text(d),
                legal_basis=d.legal_basis or "–",
                recipients=d.recipients or _("none outside the controller"),
            )
        )
    return sorted(result, key=lambda r: (r.purpose, r.model))


COLUMNS = [
    ("purpose", "purpose"),
    ("model", "record"),
    ("categories", "categories of personal data"),
    ("subjects", "data subjects"),
    ("retention", "retention"),
    ("legal_basis", "legal basis"),
    ("recipients", "recipients"),
]


def _cells(record: ProcessingRecord) -> list[str]:
    return [
        record.purpose,
        f"{record.name} ({record.model})",
        ", ".join(record.categories),
        record.subjects,
        record.retention,
        record.legal_basis,
        record.recipients,
    ]


def _headers() -> list[str]:
    return [
        _("Purpose"),
        _("Record"),
        _("Categories of personal data"),
        _("Data subjects"),
        _("Retention"),
        _("Legal basis"),
        _("Recipients"),
    ]


def records_as_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_headers())
    for record in processing_records():
        writer.writerow(_cells(record))
    return out.getvalue()


def records_as_markdown() -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# " + _("Records of processing activities (Art. 30 GDPR)"),
        "",
        _("Generated from the personal-data declarations of the data models."),
    ]
    current = None
    for record in processing_records():
        if record.purpose != current:
            current = record.purpose
            lines += ["", "## " + _("Purpose: %(purpose)s") % {"purpose": current}, ""]
            lines.append("| " + " | ".join(_headers()[1:]) + " |")
            lines.append("|" + "---|" * (len(COLUMNS) - 1))
        lines.append("| " + " | ".join(esc(c) for c in _cells(record)[1:]) + " |")
    return "\n".join(lines) + "\n"
