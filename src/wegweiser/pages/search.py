"""How info pages enter the search index (see wegweiser.search)."""

from wegweiser.search.registry import Document, register_provider
from wegweiser.search.services import document_upsert_soon

from .constants import SOURCE_LANGUAGE, TranslationState
from .models import Page
from .services import plain_text

KIND = "page"


def page_document(page: Page) -> Document:
    """A page's title and text in every language it has (missing translations left out)."""
    translations = [t for t in page.translations.all() if t.state != TranslationState.MISSING]
    german = next((t for t in translations if t.language == SOURCE_LANGUAGE), None)
    title = german.title if german else (translations[0].title if translations else page.slug)
    texts = []
    for translation in translations:
        if translation is not german:
            texts.append(translation.title)
        texts += [translation.excerpt, plain_text(translation.content)]
    return Document(
        kind=KIND,
        object_id=str(page.pk),
        title=title,
        texts=[t for t in texts if t],
        source_id=page.source_id or "",
    )


def page_index(page: Page) -> None:
    document_upsert_soon(kind=KIND, object_id=str(page.pk), build=lambda: page_document(page))


def _all_pages():
    for page in Page.objects.prefetch_related("translations").iterator(chunk_size=500):
        yield page_document(page)


def register() -> None:
    register_provider(KIND, _all_pages)
