"""Precomputed embeddings of the demo texts, so that `make run` serves a cross-language search
within a minute instead of embedding ~1,000 passages on two cores first.

The file holds one float16 vector per passage, keyed by the passage's content hash
(`search.embeddings.text_hash`, which includes the model name): a changed demo text or another
model simply misses and is embedded by `manage.py embed` as usual. It is built by
`scripts/make_demo_vectors.py` from the deterministic demo data.
"""

from pathlib import Path

from django.db import transaction

from wegweiser.search import embeddings
from wegweiser.search.models import SearchPassage

VECTORS_FILE = Path(__file__).parent / "data" / "demo-vectors.npz"


def demo_vectors_apply(path: Path = VECTORS_FILE) -> int:
    """Fill missing passage vectors from the shipped file; returns how many were filled."""
    try:
        import numpy as np
    except ImportError:  # the search works with full text alone
        return 0
    if not path.exists():
        return 0
    with np.load(path) as data:
        known = dict(zip(data["hashes"].astype(str), data["vectors"], strict=True))
    pending = list(
        SearchPassage.objects.filter(vector__isnull=True, text_hash__in=list(known)).values_list(
            "pk", "text_hash"
        )
    )
    with transaction.atomic():
        for pk, text_hash in pending:
            vector = known[text_hash].astype(np.float32).tobytes()
            SearchPassage.objects.filter(pk=pk).update(vector=vector)
        if pending:
            embeddings.generation_bump()
    return len(pending)


def demo_vectors_export(path: Path = VECTORS_FILE) -> int:
    """Write the vectors of every embedded passage to `path`; returns how many."""
    import numpy as np

    rows = list(
        SearchPassage.objects.filter(vector__isnull=False)
        .order_by("text_hash")
        .values_list("text_hash", "vector")
        .distinct()
    )
    hashes = np.array([h for h, _v in rows], dtype="S64")
    vectors = np.stack(
        [np.frombuffer(bytes(v), dtype=np.float32).astype(np.float16) for _h, v in rows]
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        np.savez_compressed(handle, hashes=hashes, vectors=vectors)
    return len(rows)
