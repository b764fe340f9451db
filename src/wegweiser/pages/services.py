"""All writes of info pages: pages, their translations and the Integreat import.

Every function is atomic and audited (`pages.page.created`, `pages.translation.updated` ...).
HTML is sanitised here, before it reaches the database, so templates may mark it safe.
"""

import hashlib
import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify

from wegweiser.core.html import sanitise_html
from wegweiser.privacy.services import audit_log

from .constants import (
    ERROR_GERMAN_FIRST,
    ERROR_PARENT_CYCLE,
    INTEGREAT,
    LANGUAGE_CODE_RE,
    SOURCE_LANGUAGE,
    TRACKED_STATES,
    TranslationOrigin,
    TranslationState,
)
from .models import Page, PageTranslation

EXCERPT_LENGTH = 300
TRANSLATION_FIELDS = ("title", "content", "excerpt", "origin", "source_id", "source_path")
PAGE_FIELDS = ("parent", "slug", "position", "life_area", "is_published")

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def plain_text(value: str) -> str:
    """The text of an HTML fragment, unescaped, with whitespace collapsed."""
    text = nh3.clean(re.sub(r"<(br|/p|/li|/h\d)\s*/?>", " ", value or "", flags=re.I), tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def source_hash(*, title: str, content: str) -> str:
    """SHA-256 of a German title and (sanitised) content; translations remember it."""
    return hashlib.sha256(f"{title.strip()}\x1f{content.strip()}".encode()).hexdigest()


def _check_actor(actor: Any) -> None:
    # System calls (commands, imports, demo data) pass no actor.
    if actor is not None and not actor.has_perm("pages.edit_pages"):
        raise PermissionDenied


def _would_cycle(page: Page, parent: Page | None) -> bool:
    while parent is not None:
        if parent.pk == page.pk:
            return True
        parent = parent.parent
    return False


@transaction.atomic
def page_create(
    *,
    actor: Any,
    slug: str,
    parent: Page | None = None,
    position: int = 0,
    life_area: Any = None,
    source_system: str = "",
    source_id: str = "",
    is_published: bool = True,
) -> Page:
    """Create a page (without text: its German translation follows with `page_translation_save`)."""
    _check_actor(actor)
    page = Page(
        slug=slug,
        parent=parent,
        position=position,
        life_area=life_area,
        source_system=source_system,
        source_id=source_id,
        is_published=is_published,
    )
    page.full_clean()
    page.save()
    audit_log(
        action="pages.page.created",
        actor=actor,
        object_type="pages.page",
        object_id=page.uuid,
        fields=["slug", "parent", "position", "life_area", "source_id", "is_published"],
    )
    return page


@transaction.atomic
def page_update(*, actor: Any, page: Page, **data: Any) -> Page:
    """Change the given fields of a page (parent, slug, position, life area, published)."""
    _check_actor(actor)
    changed = [name for name in PAGE_FIELDS if name in data and getattr(page, name) != data[name]]
    if not changed:
        return page
    if "parent" in changed and _would_cycle(page, data["parent"]):
        raise ValidationError({"parent": ERROR_PARENT_CYCLE})
    for name in changed:
        setattr(page, name, data[name])
    page.full_clean()
    page.save(update_fields=[*changed, "updated_at"])
    audit_log(
        action="pages.page.updated",
        actor=actor,
        object_type="pages.page",
        object_id=page.uuid,
        fields=changed,
    )
    if "is_published" in changed or "parent" in changed:
        from .search import page_index_with_descendants  # the search module imports these

        page_index_with_descendants(page)
    return page


def _translation_upsert(
    *,
    actor: Any,
    page: Page,
    language: str,
    title: str,
    content: str,
    excerpt: str = "",
    origin: str = TranslationOrigin.HUMAN,
    source_id: str = "",
    source_path: str = "",
    state: str | None = None,
) -> tuple[PageTranslation, str]:
    _check_actor(actor)
    content = sanitise_html(content)
    values = {
        "title": (title or "").strip(),
        "content": content,
        "excerpt": plain_text(excerpt) or Truncator(plain_text(content)).chars(EXCERPT_LENGTH),
        "origin": origin,
        "source_id": source_id,
        "source_path": source_path,
    }
    is_source = language == SOURCE_LANGUAGE
    if is_source:
        new_hash = source_hash(title=values["title"], content=content)
        new_state = TranslationState.CURRENT
    else:
        german = (
            PageTranslation.objects.filter(page=page, language=SOURCE_LANGUAGE)
            .exclude(state=TranslationState.MISSING)
            .first()
        )
        if german is None:
            raise ValidationError(ERROR_GERMAN_FIRST)
        new_hash = german.source_hash
        new_state = state or (
            TranslationState.MACHINE
            if origin == TranslationOrigin.MACHINE
            else TranslationState.CURRENT
        )

    translation = PageTranslation.objects.filter(page=page, language=language).first()
    if translation is None:
        translation = PageTranslation(
            page=page, language=language, state=new_state, source_hash=new_hash, **values
        )
        translation.full_clean()
        translation.save()
        outcome = CREATED
        changed = [*values, "state", "source_hash"]
    else:
        updates = {**values, "state": new_state, "source_hash": new_hash}
        changed = [name for name, value in values.items() if getattr(translation, name) != value]
        # An unchanged text keeps its state: an outdated translation stays outdated until its
        # text is revised (or an explicit state is given).
        if changed or (state and state != translation.state):
            changed += [
                name
                for name in ("state", "source_hash")
                if getattr(translation, name) != updates[name]
            ]
        if not changed:
            return translation, UNCHANGED
        for name in changed:
            setattr(translation, name, updates[name])
        translation.full_clean()
        translation.save(update_fields=[*changed, "updated_at"])
        outcome = UPDATED
    audit_log(
        action=f"pages.translation.{outcome}",
        actor=actor,
        object_type="pages.page",
        object_id=page.uuid,
        fields=changed,
        reason=language,
    )
    if is_source:
        _mark_translations_outdated(actor=actor, page=page, german_hash=new_hash)
    from .search import page_index  # the search module imports these services

    page_index(page)
    return translation, outcome


def _mark_translations_outdated(*, actor: Any, page: Page, german_hash: str) -> int:
    """Translations made from another German text than the current one become outdated."""
    count = (
        PageTranslation.objects.filter(page=page, state__in=TRACKED_STATES)
        .exclude(language=SOURCE_LANGUAGE)
        .exclude(source_hash=german_hash)
        .update(state=TranslationState.OUTDATED)
    )
    if count:
        audit_log(
            action="pages.translation.outdated",
            actor=actor,
            object_type="pages.page",
            object_id=page.uuid,
            fields=["state"],
        )
    return count


@transaction.atomic
def page_translation_save(
    *,
    actor: Any,
    page: Page,
    language: str,
    title: str,
    content: str,
    excerpt: str = "",
    origin: str = TranslationOrigin.HUMAN,
    source_id: str = "",
    source_path: str = "",
    state: str | None = None,
) -> PageTranslation:
    """Create or change the translation of `page` into `language`.

    The content is sanitised and the excerpt derived from it when none is given. A German text
    stores its own hash; a translation stores the hash of the German text it was made from. When
    the German text changes, every translation made from another German text becomes outdated.
    """
    translation, _outcome = _translation_upsert(
        actor=actor,
        page=page,
        language=language,
        title=title,
        content=content,
        excerpt=excerpt,
        origin=origin,
        source_id=source_id,
        source_path=source_path,
        state=state,
    )
    return translation


# ---------------------------------------------------------------------------------------------
# Integreat import


@dataclass(frozen=True)
class ImportRejection:
    file: str
    source_id: str
    language: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: page {self.source_id or '?'} ({self.language or '?'}): {self.reason}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[ImportRejection] = field(default_factory=list)
    committed: bool = False

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{len(self.rejected)} rejected"
        )

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass
class _Record:
    file: str
    data: dict[str, Any]
    source_id: str = ""
    language: str = ""
    title: str = ""
    path: str = ""

    def reject(self, reason: str) -> ImportRejection:
        return ImportRejection(self.file, self.source_id, self.language, reason)


