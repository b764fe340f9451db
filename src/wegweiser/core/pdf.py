"""Printable PDF documents (handouts) rendered with weasyprint, and QR codes for them.

weasyprint is imported when a document is rendered, so that the project loads without it.
"""

import segno


def qr_code_svg(url: str, *, title: str) -> str:
    """An inline SVG QR code for `url` with `title` as its text alternative.

    weasyprint makes the SVG a Figure of the tagged PDF and its <title> the Figure's /Alt
    (PDF/UA-1, WCAG 1.1.1): a screen reader says what the code is instead of nothing.
    """
    return segno.make(url, error="m").svg_inline(scale=3, omitsize=False, title=title)


def pdf_from_html(*, html: str, base_url: str) -> bytes:
    """Render HTML to PDF. Nothing but data: URIs is fetched: no network, no file system."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    # PDF/UA-1: a tagged PDF (headings, lists, reading order) with the document's language and
    # title, so that screen readers can read the handouts as well as the web pages.
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant="pdf/ua-1"
    )
