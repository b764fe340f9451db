"""The demo's precomputed vectors and latent terms: exported, then applied to passages that
miss them (synthetic values: no model needed)."""

import numpy as np
import pytest

from wegweiser.demo.vectors import demo_vectors_apply, demo_vectors_export
from wegweiser.search import embeddings
from wegweiser.search.models import SearchPassage
from wegweiser.search.registry import Document
from wegweiser.search.services import document_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def passages(settings):
    settings.SEARCH_EMBED_ON_SAVE = False
    for n in range(3):
        document_upsert(
            Document(kind="offer", object_id=str(n), title=f"Angebot {n}", texts=[f"Text {n}."])
        )
    rng = np.random.default_rng(0)
    for passage in SearchPassage.objects.all():
        vector = rng.normal(size=embeddings.DIMENSIONS).astype(np.float32)
        terms = embeddings.terms_pack(rng.choice(16_384, 5, replace=False), rng.random(5) + 0.1)
        SearchPassage.objects.filter(pk=passage.pk).update(
            vector=(vector / np.linalg.norm(vector)).tobytes(), terms=terms
        )
    return dict(SearchPassage.objects.values_list("text_hash", "terms"))


def test_vectors_and_latent_terms_come_back_from_the_file(passages, tmp_path):
    path = tmp_path / "vectors.npz"
    assert demo_vectors_export(path) == len(passages) == 6
    SearchPassage.objects.update(vector=None, terms=None)
    assert demo_vectors_apply(path) == 6
    assert demo_vectors_apply(path) == 0
    restored = dict(SearchPassage.objects.values_list("text_hash", "terms"))
    assert {h: bytes(t) for h, t in restored.items()} == {h: bytes(t) for h, t in passages.items()}
    assert not SearchPassage.objects.filter(vector__isnull=True).exists()


def test_a_file_of_vectors_only_fills_the_vectors(passages, tmp_path):
    path = tmp_path / "vectors.npz"
    demo_vectors_export(path)
    with np.load(path) as data:
        np.savez_compressed(path, hashes=data["hashes"], vectors=data["vectors"])
    SearchPassage.objects.update(vector=None, terms=None)
    assert demo_vectors_apply(path) == 6
    assert not SearchPassage.objects.filter(vector__isnull=True).exists()
    assert not SearchPassage.objects.filter(terms__isnull=False).exists()
