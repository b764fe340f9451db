"""The in-memory snapshot ranks exactly like the SQL reference; change tokens are random."""

import random
from datetime import timedelta

import pytest
from django.db import transaction

from wegweiser.search import snapshot, tokens
from wegweiser.search.registry import Document
from wegweiser.search.selectors import lexical_ranked
from wegweiser.search.services import document_delete, document_upsert, synonyms_load_defaults
from wegweiser.search.text import term

pytestmark = pytest.mark.django_db

WORDS = [
    "Deutschkurs",
    "Sprachkurs",
    "Beratung",
    "Migrationsberatung",
    "Schuldnerberatung",
    "Wohnung",
    "Wohnungssuche",
    "Kita",
    "Kindergarten",
    "Schwimmkurs",
    "Arbeit",
    "Ausbildung",
    "Frauencafé",
    "Hilfe",
    "Familien",
    "Kinder",
    "kostenlos",
    "Anerkennung",
    # the words of synonyms of several words ("Deutsch lernen", "Migrationsberatung für
    # Erwachsene"), found only together
    "Deutsch",
    "lernen",
    "Erwachsene",
]
QUERIES = [
    "MBE",
    "Sprachkurs Erwachsene",
    "Deutsch lernen",
    "Deutsch lernen Kinder",
    "Deutschkurs",
    "Beratung",
    "Beratung Wohnung",
    "Kurs",
    "Kita kostenlos",
    "Wohnug",
    "Schwimkurs",
    "Qohnung",
    "Achwimmkurs",
    "cShwimmkurs",
    "Xberatung",
    "Eratung",
    "Migrationsberatunf",
    "Neratung",
    "Sprachkurz",
    # unknown compounds of known words, split in two
    "Familienwohnung",
    "Kinderberatung",
    # a keyword of intent, not of topic
    "Wohnung finden",
    # plurals, whose stems keep the -s the singular's lose
    "Deutschkurse",
    "Sprachkurse Kinder",
    "Wie finde ich eine Wohnung für meine Familie mit Kindern",
    "Hilfe Arbeit Ausbildung Anerkennung Familien",
    "Job",
    "nichtsdergleichen",
    "12",
]


@pytest.fixture
def corpus(db):
    synonyms_load_defaults()
    rng = random.Random(7)
    for i in range(120):
        title = " ".join(rng.sample(WORDS, 2))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25))) + f" {i % 13}"
        document_upsert(Document(kind="offer", object_id=str(i), title=title, texts=[text]))
    for i in range(10):
        document_upsert(
            Document(kind="page", object_id=str(i), title=rng.choice(WORDS), texts=["Beratung"])
        )


def _rounded(result):
    return (
        [(object_id, round(score, 9)) for object_id, score in result.ranked],
        result.did_you_mean,
        result.all_words_matched,
        result.question,
        result.words,
    )


def test_memory_ranking_equals_sql(corpus):
    for kind in ("offer", "page", "nothing"):
        for query in QUERIES:
            for limit in (1000, 7):
                sql = lexical_ranked(kind=kind, query=query, limit=limit, engine="sql")
                # Asked twice: the second time from what the snapshot kept of its words.
                for _time in range(2):
                    memory = lexical_ranked(kind=kind, query=query, limit=limit, engine="memory")
                    assert _rounded(memory) == _rounded(sql), (kind, query, limit)
                if kind == "offer" and limit == 1000 and query != "nichtsdergleichen":
                    assert memory.ranked


def test_every_write_is_seen_by_the_next_search(corpus):
    assert lexical_ranked(kind="offer", query="Zebrastreifen").ranked == []
    document_upsert(Document(kind="offer", object_id="new", title="Zebrastreifen", texts=[]))
    assert [o for o, _s in lexical_ranked(kind="offer", query="Zebrastreifen").ranked] == ["new"]
    document_delete(kind="offer", object_id="new")
    assert lexical_ranked(kind="offer", query="Zebrastreifen").ranked == []


