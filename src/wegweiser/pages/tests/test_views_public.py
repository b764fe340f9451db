import contextlib
import re
import uuid
import zlib

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils.translation import override

from wegweiser.pages.constants import TranslationState
from wegweiser.pages.selectors import page_get_public
from wegweiser.pages.services import page_translation_save

from .factories import make_page

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (weasyprint compresses its object streams)."""
    text = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            text += zlib.decompress(match.group(1))
    return text


def _pdf_font_names(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF."""
    names = re.findall(rb"/(?:BaseFont|FontName)\s*/([^\s/>]+)", _pdf_text(pdf))
    return {name.decode().split("+")[-1] for name in names}


FALLBACK_NOTE = "This page is not yet available in your language; showing German."


def fallback_note(language: str) -> str:
    """The fallback note as the reader sees it, in the UI language."""
    from django.utils.translation import gettext, override

    with override(language):
        return gettext(FALLBACK_NOTE)


def _url(name, page, language="de"):
    with override(language):
        return reverse(name, kwargs={"uuid": page.uuid})


@pytest.fixture
def tree():
    housing = make_page(title="Wohnen", slug="wohnen", translations={"ar": "السكن"})
    rent = make_page(
        title="Wohnung suchen: Was ist die Bruttokaltmiete?",
        content="<p>Kaltmiete plus kalte Nebenkosten.</p>",
        slug="bruttokaltmiete",
        parent=housing,
        translations={"ar": "ما هو الإيجار البارد الإجمالي؟", "en": "What is the gross cold rent?"},
    )
    deposit = make_page(title="Mietvertrag und Kaution", slug="kaution", parent=housing)
    return {"housing": housing, "rent": rent, "deposit": deposit}


def test_index_lists_top_level_pages_with_children(client, tree):
    content = client.get("/de/ratgeber/").content.decode()
    assert "Wohnen" in content
    assert "Wohnung suchen: Was ist die Bruttokaltmiete?" in content
    assert _url("pages:page-detail", tree["deposit"]) in content
    arabic = client.get("/ar/ratgeber/").content.decode()
    assert "السكن" in arabic
    # German titles inside the Arabic UI carry their language and direction.
    assert 'lang="de" dir="ltr">Mietvertrag und Kaution</a>' in arabic


