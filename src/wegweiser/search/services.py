"""Writes of the search index. Called by the owning apps' services inside their transaction,
so that the index never disagrees with the data after a commit or a crash."""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F

from .models import SearchDocument, SearchPosting, SearchTerm, SynonymGroup
from .registry import PROVIDERS, Document
from .text import term, tokens

TITLE_WEIGHT = 3
DEFAULT_SYNONYMS = [
    "Kita, Kindergarten, Kindertagesstätte, Kindertagesstaette, Krippe",
    "Job, Arbeit, Arbeitsstelle, Stelle, Beschäftigung, Beruf",
    "Wohnung, Unterkunft, Wohnen, Miete",
    "Arzt, Ärztin, Praxis, Doktor",
    "Deutschkurs, Sprachkurs, Sprachförderung, Deutsch lernen, Integrationskurs",
    "Beratung, Hilfe, Unterstützung",
    "MBE, Migrationsberatung für Erwachsene",
    "JMD, Jugendmigrationsdienst",
    "BAMF, Bundesamt für Migration und Flüchtlinge",
    "VHS, Volkshochschule",
    "Geflüchtete, Flüchtlinge, Asylsuchende",
    "Ausbildung, Lehre",
    "Schule, Unterricht",
    "Schulden, Schuldnerberatung",
    "Schwimmen, Schwimmkurs",
    "Fahrrad, Radfahren",
]


def _weights(document: Document) -> tuple[Counter, dict[str, str]]:
    """Term weights of a document and, per term, the first word that produced it."""
    weights: Counter = Counter()
    surface: dict[str, str] = {}
    for text, weight in [(document.title, TITLE_WEIGHT), *[(t, 1) for t in document.texts]]:
        for word in tokens(text):
            if len(word) > 1 or word.isdigit():
                t = term(word)
                weights[t] += weight
                surface.setdefault(t, word.lower()[:64])
    return weights, surface


@transaction.atomic
def document_upsert(document: Document) -> SearchDocument:
    """(Re)index one document: its postings and the vocabulary counts."""
    weights, surface = _weights(document)
    body = "\n".join(t for t in document.texts if t)
    row, _created = SearchDocument.objects.update_or_create(
        kind=document.kind,
        object_id=document.object_id,
        defaults={
            "title": document.title[:300],
            "text": body,
            "source_id": document.source_id,
            "length": sum(weights.values()),
        },
    )
    old_term_ids = list(row.postings.values_list("term_id", flat=True))
    row.postings.all().delete()
    SearchTerm.objects.filter(pk__in=old_term_ids).update(document_count=F("document_count") - 1)
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, display=surface[t]) for t in weights], ignore_conflicts=True
    )
    term_ids = dict(SearchTerm.objects.filter(term__in=list(weights)).values_list("term", "pk"))
    SearchPosting.objects.bulk_create(
        [SearchPosting(document=row, term_id=term_ids[t], weight=w) for t, w in weights.items()]
    )
    SearchTerm.objects.filter(pk__in=term_ids.values()).update(
        document_count=F("document_count") + 1
    )
    return row


_deferred = threading.local()


@contextmanager
def indexing_deferred() -> Iterator[None]:
    """Index each changed object once, at the end of the block (bulk imports, demo data).

    Use it inside the caller's transaction: the index is still written before the commit.
    """
    if getattr(_deferred, "pending", None) is not None:
        yield  # already deferring: the outer block flushes
        return
    pending: dict[tuple[str, str], Callable[[], Document]] = {}
    _deferred.pending = pending
    try:
        yield
    finally:
        _deferred.pending = None
    for build in pending.values():
        document_upsert(build())


def document_upsert_soon(*, kind: str, object_id: str, build: Callable[[], Document]) -> None:
    """Index now, or at the end of the surrounding `indexing_deferred()` block."""
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        document_upsert(build())
    else:
        pending[(kind, object_id)] = build


@transaction.atomic
def document_delete(*, kind: str, object_id: str) -> None:
    row = SearchDocument.objects.filter(kind=kind, object_id=object_id).first()
    if row is None:
        return
    term_ids = list(row.postings.values_list("term_id", flat=True))
    SearchTerm.objects.filter(pk__in=term_ids).update(document_count=F("document_count") - 1)
    row.delete()


@transaction.atomic
def index_rebuild(*, kinds: list[str] | None = None, progress=None) -> int:
    """Rebuild the index from the registered providers; returns the number of documents."""
    count = 0
    for kind, provider in PROVIDERS.items():
        if kinds and kind not in kinds:
            continue
        SearchDocument.objects.filter(kind=kind).delete()
        for document in provider():
            document_upsert(document)
            count += 1
            if progress:
                progress(kind, count)
    SearchTerm.objects.filter(document_count__lte=0).delete()
    # Counts are recomputed from the postings, so that a rebuild also repairs drift.
    drifted = SearchTerm.objects.annotate(actual=Count("postings")).exclude(
        document_count=F("actual")
    )
    for pk, actual in drifted.values_list("pk", "actual"):
        SearchTerm.objects.filter(pk=pk).update(document_count=actual)
    return count


def synonyms_load_defaults() -> int:
    """Create the default synonym list once; editors change it later."""
    if SynonymGroup.objects.exists():
        return 0
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(members=members) for members in DEFAULT_SYNONYMS]
    )
    return len(DEFAULT_SYNONYMS)
