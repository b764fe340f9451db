"""Writes of the search index. Called by the owning apps' services inside their transaction,
so that the index never disagrees with the data after a commit or a crash."""

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F

from . import embeddings
from .models import SearchDocument, SearchPassage, SearchPosting, SearchTerm, SynonymGroup
from .registry import PROVIDERS, Document
from .selectors import stats_forget
from .text import term, tokens
from .tokens import LEXICAL, SYNONYMS, token_bump

TITLE_WEIGHT = 3
# The groups also hold the everyday words of the platform's other languages: the model reads
# a single word of another language poorly ("doktor" found "Digitalsprechstunde", "kreş" no
# Kita), and a word the list gives a meaning finds what its German synonyms find
# (search.selectors.search_ranked). Editors add the words their newcomers use.
DEFAULT_SYNONYMS = [
    "Kita, Kindergarten, Kindertagesstätte, Kindertagesstaette, Krippe, daycare, nursery, "
    "روضة أطفال, حضانة, дитячий садок, садочок, детский сад, kreş, anaokulu, مهدکودک, "
    "کودکستان",
    "Job, Arbeit, Arbeitsstelle, Stelle, Beschäftigung, Beruf, work, employment, عمل, وظيفة, "
    "робота, работа, istihdam, meslek, کار, شغل",
    "Wohnung, Unterkunft, Wohnen, Miete, apartment, flat, housing, شقة, سكن, квартира, житло, "
    "жильё, жилье, konut, آپارتمان, مسکن",
    "Arzt, Ärztin, Praxis, Doktor, doctor, physician, طبيب, лікар, врач, hekim, پزشک, دکتر",
    "Deutschkurs, Sprachkurs, Sprachförderung, Deutsch lernen, Integrationskurs, German course, "
    "German class, Almanca kursu, курс німецької, курсы немецкого, دورة ألمانية, "
    "کلاس آلمانی",
    "Beratung, Hilfe, Unterstützung",
    "MBE, Migrationsberatung für Erwachsene",
    "JMD, Jugendmigrationsdienst",
    "BAMF, Bundesamt für Migration und Flüchtlinge",
    "VHS, Volkshochschule",
    "Geflüchtete, Flüchtlinge, Asylsuchende, refugees, refugee, لاجئين, لاجئ, біженці, "
    "беженцы, mülteci, پناهنده",
    "Ausbildung, Lehre, apprenticeship, vocational training",
    "Schule, Unterricht, school, مدرسة, школа, okul, مدرسه",
    "Schulden, Schuldnerberatung, debt, debts, ديون, борги, долги, borç, بدهی",
    "Schwimmen, Schwimmkurs, swimming, سباحة, плавання, плавание, yüzme, شنا",
    "Fahrrad, Radfahren, bicycle, bike, cycling, دراجة, велосипед, bisiklet, دوچرخه",
    # Offers carry the attributes' German labels as keywords ("kostenlos", "stufenloser
    # Zugang"), and the model alone took "wheelchair" for a bicycle ("Fahrradkurs").
    "kostenlos, gratis, kostenfrei, umsonst, gebührenfrei, free of charge, مجاني, مجانا, "
    "безкоштовно, бесплатно, ücretsiz, رایگان",
    "barrierefrei, rollstuhlgerecht, behindertengerecht, stufenlos, Rollstuhl, wheelchair, "
    "wheelchair accessible, step-free",
    # The needs of a newcomer's first years, in the words people type on a phone.
    "Aufenthaltserlaubnis, Aufenthaltstitel, Aufenthaltsgenehmigung, Aufenthalt, "
    "residence permit, residence title, تصريح إقامة, إقامة, посвідка на проживання, "
    "вид на проживання, вид на жительство, oturma izni, ikamet izni, اقامت, اجازه اقامت",
    "Einbürgerung, Staatsangehörigkeit, Staatsbürgerschaft, citizenship, naturalisation, "
    "naturalization, جنسية, تجنيس, громадянство, гражданство, vatandaşlık, تابعیت, شهروندی",
    "Familiennachzug, Familienzusammenführung, family reunification, لم الشمل, "
    "воссоединение семьи, возз'єднання сім'ї, aile birleşimi, پیوستن به خانواده",
    "Anerkennung, Berufsanerkennung, Anerkennungsberatung, recognition of qualifications, "
    "معادلة الشهادة, визнання диплома, признание диплома, denklik, ارزشیابی مدرک",
    "Dolmetscher, Dolmetscherin, Dolmetschen, Sprachmittler, Sprachmittlerin, Sprachmittlung, "
    "Übersetzer, Übersetzerin, Übersetzung, interpreter, translator, interpreting, مترجم, "
    "ترجمة, перекладач, переводчик, tercüman, çevirmen",
    "Krankenversicherung, Krankenkasse, Gesundheitskarte, health insurance, تأمين صحي, "
    "التأمين الصحي, медичне страхування, медична страховка, медицинская страховка, "
    "медицинское страхование, sağlık sigortası, بیمه درمانی, بیمه سلامت",
    "Zahnarzt, Zahnärztin, dentist, طبيب أسنان, стоматолог, зубний лікар, зубной врач, "
    "diş hekimi, dişçi, دندانپزشک",
    "Kinderarzt, Kinderärztin, pediatrician, paediatrician, طبيب أطفال, педіатр, педиатр, "
    "çocuk doktoru, پزشک اطفال, متخصص اطفال",
    "Schwangerschaft, schwanger, Schwangere, pregnancy, pregnant, حامل, حمل, вагітність, "
    "вагітна, беременность, беременная, hamilelik, hamile, بارداری, باردار",
    "Rechtsberatung, Rechtsanwalt, Rechtsanwältin, Anwalt, Anwältin, lawyer, attorney, "
    "legal advice, محامي, استشارة قانونية, адвокат, юрист, avukat, hukuki danışmanlık, وکیل, "
    "مشاوره حقوقی",
    "Kindergeld, child benefit, إعانة الأطفال, допомога на дітей, детское пособие, "
    "çocuk parası, کمک هزینه فرزند",
    "Führerschein, Fahrerlaubnis, Fahrschule, driving licence, driving license, "
    "driver's license, driving school, رخصة قيادة, رخصة السياقة, посвідчення водія, "
    "водійські права, водительские права, ehliyet, sürücü belgesi, گواهینامه رانندگی, "
    "گواهینامه",
    "Hausaufgaben, Hausaufgabenhilfe, Nachhilfe, Lernhilfe, homework, tutoring, "
    "واجبات منزلية, الواجب المنزلي, домашнє завдання, домашнее задание, ödev, ev ödevi, "
    "تکالیف مدرسه, تکلیف",
]


