"""Baselines shared by the quality benchmarks (import after `django.setup()`)."""

import numpy as np

from wegweiser.search import embeddings


def embedding_baseline(kind: str, query: str, limit: int = 100) -> list[tuple[str, float]]:
    """The model alone: documents by the cosine similarity of their best body passage (no
    title vector, no full text) – the plain way to search passages with embeddings."""
    matrix = embeddings._matrix(kind)
    query_vector = embeddings.embed_query(query)
    if not len(matrix.ids) or query_vector is None:
        return []
    scores = matrix.vectors @ query_vector
    scores[matrix.title[matrix.title >= 0]] = -2.0
    nonempty = matrix.end > matrix.start
    best = np.full(len(matrix.ids), -2.0, dtype=np.float32)
    best[nonempty] = np.maximum.reduceat(scores, matrix.start[nonempty])
    order = np.argsort(-best, kind="stable")[:limit]
    return [(str(matrix.ids[i]), float(best[i])) for i in order if best[i] > -2.0]
