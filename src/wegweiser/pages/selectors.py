"""Public reads of info pages. Only published pages below published ancestors are visible.

Listings prefetch the translations in the requested language and in German only, so the number
of queries does not grow with the number of pages.
"""

import uuid as uuid_module
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.http import Http404

from .constants import RTL_LANGUAGES, SOURCE_LANGUAGE, TranslationState
from .models import Page, PageTranslation

MAX_DEPTH = 50


@dataclass(frozen=True)
class DisplayTranslation:
    """The translation to show for a requested language, and whether it is the German fallback."""

    translation: PageTranslation
    requested_language: str

    @property
    def language(self) -> str:
        return self.translation.language

    @property
    def is_fallback(self) -> bool:
        return self.translation.language != self.requested_language

    @property
    def direction(self) -> str:
        return "rtl" if self.translation.language in RTL_LANGUAGES else "ltr"

    @property
    def is_outdated(self) -> bool:
        return self.translation.state == TranslationState.OUTDATED

    @property
    def is_machine(self) -> bool:
        return self.translation.state == TranslationState.MACHINE


def _published() -> QuerySet[Page]:
    return Page.objects.filter(is_published=True)


def page_ids_public() -> set[int]:
    """The ids of the pages the public may see: published, below published ancestors only.

    One query over every page's (id, parent, published); a district has a few hundred pages.
    Search results and suggestions are filtered by it, so that a page below an unpublished
    page (hidden from the tree and answering 404) is not listed either.
    """
    rows = {
        pk: (parent_id, published)
        for pk, parent_id, published in Page.objects.values_list("id", "parent_id", "is_published")
    }
    known: dict[int, bool] = {}

    def visible(pk: int) -> bool:
        path = []
        current: int | None = pk
        answer = True  # reached the top through published pages only
        while current is not None:
            if current in known:
                answer = known[current]
                break
            if len(path) > MAX_DEPTH:
                answer = False
                break
            path.append(current)
            parent_id, published = rows[current]
            if not published:
                answer = False
                break
            current = parent_id
        for item in path:
            known[item] = answer
        return answer

    return {pk for pk in rows if visible(pk)}


def page_is_public(page: Page) -> bool:
    """Whether the public may see this page (published, and every ancestor too)."""
    return page.is_published and all(published for _id, published in _ancestor_rows(page))


def _display_prefetch(language: str) -> Prefetch:
    return Prefetch(
        "translations",
        queryset=PageTranslation.objects.filter(language__in={language, SOURCE_LANGUAGE})
        .exclude(state=TranslationState.MISSING)
        .only("id", "page_id", "language", "title", "excerpt", "state"),
        to_attr="display_translations",
    )


def page_translation_for(*, page: Page, language: str) -> DisplayTranslation | None:
    """The page in `language` when that translation exists (not missing), else in German.

    Uses the translations prefetched by the list selectors when there are any.
    """
    candidates = getattr(page, "display_translations", None)
    if candidates is None:
        candidates = list(
            page.translations.filter(language__in={language, SOURCE_LANGUAGE}).exclude(
                state=TranslationState.MISSING
            )
        )
    by_language = {t.language: t for t in candidates}
    translation = by_language.get(language) or by_language.get(SOURCE_LANGUAGE)
    if translation is None:
        return None
    return DisplayTranslation(translation=translation, requested_language=language)


def page_translation_in(*, page: Page, language: str) -> PageTranslation | None:
    """The translation of `page` into exactly `language` (no fallback), None when missing."""
    return (
        page.translations.filter(language=language).exclude(state=TranslationState.MISSING).first()
    )