def _weights(document: Document) -> tuple[Counter, dict[str, str]]:
    """Term weights of a document and, per term, the first word that produced it."""
    weights: Counter = Counter()
    surface: dict[str, str] = {}
    texts = [*document.texts, *document.keywords]
    for text, weight in [(document.title, TITLE_WEIGHT), *[(t, 1) for t in texts]]:
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
    _passages_replace(row, document)
    stats_forget()
    token_bump(LEXICAL)
    return row


def _passages_replace(row: SearchDocument, document: Document) -> None:
    """Cut the document into passages; keep the vectors of passages whose text is unchanged.

    New passages get their vectors after the commit (or from `manage.py embed`), so that a save
    never waits for the model inside its transaction.
    """
    parts = embeddings.document_passages(document.title, document.texts)
    hashes = [embeddings.text_hash(t) for t, _is_title in parts]
    old = list(row.passages.values_list("position", "text_hash", "vector", "terms"))
    if [h for _p, h, _v, _t in sorted(old)] == hashes and all(v is not None for *_x, v, _t in old):
        return
    kept = {h: (v, t) for _p, h, v, t in old if v is not None}
    row.passages.all().delete()
    SearchPassage.objects.bulk_create(
        [
            SearchPassage(
                document=row,
                position=i,
                is_title=is_title,
                text=t,
                text_hash=h,
                vector=kept.get(h, (None, None))[0],
                terms=kept.get(h, (None, None))[1],
            )
            for i, ((t, is_title), h) in enumerate(zip(parts, hashes, strict=True))
        ]
    )
    if old:
        embeddings.generation_bump()
    bulk = getattr(_deferred, "pending", None) is not None or getattr(_deferred, "bulk", False)
    if any(h not in kept for h in hashes) and not bulk:
        transaction.on_commit(embeddings.embed_after_commit)


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
    # Bulk work: vectors come from `manage.py embed --batch`, not one by one after the commit.
    _deferred.bulk = True
    try:
        for (kind, object_id), build in pending.items():
            _upsert_or_delete(kind=kind, object_id=object_id, build=build)
    finally:
        _deferred.bulk = False


def _upsert_or_delete(*, kind: str, object_id: str, build: Callable[[], Document | None]) -> None:
    document = build()
    if document is None:
        document_delete(kind=kind, object_id=object_id)
    else:
        document_upsert(document)