def test_a_typo_asked_before_finds_a_word_indexed_since(corpus):
    # Typo candidates are kept per snapshot: a new word must reach the next search anyway.
    assert lexical_ranked(kind="offer", query="Zebrastrejfen").ranked == []
    document_upsert(Document(kind="offer", object_id="new", title="Zebrastreifen", texts=[]))
    result = lexical_ranked(kind="offer", query="Zebrastrejfen")
    assert [o for o, _s in result.ranked] == ["new"]
    assert result.did_you_mean.casefold() == "zebrastreifen"
    document_delete(kind="offer", object_id="new")
    assert lexical_ranked(kind="offer", query="Zebrastrejfen").ranked == []


def test_a_rolled_back_write_never_leaves_a_stale_snapshot(corpus):
    before = tokens.token_read(tokens.LEXICAL)
    with transaction.atomic():
        sid = transaction.savepoint()
        document_upsert(Document(kind="offer", object_id="gone", title="Zebrastreifen", texts=[]))
        assert lexical_ranked(kind="offer", query="Zebrastreifen").ranked
        transaction.savepoint_rollback(sid)
    assert tokens.token_read(tokens.LEXICAL) == before
    assert lexical_ranked(kind="offer", query="Zebrastreifen").ranked == []
    assert snapshot.current().token == before


def test_of_many_compounds_the_most_common_are_expanded(db):
    from wegweiser.search.selectors import COMPOUNDS

    # More compounds of "kurs" than a query word expands to; the common one is added last
    # (the highest term id), so a choice by id would leave it out.
    for i in range(COMPOUNDS + 5):
        name = f"Sonder{chr(97 + i // 26)}{chr(97 + i % 26)}kurs"  # Sonderaakurs, Sonderabkurs…
        document_upsert(Document(kind="offer", object_id=f"rare{i}", title=name, texts=[]))
    for i in range(3):
        document_upsert(
            Document(kind="offer", object_id=f"common{i}", title="Deutschkurs", texts=[])
        )
    for engine in ("memory", "sql"):
        found = {o for o, _s in lexical_ranked(kind="offer", query="Kurs", engine=engine).ranked}
        assert {"common0", "common1", "common2"} <= found, engine
        # The common compound and, of the rare ones (one document each), the first by id.
        assert len(found) == 3 + COMPOUNDS - 1, engine
    assert _rounded(lexical_ranked(kind="offer", query="Kurs", engine="memory")) == _rounded(
        lexical_ranked(kind="offer", query="Kurs", engine="sql")
    )


def test_tokens_are_random_not_counters(db):
    seen = set()
    for _ in range(5):
        tokens.token_bump("test")
        seen.add(tokens.token_read("test"))
    assert len(seen) == 5
    assert max(seen) > 1000


def test_ivf_finds_the_nearest_passages_of_clustered_vectors():
    import numpy as np

    from wegweiser.search import embeddings

    rng = np.random.default_rng(1)
    centres = rng.standard_normal((40, embeddings.DIMENSIONS)).astype(np.float32)
    vectors = centres[rng.integers(0, 40, 4000)] + 0.3 * rng.standard_normal(
        (4000, embeddings.DIMENSIONS)
    ).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = np.arange(4000, dtype=np.int32) // 2  # two passages per document
    index = embeddings.VectorIndex(
        None, [str(i) for i in range(2000)], documents, vectors.astype(np.float16)
    )
    index.cluster()
    assert index.indptr[-1] == 4000
    queries = vectors[rng.choice(4000, 20, replace=False)] + 0.1 * rng.standard_normal(
        (20, embeddings.DIMENSIONS)
    ).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    assert embeddings.ivf_recall(index, queries, limit=10) >= 0.9


def test_a_new_synonym_is_used_by_the_next_search(corpus):
    from wegweiser.search.models import SynonymGroup

    document_upsert(Document(kind="offer", object_id="z", title="Zebra", texts=[]))
    assert lexical_ranked(kind="offer", query="Streifenpferd").ranked == []
    group = SynonymGroup.objects.create(members="Zebra, Streifenpferd")
    assert [o for o, _s in lexical_ranked(kind="offer", query="Streifenpferd").ranked] == ["z"]
    group.delete()
    assert lexical_ranked(kind="offer", query="Streifenpferd").ranked == []


