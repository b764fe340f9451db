"""Printable PDF handouts of info pages (weasyprint), with a QR code back to the page.

weasyprint is imported when a handout is rendered, so that the app loads without it.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation as i18n

from .models import Page, PageTranslation
from .selectors import DisplayTranslation

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def handout_pdf(*, page: Page, display: DisplayTranslation, page_url: str) -> bytes:
    """Render the handout of `page` in the language of `display` to PDF bytes."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    translation: PageTranslation = display.translation
    qr_svg = segno.make(page_url, error="m").svg_inline(scale=3, omitsize=False)
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
                "qr_svg": qr_svg,
                "site_name": settings.WEGWEISER_SITE_NAME,
            },
        )
    # Sanitised content holds no images or styles; refuse every fetch but data: URIs anyway, so
    # that rendering never reaches out to the network or the file system.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=page_url, url_fetcher=fetcher).write_pdf()
