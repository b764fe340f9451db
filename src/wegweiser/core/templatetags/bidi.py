"""Text of either direction inside a sentence of the other ("العربية: 219 Angebote")."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def bdi(value, language: str = "") -> str:
    """The value escaped and isolated in `<bdi>`, so that its direction does not reorder the
    words around it; with a language code, marked as that language (`q|bdi:"de"`)."""
    if language:
        return format_html('<bdi lang="{}">{}</bdi>', language, value)
    return format_html("<bdi>{}</bdi>", value)
