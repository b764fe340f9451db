"""How info pages enter the search index (see wegweiser.search)."""

from wegweiser.search.registry import Document, register_provider
from wegweiser.search.services import document_upsert_soon

from .constants import SOURCE_LANGUAGE, TranslationState
from .models import Page
from .selectors import page_ids_public, page_is_public
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
    """(Re)index a public page; a page the public may not see leaves the index (its words
    would otherwise come back as "did you mean" corrections)."""
    document_upsert_soon(
        kind=KIND,
        object_id=str(page.pk),
        build=lambda: page_document(page) if page_is_public(page) else None,
    )


def page_index_with_descendants(page: Page) -> None:
    """(Re)index a page and every page below it: publishing or moving a page shows or hides
    its whole subtree."""
    pending = [page]
    seen = set()
    while pending:
        current = pending.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        page_index(current)
        pending.extend(Page.objects.filter(parent=current).prefetch_related("translations"))


def _all_pages():
    public = page_ids_public()
    pages = Page.objects.filter(pk__in=public).prefetch_related("translations")
    for page in pages.iterator(chunk_size=500):
        yield page_document(page)


def register() -> None:
    register_provider(KIND, _all_pages)
