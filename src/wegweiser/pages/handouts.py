"""Printable PDF handouts of info pages, with a QR code back to the page."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation as i18n
from django.utils.translation import gettext

from wegweiser.core.pdf import pdf_from_html, qr_code_svg

from .models import Page, PageTranslation
from .selectors import DisplayTranslation

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def handout_pdf(*, page: Page, display: DisplayTranslation, page_url: str) -> bytes:
    """Render the handout of `page` in the language of `display` to PDF bytes."""
    translation: PageTranslation = display.translation
    # The handout's own words (notes, the QR hint) are in the reader's language where the UI
    # has it: an Arabic reader of the German fallback gets the note in Arabic.
    ui_language = next(
        (
            code
            for code in (display.requested_language, translation.language)
            if code in UI_LANGUAGES
        ),
        settings.LANGUAGE_CODE,
    )
    with i18n.override(ui_language):
        html = render_to_string(
            "pages/handout.html",
            {
                "page": page,
                "display": display,
                "translation": translation,
                "page_url": page_url,
                "qr_svg": qr_code_svg(
                    page_url,
                    title=gettext("QR code: link to this page online, %(url)s") % {"url": page_url},
                ),
                "site_name": settings.WEGWEISER_SITE_NAME,
            },
        )
    return pdf_from_html(html=html, base_url=page_url)