def _ancestor_rows(page: Page) -> list[tuple[int, bool]]:
    """(id, is_published) of every ancestor, top-level first, in one recursive query."""
    table = connection.ops.quote_name(Page._meta.db_table)
    # The table name comes from the model, never from input; the page id is a parameter.
    sql = f"""
        WITH RECURSIVE ancestors(id, parent_id, is_published, depth) AS (
            SELECT id, parent_id, is_published, 0 FROM {table} WHERE id = %s
            UNION ALL
            SELECT p.id, p.parent_id, p.is_published, a.depth + 1
            FROM {table} p JOIN ancestors a ON p.id = a.parent_id
            WHERE a.depth < %s
        )
        SELECT id, is_published FROM ancestors WHERE depth > 0 ORDER BY depth DESC
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [page.pk, MAX_DEPTH])
        return [(row[0], bool(row[1])) for row in cursor.fetchall()]


def page_get_public(*, uuid: uuid_module.UUID | str | None = None, path: str | None = None) -> Page:
    """A published page by public id or by its slug path ("wohnen/bruttokaltmiete"); else 404.

    A page below an unpublished page is not public either. The ancestors are kept on the page
    (`public_ancestor_ids`) for the breadcrumbs.
    """
    page = None
    if uuid is not None:
        try:
            page = _published().select_related("life_area").get(uuid=uuid)
        # A malformed id string raises ValidationError: to the visitor it is just not there.
        except (Page.DoesNotExist, ValidationError, ValueError):
            page = None
    elif path:
        page = _page_by_path(path)
    if page is None:
        raise Http404
    rows = _ancestor_rows(page)
    if not all(is_published for _id, is_published in rows):
        raise Http404
    page.public_ancestor_ids = [row_id for row_id, _published_flag in rows]
    return page


def _page_by_path(path: str) -> Page | None:
    slugs = [slug for slug in path.strip("/").split("/") if slug]
    if not slugs or len(slugs) > MAX_DEPTH or any(len(slug) > 200 for slug in slugs):
        return None
    candidates = list(
        _published().select_related("life_area").filter(slug__in=set(slugs)).order_by("id")
    )
    parent_id = None
    page = None
    for slug in slugs:
        page = next((c for c in candidates if c.slug == slug and c.parent_id == parent_id), None)
        if page is None:
            return None
        parent_id = page.pk
    return page


def page_breadcrumbs_public(*, page: Page, language: str) -> list[tuple[Page, DisplayTranslation]]:
    """The ancestors of a page (top-level first) with their display translations."""
    ids = getattr(page, "public_ancestor_ids", None)
    if ids is None:
        ids = [row_id for row_id, _flag in _ancestor_rows(page)]
    if not ids:
        return []
    pages = {
        p.pk: p
        for p in Page.objects.filter(pk__in=ids).prefetch_related(_display_prefetch(language))
    }
    crumbs = []
    for page_id in ids:
        display = page_translation_for(page=pages[page_id], language=language)
        if display is not None:
            crumbs.append((pages[page_id], display))
    return crumbs


def _with_display(pages: list[Page], language: str) -> list[Page]:
    shown = []
    for page in pages:
        page.display = page_translation_for(page=page, language=language)
        if page.display is not None:
            shown.append(page)
    return shown


def page_children_public(*, page: Page, language: str) -> list[Page]:
    """Published children of a page, each with `display` (its DisplayTranslation)."""
    children = list(
        _published()
        .filter(parent=page)
        .order_by("position", "id")
        .prefetch_related(_display_prefetch(language))
    )
    return _with_display(children, language)


def page_tree_public(*, language: str) -> list[Page]:
    """Published top-level pages, each with `display` and `public_children` (also with `display`)."""
    children = Prefetch(
        "children",
        queryset=_published()
        .order_by("position", "id")
        .prefetch_related(_display_prefetch(language)),
        to_attr="published_children",
    )
    top = list(
        _published()
        .filter(parent__isnull=True)
        .order_by("position", "id")
        .prefetch_related(_display_prefetch(language), children)
    )
    for page in top:
        page.public_children = _with_display(page.published_children, language)
    return _with_display(top, language)


def page_languages_public(*, page: Page) -> list[PageTranslation]:
    """The translations a page exists in (not missing), German first."""
    translations = list(
        page.translations.exclude(state=TranslationState.MISSING).only(
            "id", "page_id", "language", "title", "state"
        )
    )
    return sorted(translations, key=lambda t: (t.language != SOURCE_LANGUAGE, t.language))


def page_list_public_by_ids(*, ids: list[int], language: str) -> list[Page]:
    """Public pages with these ids (published, below published ancestors), in the given
    order, each with `display`."""
    public = page_ids_public()
    ids = [i for i in ids if i in public]
    pages = {
        p.pk: p
        for p in _published().filter(pk__in=ids).prefetch_related(_display_prefetch(language))
    }
    return _with_display([pages[i] for i in ids if i in pages], language)


def page_title_suggestions(*, text: str, language: str, limit: int = 8) -> list[str]:
    """Titles of public pages containing the typed text, in `language` and in German."""
    text = " ".join(text.split())[:60]
    if len(text) < 2:
        return []
    titles = (
        PageTranslation.objects.filter(
            page_id__in=page_ids_public(),
            language__in={language, SOURCE_LANGUAGE},
            title__icontains=text,
        )
        .exclude(state=TranslationState.MISSING)
        .annotate(
            mine=Case(When(language=language, then=Value(0)), default=Value(1)),
            starts=Case(When(title__istartswith=text, then=Value(0)), default=Value(1)),
        )
        .order_by("mine", "starts", "title")
        .values_list("title", flat=True)[: limit * 2]
    )
    return list(dict.fromkeys(titles))[:limit]
