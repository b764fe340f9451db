"""One error summary at the top of a form (GOV.UK pattern; WCAG 3.3.1, 3.3.3 and 2.4.3).

The summary lists every error of a form and of its formsets; an error of a field links to the
field, so a keyboard or screen reader user gets from the list to the input in one step. The
inline errors next to each field stay.
"""

from dataclasses import dataclass

from django import forms, template

register = template.Library()


@dataclass(frozen=True)
class SummaryItem:
    message: str
    # The id of the input the error belongs to; empty for errors of the whole form.
    target: str = ""
    label: str = ""
    # "Opening time 2" for an error in the second row of a formset.
    group: str = ""


def field_target_id(bound_field: forms.BoundField) -> str:
    """The id of the input an error of `bound_field` links to.

    A group of checkboxes or radio buttons (a fieldset) has no `<label for>`, so Django gives it
    no `id_for_label`: the link goes to its first box instead.
    """
    if bound_field.id_for_label:
        return bound_field.id_for_label
    for subwidget in bound_field.subwidgets:
        if subwidget.id_for_label:
            return subwidget.id_for_label
    return bound_field.auto_id or ""


def _form_items(form: forms.BaseForm, group: str = "") -> list[SummaryItem]:
    items = [SummaryItem(message=str(error), group=group) for error in form.non_field_errors()]
    for bound_field in form:
        for error in bound_field.errors:
            items.append(
                SummaryItem(
                    message=str(error),
                    # A hidden input cannot take the focus: its error is listed, not linked.
                    target="" if bound_field.is_hidden else field_target_id(bound_field),
                    label=str(bound_field.label or ""),
                    group=group,
                )
            )
    return items


def summary_items(*forms_or_formsets) -> list[SummaryItem]:
    """The errors of forms and formsets in the order they appear on the page.

    A formset names its rows with its `legend` attribute and the row number, as the fieldsets
    around the rows do.
    """
    items: list[SummaryItem] = []
    for item in forms_or_formsets:
        if item is None or not item.is_bound:
            continue
        if isinstance(item, forms.BaseFormSet):
            items.extend(SummaryItem(message=str(error)) for error in item.non_form_errors())
            legend = str(getattr(item, "legend", "") or "")
            for number, form in enumerate(item.forms, start=1):
                group = f"{legend} {number}" if legend else str(number)
                items.extend(_form_items(form, group=group))
        else:
            items.extend(_form_items(item))
    return items


@register.inclusion_tag("partials/error_summary.html")
def error_summary(*forms_or_formsets) -> dict:
    """`{% error_summary form %}` or `{% error_summary form schedules contacts %}`: nothing
    when all are valid or unbound."""
    first = next((f for f in forms_or_formsets if f is not None), None)
    prefix = getattr(first, "prefix", None)
    return {
        "items": summary_items(*forms_or_formsets),
        # Unique per page: a page can hold several forms (the case page holds five).
        "summary_id": f"error-summary-{prefix}" if prefix else "error-summary",
    }
