"""Helpers for the platform's e-mails."""

from typing import Any

from django.template.loader import render_to_string


def render_subject(template_name: str, context: dict[str, Any]) -> str:
    """A mail subject from its template, on one line.

    Subjects name offers and organisations, which imports may bring with line breaks; Django
    refuses a subject with a line break (header injection), which would fail the mail after the
    change was saved.
    """
    return " ".join(render_to_string(template_name, context).split())
