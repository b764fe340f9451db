"""Precomputed embeddings of the demo texts, so that `make run` serves a cross-language search
within a minute instead of embedding ~1,000 passages on two cores first.

The file holds one float16 vector and the latent terms (`embeddings.terms_pack`) per passage,
keyed by the passage's content hash
(`search.embeddings.text_hash`, which includes the model name): a changed demo text or another
model simply misses and is embedded by `manage.py embed` as usual. It is built by
`scripts/make_demo_vectors.py` from the deterministic demo data.
"""

from pathlib import Path

from django.db import transaction
from django.db.models import Q

from wegweiser.search import embeddings
from wegweiser.search.models import SearchPassage

VECTORS_FILE = Path(__file__).parent / "data" / "demo-vectors.npz"


def demo_vectors_apply(path: Path = VECTORS_FILE) -> int:
    """Fill missing passage vectors and latent terms from the shipped file; returns how many
    passages were filled."""
    try:
        import numpy as np
    except ImportError:  # the search works with full text alone
        return 0
    if not path.exists():
        return 0
    with np.load(path) as data:
        hashes = data["hashes"].astype(str)
        known = dict(zip(hashes, data["vectors"], strict=True))
        terms = {}
        if "terms" in data and data["terms"].shape[1:] == (embeddings.TERMS_BYTES,):
            terms = {
                h: row.tobytes() for h, row in zip(hashes, data["terms"], strict=True) if row.any()
            }
    pending = list(
        SearchPassage.objects.filter(Q(vector__isnull=True) | Q(terms__isnull=True))
        .filter(text_hash__in=list(known))
        .values_list("pk", "text_hash", "vector", "terms")
    )
    filled = 0
    with transaction.atomic():
        for pk, text_hash, vector, packed in pending:
            fields = {}
            if vector is None:
                fields["vector"] = known[text_hash].astype(np.float32).tobytes()
            if packed is None and text_hash in terms:
                fields["terms"] = terms[text_hash]
            if fields:
                SearchPassage.objects.filter(pk=pk).update(**fields)
                filled += 1
        if filled:
            embeddings.generation_bump()
    return filled


def demo_vectors_export(path: Path = VECTORS_FILE) -> int:
    """Write the vectors and latent terms of every embedded passage to `path`; returns how
    many passages."""
    import numpy as np

    rows = (
        SearchPassage.objects.filter(vector__isnull=False)
        .order_by("text_hash")
        .values_list("text_hash", "vector", "terms")
    )
    unique = {h: (v, t) for h, v, t in rows.iterator()}  # one per text
    hashes = np.array(list(unique), dtype="S64")
    vectors = np.stack(
        [np.frombuffer(bytes(v), dtype=np.float32).astype(np.float16) for v, _t in unique.values()]
    )
    terms = np.zeros((len(unique), embeddings.TERMS_BYTES), dtype=np.uint8)
    for row, (_v, packed) in enumerate(unique.values()):
        if packed is not None and len(packed) == embeddings.TERMS_BYTES:
            terms[row] = np.frombuffer(bytes(packed), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, hashes=hashes, vectors=vectors, terms=terms)
    return len(unique)
