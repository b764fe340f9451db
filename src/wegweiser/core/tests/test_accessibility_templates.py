"""Accessibility of the shared form and error templates."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from wegweiser.cases.forms import IntakeForm
from wegweiser.offers.forms import OfferSuggestionForm


class GroupForm(forms.Form):
    name = forms.CharField(label="Name", help_text="Wie das Angebot heißt.")
    areas = forms.MultipleChoiceField(
        label="Lebensbereiche",
        choices=[("sprache", "Sprache"), ("wohnen", "Wohnen")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Mindestens einer.",
    )

    def clean_name(self):
        raise forms.ValidationError(["Zu kurz.", "Enthält ein verbotenes Wort."])


@pytest.fixture
def html():
    form = GroupForm(data={"name": "x"})
    form.is_valid()
    return render_to_string("partials/form.html", {"form": form})


def test_checkbox_group_is_a_fieldset_with_a_legend_described_by_help_and_error(html):
    # WCAG 1.3.1 and 3.3.2: a group of checkboxes is named by its legend, not by a <label for="">.
    assert 'for=""' not in html
    fieldset = re.search(r"<fieldset[^>]*>\s*<legend>Lebensbereiche", html)
    assert fieldset
    assert 'aria-describedby="id_areas_helptext id_areas_error"' in fieldset.group(0)
    assert 'id="id_areas_helptext"' in html and 'id="id_areas_error"' in html
    # The boxes carry no `required` attribute: the legend says it in words.
    assert "(required)" in html or "(Pflichtfeld)" in html


def test_several_errors_of_one_field_share_one_id_the_input_points_to(html):
    # WCAG 4.1.1: ids are unique; aria-describedby names the element holding all errors.
    assert html.count('id="id_name_error"') == 1
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert "Zu kurz." in html and "Enthält ein verbotenes Wort." in html


def test_server_error_page_marks_its_english_parts():
    # WCAG 3.1.2: the page is German; the English sentences say so.
    html = render_to_string("500.html")
    assert '<html lang="de">' in html
    assert '<span lang="en">An error occurred</span>' in html
    assert '<span lang="en">Please try again later.</span>' in html


def summary_of(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_error_summary_links_each_error_to_its_field_and_the_group_to_its_first_box():
    # WCAG 3.3.1 and 2.4.3: one list of all errors at the top, each a link to the field.
    form = GroupForm(data={"name": "x"})
    form.add_error(None, "Das Angebot gibt es schon.")
    html = render_to_string("partials/form.html", {"form": form})
    summary = summary_of(html)
    assert html.count('class="error-summary"') == 1
    assert html.index('class="error-summary"') < html.index("<label")
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert "<h2" in summary
    assert '<a href="#id_name">Name: Zu kurz.</a>' in summary
    assert '<a href="#id_name">Name: Enthält ein verbotenes Wort.</a>' in summary
    # A fieldset has no <label for>: the link goes to its first box.
    assert '<a href="#id_areas_0">Lebensbereiche: ' in summary
    assert 'id="id_areas_0"' in html
    # An error of the whole form is listed, not linked.
    assert "<li>Das Angebot gibt es schon.</li>" in summary
    # The inline errors stay.
    assert 'id="id_name_error"' in html and 'id="id_areas_error"' in html


def test_error_summary_is_absent_for_a_valid_or_unbound_form():
    assert "error-summary" not in render_to_string("partials/form.html", {"form": GroupForm()})
    valid = forms.Form(data={})
    assert valid.is_valid()
    assert "error-summary" not in render_to_string("partials/form.html", {"form": valid})


def test_the_empty_choice_of_a_select_says_what_it_means(db, district):
    # WCAG 1.3.1, 2.4.6: a screen reader spelled out Django's "---------". An optional select
    # offers "no answer", a required one asks to choose.
    with translation.override("de"):
        optional = str(OfferSuggestionForm()["town"])
        required = str(IntakeForm()["municipality"])
    assert '<option value="" selected>Keine Angabe</option>' in optional
    assert '<option value="" selected>Bitte wählen</option>' in required
    assert "---------" not in optional + required
    assert "Herten</option>" in optional  # the towns themselves are unchanged