class _Rejected(Exception):
    """A record that cannot be imported; args: (ImportRejection,)."""


def _read_records(path: str | Path) -> list[Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(f"{path}: {error}") from error
    except RecursionError as error:
        raise ValidationError(f"{path}: the JSON is nested too deeply") from error
    if not isinstance(data, list):
        raise ValidationError(f"{path}: expected a list of pages")
    return data


def _integer_id(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, int) and value > 0:
        return str(value)
    if isinstance(value, str) and value.isdigit() and int(value) > 0:
        return str(int(value))
    return ""


def _record_language(data: dict[str, Any]) -> str:
    """The language of an Integreat record: a `language` field or the path /<region>/<lang>/..."""
    language = data.get("language")
    if isinstance(language, dict):
        language = language.get("code") or language.get("slug")
    if isinstance(language, str) and language:
        return language
    parts = str(data.get("path") or "").strip("/").split("/")
    return parts[1] if len(parts) >= 2 else ""


def _parse_record(file: str, data: Any) -> _Record:
    if not isinstance(data, dict):
        raise _Rejected(ImportRejection(file, "", "", "not a JSON object"))
    record = _Record(file=file, data=data, source_id=_integer_id(data.get("id")))
    record.language = _record_language(data)[:20]
    record.path = str(data.get("path") or "")[:1000]
    if not record.source_id:
        raise _Rejected(record.reject("missing or invalid id"))
    if not LANGUAGE_CODE_RE.match(record.language):
        raise _Rejected(record.reject(f"unsupported language code {record.language!r}"))
    title = data.get("title")
    record.title = title.strip() if isinstance(title, str) else ""
    if not record.title:
        raise _Rejected(record.reject("missing title"))
    if len(record.title) > PageTranslation._meta.get_field("title").max_length:
        raise _Rejected(record.reject("title too long"))
    if len(record.path) > PageTranslation._meta.get_field("source_path").max_length:
        raise _Rejected(record.reject("path too long"))
    for name in ("content", "excerpt"):
        if not isinstance(data.get(name) or "", str):
            raise _Rejected(record.reject(f"{name} is not text"))
    return record


# Integreat answers a request for a page in a language it lacks with a placeholder: one short
# sentence ("Die Seite existiert nicht in der ausgewählten Sprache ...", in the app's language)
# and links to the page in the languages it has. Exports carry that placeholder as the page's
# content and excerpt; it is not the district's text, and searched it would match any question
# about languages or pages. Told by its shape, whatever the language of its sentence.
_LANGUAGE_LINK = re.compile(
    r"""<a\s[^<>]*href=["']https?://[^/"'<>]*integreat[^/"'<>]*/[^/"'<>]+/([A-Za-z-]{2,})/"""
    r"""[^<>]*>([^<]*)</a>""",
    re.I | re.S,
)
PLACEHOLDER_TEXT = 200  # characters of text beside the links, at most
PLACEHOLDER_SIZE = 20_000  # characters of HTML, at most (a sentence and a few dozen links)


def _placeholder(content: str, language: str) -> bool:
    """Whether `content` is Integreat's "not in this language" placeholder: links to other
    language versions of the page (one each, none in the record's own language) and a short
    sentence."""
    if len(content) > PLACEHOLDER_SIZE:  # also keeps the pattern's work small
        return False
    links = _LANGUAGE_LINK.findall(content)
    if not links:
        return False
    codes = [code.lower() for code, _text in links]
    if len(set(codes)) != len(codes) or language.lower() in codes:
        return False
    rest = _LANGUAGE_LINK.sub(" ", content)
    return len(plain_text(rest)) <= PLACEHOLDER_TEXT and not re.search(r"<a\s", rest, re.I)


def _texts(record: _Record) -> dict[str, str]:
    """The content and excerpt of a record; both empty for Integreat's placeholder."""
    content = record.data.get("content") or ""
    if _placeholder(content, record.language):
        return {"content": "", "excerpt": ""}
    return {"content": content, "excerpt": record.data.get("excerpt") or ""}


def _parent_ref(record: _Record) -> tuple[str, str]:
    parent = record.data.get("parent")
    if isinstance(parent, dict):
        return _integer_id(parent.get("id")), str(parent.get("path") or "")
    return _integer_id(parent), ""


def _slug_for(record: _Record) -> str:
    segment = (
        unquote(record.path.strip("/").rsplit("/", 1)[-1]) if record.path.count("/") > 2 else ""
    )
    max_length = Page._meta.get_field("slug").max_length
    return (
        slugify(segment, allow_unicode=True)[:max_length]
        or slugify(record.title, allow_unicode=True)[:max_length]
        or f"page-{record.source_id}"
    )


def _position(data: dict[str, Any]) -> int:
    value = data.get("order")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _german_in_order(records: list[_Record]) -> list[_Record]:
    """Parents before children, whatever the order in the files."""
    by_id = {r.source_id: r for r in records}
    by_path = {r.path: r for r in records if r.path}
    ordered: list[_Record] = []
    placed: set[str] = set()

    def place(record: _Record, trail: tuple[str, ...]) -> None:
        if record.source_id in placed or record.source_id in trail:
            return
        parent_id, parent_path = _parent_ref(record)
        parent = by_id.get(parent_id) or by_path.get(parent_path)
        if parent is not None:
            place(parent, (*trail, record.source_id))
        placed.add(record.source_id)
        ordered.append(record)

    for record in records:
        place(record, ())
    return ordered


def _find_integreat_page(source_id: str) -> Page | None:
    if not source_id:
        return None
    return Page.objects.filter(source_system=INTEGREAT, source_id=source_id).first()


def _import_german(
    record: _Record, *, actor: Any, batch: dict[str, Page | None], by_path: dict[str, str]
) -> str:
    parent_id, parent_path = _parent_ref(record)
    parent: Page | None = None
    if parent_id or parent_path:
        batch_id = parent_id if parent_id in batch else by_path.get(parent_path, "")
        if batch_id in batch:
            parent = batch[batch_id]
            if parent is None:
                raise _Rejected(record.reject(f"parent {batch_id} was rejected"))
        else:
            parent = _find_integreat_page(parent_id)
            if parent is None and parent_path:
                parent = (
                    Page.objects.filter(
                        source_system=INTEGREAT,
                        translations__language=SOURCE_LANGUAGE,
                        translations__source_path=parent_path,
                    )
                    .order_by("id")
                    .first()
                )
            if parent is None:
                raise _Rejected(record.reject(f"unknown parent {parent_id or parent_path}"))
    values = {"parent": parent, "slug": _slug_for(record), "position": _position(record.data)}
    page = _find_integreat_page(record.source_id)
    page_outcome = UNCHANGED
    if page is None:
        page = page_create(
            actor=actor, source_system=INTEGREAT, source_id=record.source_id, **values
        )
        page_outcome = CREATED
    elif any(getattr(page, name) != value for name, value in values.items()):
        if parent is not None and _would_cycle(page, parent):
            raise _Rejected(record.reject("parent would make a cycle"))
        page_update(actor=actor, page=page, **values)
        page_outcome = UPDATED
    batch[record.source_id] = page
    _translation, outcome = _translation_upsert(
        actor=actor,
        page=page,
        language=SOURCE_LANGUAGE,
        title=record.title,
        **_texts(record),
        origin=TranslationOrigin.IMPORT,
        source_id=record.source_id,
        source_path=record.path,
    )
    return (
        page_outcome
        if page_outcome == CREATED
        else (outcome if outcome != UNCHANGED else page_outcome)
    )


def _import_translation(record: _Record, *, actor: Any, batch: dict[str, Page | None]) -> str:
    languages = record.data.get("available_languages")
    german_ref = languages.get(SOURCE_LANGUAGE) if isinstance(languages, dict) else None
    german_id = _integer_id(german_ref.get("id") if isinstance(german_ref, dict) else german_ref)
    if not german_id:
        raise _Rejected(record.reject("no German original in available_languages"))
    if german_id in batch:
        page = batch[german_id]
        if page is None:
            raise _Rejected(record.reject(f"German original {german_id} was rejected"))
    else:
        page = _find_integreat_page(german_id)
        if page is None:
            raise _Rejected(record.reject(f"unknown German original {german_id}"))
    _translation, outcome = _translation_upsert(
        actor=actor,
        page=page,
        language=record.language,
        title=record.title,
        **_texts(record),
        origin=TranslationOrigin.IMPORT,
        source_id=record.source_id,
        source_path=record.path,
    )
    return outcome


def integreat_import(
    *, paths: Iterable[str | Path], actor: Any = None, skip_rejected: bool = False
) -> ImportReport:
    """Import Integreat page exports (one JSON list of pages per file and language).

    German records become pages (the Integreat id is the page's source id) with their German
    translation; the tree is rebuilt from `parent` (by id, else by path). Records in other
    languages attach to the page whose German id their `available_languages["de"]` names.
    Re-running changes nothing and reports the records as unchanged.

    All or nothing: when any record is rejected, the whole import is rolled back and the report
    lists the reasons (`committed` is False) – unless `skip_rejected` imports the rest. A file
    that cannot be read raises ValidationError.
    """
    report = ImportReport()
    german: list[_Record] = []
    others: list[_Record] = []
    # German records rejected before the import starts, so that their children and
    # translations are rejected as "parent/German original was rejected".
    rejected_german: list[tuple[str, str]] = []
    for path in paths:
        for data in _read_records(path):
            try:
                record = _parse_record(Path(path).name, data)
            except _Rejected as rejection:
                found: ImportRejection = rejection.args[0]
                report.rejected.append(found)
                if found.language == SOURCE_LANGUAGE and found.source_id:
                    rejected_german.append((found.source_id, str(data.get("path") or "")))
                continue
            (german if record.language == SOURCE_LANGUAGE else others).append(record)

    with transaction.atomic():
        batch: dict[str, Page | None] = dict.fromkeys(
            [*(source_id for source_id, _path in rejected_german), *(r.source_id for r in german)]
        )
        by_path = {
            **{path: source_id for source_id, path in rejected_german if path},
            **{r.path: r.source_id for r in german if r.path},
        }
        for record in _german_in_order(german):
            try:
                # A savepoint per record: a rejected record leaves nothing half-written.
                with transaction.atomic():
                    report.count(_import_german(record, actor=actor, batch=batch, by_path=by_path))
            except _Rejected as rejection:
                report.rejected.append(rejection.args[0])
            except ValidationError as error:
                report.rejected.append(record.reject("; ".join(error.messages)))
        for record in others:
            try:
                with transaction.atomic():
                    report.count(_import_translation(record, actor=actor, batch=batch))
            except _Rejected as rejection:
                report.rejected.append(rejection.args[0])
            except ValidationError as error:
                report.rejected.append(record.reject("; ".join(error.messages)))
        if report.rejected and not skip_rejected:
            transaction.set_rollback(True)
            return report
        audit_log(
            action="pages.import.completed",
            actor=actor,
            object_type="pages.import",
            object_id=INTEGREAT,
            reason=str(report),
        )
        report.committed = True
    return report
