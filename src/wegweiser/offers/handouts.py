"""Printable PDF handout of an offer in any of its languages, with a QR code back to the offer."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation as i18n
from django.utils.translation import get_language_info, gettext

from wegweiser.core.pdf import pdf_from_html, qr_code_svg

from .models import Offer
from .selectors import offer_display_texts, offer_is_open

UI_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def offer_handout_pdf(*, offer: Offer, language: str, offer_url: str) -> bytes:
    """Render the handout of `offer` in `language` (German where it is not translated)."""
    texts = offer_display_texts(offer, language)
    content_language = texts["language"]
    ui_language = language if language in UI_LANGUAGES else settings.LANGUAGE_CODE
    with i18n.override(ui_language):
        html = render_to_string(
            "offers/handout.html",
            {
                "offer": offer,
                "texts": texts,
                "direction": "rtl" if get_language_info(content_language)["bidi"] else "ltr",
                "content_language": content_language,
                "is_open": offer_is_open(offer),
                "page_url": offer_url,
                "qr_svg": qr_code_svg(
                    offer_url,
                    title=gettext("QR code: link to this offer online, %(url)s")
                    % {"url": offer_url},
                ),
                "site_name": settings.WEGWEISER_SITE_NAME,
            },
        )
    return pdf_from_html(html=html, base_url=offer_url)