def test_a_words_expansion_is_kept_until_the_synonym_list_changes(corpus, monkeypatch):
    from wegweiser.search import selectors
    from wegweiser.search.models import SynonymGroup

    document_upsert(Document(kind="offer", object_id="z", title="Zebra", texts=[]))
    expanded = []
    original = selectors._expand
    monkeypatch.setattr(
        selectors, "_expand", lambda word, *a, **k: expanded.append(word) or original(word, *a, **k)
    )
    first = lexical_ranked(kind="offer", query="Streifenpferd")
    assert first.ranked == [] and expanded == ["streifenpferd"]
    assert lexical_ranked(kind="offer", query="Streifenpferd").ranked == []
    assert expanded == ["streifenpferd"]  # the same snapshot and list: kept
    SynonymGroup.objects.create(members="Zebra, Streifenpferd")
    assert [o for o, _s in lexical_ranked(kind="offer", query="Streifenpferd").ranked] == ["z"]
    assert expanded.count("streifenpferd") == 2


@pytest.mark.django_db(transaction=True)
def test_after_a_save_the_snapshot_is_patched_and_ranks_like_sql(monkeypatch):
    # No snapshot of an earlier test in this process: the first build here is a full one.
    snapshot._snapshots.clear()
    # Only documents written after the first build count as changed (not every document
    # written in the last ten minutes): the patch keeps the others' postings.
    monkeypatch.setattr(snapshot, "MARGIN", timedelta(0))
    synonyms_load_defaults()
    rng = random.Random(5)
    for i in range(40):
        text = " ".join(rng.choice(WORDS) for _ in range(10))
        document_upsert(
            Document(kind="offer", object_id=str(i), title=rng.choice(WORDS), texts=[text])
        )
    document_upsert(Document(kind="offer", object_id="u", title="Einhornweide", texts=["Kita"]))
    assert snapshot.current().source == "full"
    # Changed, deleted and new documents; a new kind; new terms and a term that vanishes.
    document_upsert(Document(kind="offer", object_id="3", title="Zebrastreifen", texts=["Kita"]))
    document_delete(kind="offer", object_id="5")
    document_delete(kind="offer", object_id="u")
    document_upsert(Document(kind="offer", object_id="new", title="Beratung", texts=["Zebra"]))
    document_upsert(Document(kind="page", object_id="p", title="Wohnung", texts=["Beratung"]))
    patched = snapshot.current()
    assert patched.source == "delta"
    full = snapshot.build(patched.token)
    assert full.source == "full"
    assert patched.terms == full.terms
    assert term("Einhornweide") not in patched.terms
    for kind in ("offer", "page"):
        mine, theirs = patched.kinds[kind], full.kinds[kind]
        assert mine.object_ids.tolist() == theirs.object_ids.tolist()
        assert (mine.db_ids == theirs.db_ids).all()
        assert (mine.lengths == theirs.lengths).all()
        assert (mine.order_rank == theirs.order_rank).all()
        assert (mine.indptr == theirs.indptr).all()

        def postings(index, t):
            start, end = index.indptr[t], index.indptr[t + 1]
            pairs = zip(index.documents[start:end], index.weights[start:end], strict=True)
            return sorted(pairs)  # the order within a term is free

        for t in range(len(full.terms)):
            assert postings(mine, t) == postings(theirs, t), (kind, full.terms[t])
    for query in [*QUERIES, "Zebrastreifen", "Zebra"]:
        for kind in ("offer", "page"):
            memory = lexical_ranked(kind=kind, query=query, engine="memory")
            sql = lexical_ranked(kind=kind, query=query, engine="sql")
            assert _rounded(memory) == _rounded(sql), (kind, query)
    assert "5" not in {o for o, _s in lexical_ranked(kind="offer", query="Beratung").ranked}