def test_detail_german_has_breadcrumbs_children_and_languages(client, tree):
    response = client.get(_url("pages:page-detail", tree["housing"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Wohnen</h1>" in content
    assert FALLBACK_NOTE not in content and fallback_note("ar") not in content
    assert _url("pages:page-detail", tree["rent"]) in content
    assert f'href="{_url("pages:page-detail", tree["housing"], "ar")}" hreflang="ar"' in content
    assert 'href="/de/ratgeber/"' in content

    child = client.get(_url("pages:page-detail", tree["rent"])).content.decode()
    breadcrumbs = child.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "Wohnen" in breadcrumbs and 'aria-current="page"' in breadcrumbs


def test_detail_arabic_shows_the_arabic_text_right_to_left(client, tree):
    content = client.get(_url("pages:page-detail", tree["rent"], "ar")).content.decode()
    assert '<html lang="ar" dir="rtl">' in content
    assert '<article class="page" lang="ar" dir="rtl">' in content
    assert "ما هو الإيجار البارد الإجمالي؟" in content
    assert FALLBACK_NOTE not in content and fallback_note("ar") not in content


def test_detail_falls_back_to_german_with_a_visible_note(client, tree):
    content = client.get(_url("pages:page-detail", tree["deposit"], "ar")).content.decode()
    assert fallback_note("ar") in content
    assert '<article class="page" lang="de" dir="ltr">' in content
    assert "<h1>Mietvertrag und Kaution</h1>" in content


def test_detail_shows_outdated_note(client, tree):
    page_translation_save(
        actor=None, page=tree["rent"], language="de", title="Bruttokaltmiete", content="<p>Neu</p>"
    )
    assert tree["rent"].translations.get(language="en").state == TranslationState.OUTDATED
    content = client.get(_url("pages:page-detail", tree["rent"], "en")).content.decode()
    assert "This translation may be out of date" in content
    assert "What is the gross cold rent?" in content


def test_missing_translation_counts_as_not_there(client, tree):
    page_translation_save(
        actor=None,
        page=tree["deposit"],
        language="uk",
        title="-",
        content="",
        state=TranslationState.MISSING,
    )
    content = client.get(_url("pages:page-detail", tree["deposit"], "uk")).content.decode()
    assert fallback_note("uk") in content


@pytest.mark.parametrize(
    "url",
    [
        f"/de/ratgeber/{uuid.uuid4()}/",
        "/de/ratgeber/not-a-uuid/",
        f"/ar/ratgeber/{uuid.uuid4()}/handout.pdf",
        "/de/ratgeber/" + "x" * 5000 + "/",
    ],
)
def test_unknown_pages_are_404(client, url):
    assert client.get(url).status_code == 404


def test_unpublished_page_and_its_children_are_404(client):
    draft = make_page(slug="entwurf", is_published=False)
    child = make_page(slug="unter-entwurf", parent=draft)
    assert client.get(_url("pages:page-detail", draft)).status_code == 404
    assert client.get(_url("pages:page-detail", child)).status_code == 404
    assert client.get(_url("pages:page-handout", child)).status_code == 404
    assert "unter-entwurf" not in client.get("/de/ratgeber/").content.decode()


def test_over_long_query_strings_are_ignored_or_404(client, tree):
    detail = _url("pages:page-detail", tree["rent"])
    assert client.get(detail, {"q": "x" * 10000}).status_code == 200
    handout = _url("pages:page-handout", tree["rent"])
    assert client.get(handout, {"language": "x" * 10000}).status_code == 404
    assert client.get(handout, {"language": "AR"}).status_code == 404
    assert client.get(handout, {"language": "fr"}).status_code == 404


@pytest.mark.parametrize(
    ("url_language", "query"), [("de", {}), ("ar", {}), ("de", {"language": "ar"})]
)
def test_handout_is_a_pdf(client, tree, url_language, query):
    response = client.get(_url("pages:page-handout", tree["rent"], url_language), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    expected = query.get("language", url_language)
    assert f"-{expected}.pdf" in response["Content-Disposition"]


def test_handout_renders_arabic_script_right_to_left_with_qr_code(client, tree):
    from wegweiser.pages.handouts import handout_pdf
    from wegweiser.pages.selectors import DisplayTranslation

    page = tree["rent"]
    translation = page.translations.get(language="ar")
    display = DisplayTranslation(translation, requested_language="ar")
    pdf = handout_pdf(page=page, display=display, page_url="https://example.org/ar/ratgeber/x/")
    assert pdf.startswith(b"%PDF")
    # Noto Sans Arabic is embedded for the Arabic text.
    assert "Noto-Sans-Arabic" in _pdf_font_names(pdf)


@pytest.mark.parametrize(
    ("page", "shown", "language", "alt"),
    [
        ("rent", "ar", "ar", "رمز QR: رابط إلى هذه الصفحة على الإنترنت، https://example.org/x/"),
        # The German fallback for a Ukrainian reader: the alternative is in Ukrainian.
        (
            "deposit",
            "de",
            "uk",
            "QR-код: посилання на цю сторінку в інтернеті, https://example.org/x/",
        ),
    ],
)
def test_handout_qr_code_has_a_text_alternative_in_the_reader_language(
    tree, page, shown, language, alt
):
    # WCAG 1.1.1 / PDF/UA-1: the QR code is a Figure whose /Alt says what it is and where it leads.
    import pydyf

    from wegweiser.pages.handouts import handout_pdf
    from wegweiser.pages.selectors import DisplayTranslation

    translation = tree[page].translations.get(language=shown)
    display = DisplayTranslation(translation, requested_language=language)
    text = _pdf_text(
        handout_pdf(page=tree[page], display=display, page_url="https://example.org/x/")
    )
    assert b"/S /Figure" in text
    assert b"/Alt " + pydyf.String(alt).data in text


def test_handout_template_has_direction_and_qr(tree):
    from django.template.loader import render_to_string

    from wegweiser.pages.selectors import DisplayTranslation

    translation = tree["rent"].translations.get(language="ar")
    html = render_to_string(
        "pages/handout.html",
        {
            "page": tree["rent"],
            "display": DisplayTranslation(translation, requested_language="ar"),
            "translation": translation,
            "page_url": "https://example.org/",
            "qr_svg": "<svg class='segno'></svg>",
        },
    )
    assert '<html lang="ar" dir="rtl">' in html
    assert '"Noto Sans", "Noto Sans Arabic", sans-serif' in html
    assert "<svg class='segno'></svg>" in html


def test_page_get_public_by_slug_path(tree):
    assert page_get_public(path="wohnen/bruttokaltmiete/") == tree["rent"]
    with pytest.raises(Http404):
        page_get_public(path="wohnen/gibt-es-nicht")
    with pytest.raises(Http404):
        page_get_public(path="bruttokaltmiete")


def test_navigation_links_to_the_guide(client, district):
    content = client.get("/de/").content.decode()
    assert 'href="/de/ratgeber/"' in content


def test_guide_search_finds_pages_with_typos(client, tree):
    from wegweiser.pages.models import PageTranslation

    title = PageTranslation.objects.filter(language="de").order_by("pk").first().title
    word = max(title.split(), key=len)
    response = client.get("/de/ratgeber/", {"q": word})
    assert response.status_code == 200
    assert title in response.content.decode()
    assert client.get("/de/ratgeber/", {"q": "x" * 5000}).status_code == 200


def test_guide_search_links_to_offers_for_the_same_words(client, district):
    from wegweiser.offers.tests.factories import OfferFactory

    make_page(title="Schulden und Geld", content="<p>Was tun bei Schulden?</p>")
    OfferFactory(name="Schuldnerberatung", description="Hilfe bei Schulden.")
    content = client.get("/de/ratgeber/", {"q": "Schulden"}).content.decode()
    assert "1 Seite gefunden" in content
    assert '/de/angebote/?q=Schulden">1 Angebot zu diesen Wörtern' in content
    content = client.get("/de/ratgeber/", {"q": "Fahrradwerkstatt"}).content.decode()
    assert "0 Seiten gefunden" in content and "zu diesen Wörtern" not in content