def document_upsert_soon(
    *, kind: str, object_id: str, build: Callable[[], Document | None]
) -> None:
    """Index now, or at the end of the surrounding `indexing_deferred()` block.

    `build` returns None for an object that must not be found (a draft, an unpublished
    page): its document is deleted, so that none of its words reach the public search, not
    even as a "did you mean" correction.
    """
    pending = getattr(_deferred, "pending", None)
    if pending is None:
        _upsert_or_delete(kind=kind, object_id=object_id, build=build)
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
    embeddings.generation_bump()
    stats_forget()
    token_bump(LEXICAL)


@transaction.atomic
def index_rebuild(*, kinds: list[str] | None = None, progress=None) -> int:
    """Rebuild the index from the registered providers; returns the number of documents.

    Every document is indexed again in place, so that passages whose text did not change keep
    their vectors (computing them again takes hours for a large index); documents whose objects
    are gone are deleted.
    """
    count = 0
    for kind, provider in PROVIDERS.items():
        if kinds and kind not in kinds:
            continue
        seen: set[str] = set()
        for document in provider():
            document_upsert(document)
            seen.add(document.object_id)
            count += 1
            if progress:
                progress(kind, count)
        for object_id in SearchDocument.objects.filter(kind=kind).values_list(
            "object_id", flat=True
        ):
            if object_id not in seen:
                document_delete(kind=kind, object_id=object_id)
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
    token_bump(SYNONYMS)
    return len(DEFAULT_SYNONYMS)


def documents_bulk_index(
    documents: Iterable[Document],
    *,
    batch_size: int = 2000,
    vectors: Callable[[list[str]], list[bytes | None]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Index many NEW documents fast (imports of 100,000 records, benchmarks).

    Few queries per batch instead of a dozen per document; documents of the same kind and id
    are replaced. Vectors come later from `manage.py embed`, or from `vectors(passage_texts)`.
    Call inside a transaction; returns the number of documents.
    """
    known: dict[str, int] = {}
    counts: Counter = Counter()
    total = 0
    batch: list[Document] = []

    def flush() -> None:
        nonlocal total
        keys = {(d.kind, d.object_id) for d in batch}
        for kind in {k for k, _o in keys}:
            stale = SearchDocument.objects.filter(
                kind=kind, object_id__in=[o for k, o in keys if k == kind]
            )
            if stale.exists():
                for row in stale:
                    document_delete(kind=row.kind, object_id=row.object_id)
        weighted = [(d, *_weights(d)) for d in batch]
        rows = SearchDocument.objects.bulk_create(
            [
                SearchDocument(
                    kind=d.kind,
                    object_id=d.object_id,
                    title=d.title[:300],
                    text="\n".join(t for t in d.texts if t),
                    source_id=d.source_id,
                    length=sum(w.values()),
                )
                for d, w, _s in weighted
            ]
        )
        new_terms: dict[str, str] = {}
        for _d, w, surface in weighted:
            for t in w:
                if t not in known:
                    new_terms.setdefault(t, surface[t])
        if new_terms:
            SearchTerm.objects.bulk_create(
                [SearchTerm(term=t, display=s) for t, s in new_terms.items()],
                ignore_conflicts=True,
                batch_size=1000,
            )
            for start in range(0, len(new_terms), 1000):
                part = list(new_terms)[start : start + 1000]
                known.update(SearchTerm.objects.filter(term__in=part).values_list("term", "pk"))
        postings = []
        passages = []
        for row, (d, w, _s) in zip(rows, weighted, strict=True):
            postings += [
                SearchPosting(document=row, term_id=known[t], weight=n) for t, n in w.items()
            ]
            counts.update(w.keys())
            parts = embeddings.document_passages(d.title, d.texts)
            texts = [t for t, _is_title in parts]
            given = vectors(texts) if vectors else [None] * len(texts)
            passages += [
                SearchPassage(
                    document=row,
                    position=i,
                    is_title=is_title,
                    text=t,
                    text_hash=embeddings.text_hash(t),
                    vector=v,
                )
                for i, ((t, is_title), v) in enumerate(zip(parts, given, strict=True))
            ]
        SearchPosting.objects.bulk_create(postings, batch_size=5000)
        SearchPassage.objects.bulk_create(passages, batch_size=2000)
        total += len(batch)
        batch.clear()
        if progress:
            progress(total)

    for document in documents:
        batch.append(document)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    by_count: dict[int, list[int]] = {}
    for t, n in counts.items():
        by_count.setdefault(n, []).append(known[t])
    for n, term_ids in by_count.items():
        for start in range(0, len(term_ids), 1000):
            SearchTerm.objects.filter(pk__in=term_ids[start : start + 1000]).update(
                document_count=F("document_count") + n
            )
    embeddings.generation_bump()
    stats_forget()
    token_bump(LEXICAL)
    return total