@pytest.mark.django_db(transaction=True)
def test_after_a_save_the_ivf_index_is_patched(settings, monkeypatch):
    import numpy as np

    from wegweiser.search import embeddings
    from wegweiser.search.models import SearchPassage

    settings.SEARCH_EMBED_ON_SAVE = False
    monkeypatch.setattr(embeddings, "IVF_MIN", 5)
    embeddings._matrices.clear()  # nothing cached by earlier tests
    rng = np.random.default_rng(3)

    def embed_all():
        for pk in SearchPassage.objects.filter(vector__isnull=True).values_list("pk", flat=True):
            v = rng.standard_normal(embeddings.DIMENSIONS).astype(np.float32)
            v /= np.linalg.norm(v)
            SearchPassage.objects.filter(pk=pk).update(vector=v.tobytes())
        embeddings.generation_bump()

    for i in range(30):
        document_upsert(Document(kind="offer", object_id=str(i), title=f"Titel {i}", texts=[]))
    embed_all()
    first = embeddings._matrix("offer")
    assert first.centroids is not None and first.source == "full"
    document_delete(kind="offer", object_id="3")
    document_upsert(Document(kind="offer", object_id="new", title="Neu", texts=[]))
    embed_all()
    patched = embeddings._matrix("offer")
    assert patched.source == "delta"
    rows = SearchPassage.objects.filter(document__kind="offer").values_list(
        "document__object_id", "vector"
    )
    exact = {o: np.frombuffer(bytes(v), dtype=np.float32) for o, v in rows}
    assert len(patched) == len(exact) == 30
    query = rng.standard_normal(embeddings.DIMENSIONS).astype(np.float32)
    query /= np.linalg.norm(query)
    found = embeddings._best_documents(patched, query, 30, probe=len(patched.centroids))
    # Each document is its title alone: its similarity, less the discount for that.
    discount = embeddings.TITLE_ONLY_DISCOUNT
    expected = sorted(
        ((o, float(v @ query) - discount) for o, v in exact.items()), key=lambda x: -x[1]
    )
    assert [o for o, _s in found] == [o for o, _s in expected]
    assert np.allclose([s for _o, s in found], [s for _o, s in expected], atol=0.01)


def _ivf_index(count: int, seed: int):
    """An IVF index of `count` documents with a title and two body passages each (exact
    float32 vectors kept aside)."""
    import numpy as np

    from wegweiser.search import embeddings

    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count * 3, embeddings.DIMENSIONS)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = np.repeat(np.arange(count, dtype=np.int32), 3)
    index = embeddings.VectorIndex(None, [str(i) for i in range(count)], documents, vectors)
    index.is_title = np.tile([True, False, False], count)
    index.cluster()
    query = rng.standard_normal(embeddings.DIMENSIONS).astype(np.float32)
    query /= np.linalg.norm(query)
    scores = vectors @ query
    exact = {
        str(d): float((max(scores[3 * d + 1], scores[3 * d + 2]) + 0.2 * scores[3 * d]) / 1.2)
        for d in range(count)
    }
    return index, query, exact


def test_ivf_scores_documents_like_the_exact_matrix_with_titles():
    import numpy as np

    from wegweiser.search import embeddings

    index, query, exact = _ivf_index(300, seed=4)
    found = embeddings._best_documents(index, query, 20, probe=len(index.centroids))
    expected = sorted(exact.values(), reverse=True)[:20]
    # int8 vectors: the same scores up to ~0.005, so near-ties may swap places.
    assert all(abs(exact[o] - s) < 0.01 for o, s in found)
    assert np.allclose([s for _o, s in found], expected, atol=0.01)
    assert found[0][0] == max(exact, key=exact.get)


def test_ivf_candidates_are_scored_with_passages_of_unprobed_lists():
    from wegweiser.search import embeddings

    # One list probed of ~30: a document's other passages mostly lie in lists not probed.
    index, query, exact = _ivf_index(300, seed=5)
    found = embeddings._best_documents(index, query, 20, probe=1)
    assert len(found) == 20
    assert all(abs(exact[o] - s) < 0.01 for o, s in found)


def test_ivf_scores_chosen_documents_exactly(monkeypatch):
    from wegweiser.search import embeddings

    index, query, exact = _ivf_index(300, seed=6)
    monkeypatch.setattr(embeddings, "_matrix", lambda kind: index)
    monkeypatch.setattr(embeddings, "embed_query", lambda text: query)
    wanted = ["7", "250", "3", "nothing"]
    found = embeddings.similarities_of(kind="offer", query="q", object_ids=wanted)
    assert sorted(o for o, _s in found) == ["250", "3", "7"]
    assert all(abs(exact[o] - s) < 0.01 for o, s in found)
    assert [s for _o, s in found] == sorted((s for _o, s in found), reverse=True)
