#!/usr/bin/env python
"""Search speed at 100,000 offers, on SQLite and on PostgreSQL.

    .venv/bin/python bench/search_speed.py                 # both engines (PostgreSQL through
                                                           # scripts/with_postgres.py's Cluster)
    .venv/bin/python bench/search_speed.py --engine sqlite # one engine, in this process
    ... --db-cache DIR   # build the 100k database once (~20 min per engine), reuse it later
    ... --no-wrk-cache   # skip the wrk runs with the response cache (typical, long tail)

Per engine: a fresh database with the demo district, N synthetic published offers (bulk insert:
names and descriptions from a bank of German service words, life areas, target groups, costs,
locations in the district's towns) indexed in bulk (`documents_bulk_index`) with SYNTHETIC
vectors of the model's dimension (384; latency does not depend on their content; the query
vector comes from the real model). Then p50/p95 of typical API queries with facets (the full
`/api/v1/search` request through Django's test client: full text, the query vector, cosine
over the passages, fusion, facets, serialisation) against a naive `icontains` search over
name, summary and description with the same filters (count + first page) and against the
same naive search that also answers the request's facet counts (a GROUP BY or a count per
facet, each with the other filters, as the API counts them), and the resident memory of the
process. The query vector is computed by the model once per query and process
and then comes from a cache: the main figures are for queries asked before (the vector
cached, not the response, and what the search keeps of their words: expansions, typo candidates,
each word's best expansion per document); "new query" repeats the same queries with the vector
computed again each time (8-25 ms of model time, about 1 ms per token) and nothing kept of their
words (`forget_words`). "after_save": an offer saved,
the next search and the time until every snapshot is current again. With `wrk` (Debian package;
installed by `--install-wrk`, not by `make test`): requests/s of `/api/v1/search` under
gunicorn with 2 workers, and the workers' RSS.

Targets (issue 4): p95 <= 30 ms with facets on both engines, semantic part included; >= 20x
faster than the naive baseline; >= 400 requests/s; a worker with 100k offers <= 400 MB.
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

WORDS = [
    "Deutschkurs",
    "Sprachkurs",
    "Integrationskurs",
    "Beratung",
    "Migrationsberatung",
    "Wohnungssuche",
    "Wohnung",
    "Kita",
    "Kindergarten",
    "Krippe",
    "Hausaufgabenhilfe",
    "Nachhilfe",
    "Bewerbungstraining",
    "Arbeit",
    "Ausbildung",
    "Schuldnerberatung",
    "Frauencafé",
    "Elterncafé",
    "Sprachcafé",
    "Fahrradkurs",
    "Schwimmkurs",
    "Fußballtraining",
    "Gesundheit",
    "Arzt",
    "Hebamme",
    "Schwangerschaft",
    "Rechtsberatung",
    "Asyl",
    "Aufenthalt",
    "Anerkennung",
    "Zeugnis",
    "Jobcenter",
    "Einbürgerung",
    "Nähkurs",
    "Computerkurs",
    "Seniorentreff",
    "Jugendtreff",
    "Begegnung",
    "Patenschaft",
    "Dolmetscher",
    "Übersetzung",
    "Familienberatung",
    "Erziehungsberatung",
    "Suchtberatung",
    "Sport",
    "Musik",
    "Kunst",
]
FILLER = [
    "Wir",
    "helfen",
    "Ihnen",
    "gerne",
    "persönlich",
    "und",
    "kostenlos",
    "bei",
    "allen",
    "Fragen",
    "rund",
    "um",
    "das",
    "Thema",
    "im",
    "Kreis",
    "mit",
    "Terminen",
    "nach",
    "Vereinbarung",
    "offene",
    "Sprechstunde",
    "für",
    "Familien",
    "Frauen",
    "Männer",
    "Jugendliche",
    "Kinder",
    "Senioren",
    "Geflüchtete",
    "Zugewanderte",
    "in",
    "einfacher",
    "Sprache",
    "mit",
    "Kinderbetreuung",
    "vor",
    "Ort",
]
QUERIES = [
    {"q": "Deutschkurs"},
    {"q": "Deutschkurs", "town": "herten"},
    {"q": "Beratung Wohnung", "life_area": "wohnen"},
    {"q": "Kita", "town": "marl", "cost": "free"},
    {"q": "Wohnug"},  # typo
    {"q": "Schwimmkurs Kinder", "town": "dorsten"},
    {"q": "Where can I learn German?"},  # English: mostly semantic
    {"q": "Як знайти квартиру?"},  # Ukrainian
    {"q": "Arbeit", "life_area": "arbeit", "town": "herten"},
    {"q": "Migrationsberatung", "near": "45699", "radius_km": "10"},
]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def setup_django(database_url: str, var_dir: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
        DEBUG="0",
        WEGWEISER_VAR_DIR=var_dir,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
    )
    import django

    django.setup()


def generate(n: int, seed: int = 4) -> None:
    """N published offers with locations, life areas, target groups, languages; bulk indexed."""
    import numpy as np
    from django.conf import settings
    from django.db import transaction

    from wegweiser.accounts.models import Organisation
    from wegweiser.core.models import Language, LifeArea, Municipality, TargetGroup
    from wegweiser.core.services import district_load, vocabulary_load
    from wegweiser.offers.models import Location, Offer, OfferLocation
    from wegweiser.offers.search import _all_offers
    from wegweiser.search.embeddings import DIMENSIONS
    from wegweiser.search.services import documents_bulk_index, synonyms_load_defaults

    rng = random.Random(seed)
    vectors_rng = np.random.default_rng(seed)
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()
    synonyms_load_defaults()
    towns = list(Municipality.objects.all())
    areas = list(LifeArea.objects.all())
    groups = list(TargetGroup.objects.all())
    languages = list(Language.objects.all())
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [Organisation(name=f"Träger {i}", kind="club") for i in range(200)]
        )
        locations = Location.objects.bulk_create(
            [
                Location(
                    organisation=organisations[i % len(organisations)],
                    name=f"Standort {i}",
                    municipality=(town := towns[i % len(towns)]),
                    postcode=(town.postcodes or [""])[0],
                    latitude=round(float(town.latitude) + rng.uniform(-0.03, 0.03), 6),
                    longitude=round(float(town.longitude) + rng.uniform(-0.05, 0.05), 6),
                )
                for i in range(2000)
            ]
        )
        started = time.monotonic()
        for start in range(0, n, 5000):
            offers = Offer.objects.bulk_create(
                [
                    Offer(
                        organisation=organisations[i % len(organisations)],
                        name=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
                        summary=" ".join(rng.sample(WORDS, 3) + rng.sample(FILLER, 6)),
                        description=" ".join(rng.sample(WORDS, 5) + rng.sample(FILLER, 25)),
                        cost=rng.choice(["free", "free", "fee", "reduced"]),
                        is_published=True,
                        source_system="bench",
                        source_id=f"bench-{i}",
                    )
                    for i in range(start, min(n, start + 5000))
                ]
            )
            Offer.life_areas.through.objects.bulk_create(
                [
                    Offer.life_areas.through(offer_id=o.pk, lifearea_id=a.pk)
                    for o in offers
                    for a in rng.sample(areas, 2)
                ]
            )
            Offer.target_groups.through.objects.bulk_create(
                [
                    Offer.target_groups.through(offer_id=o.pk, targetgroup_id=g.pk)
                    for o in offers
                    for g in rng.sample(groups, min(2, len(groups)))
                ]
            )
            Offer.languages.through.objects.bulk_create(
                [
                    Offer.languages.through(offer_id=o.pk, language_id=lang.pk)
                    for o in offers
                    for lang in rng.sample(languages, min(2, len(languages)))
                ]
            )
            OfferLocation.objects.bulk_create(
                [OfferLocation(offer=o, location=rng.choice(locations)) for o in offers]
            )
        inserted = time.monotonic()

        def synthetic(texts: list[str]) -> list[bytes]:
            v = vectors_rng.standard_normal((len(texts), DIMENSIONS)).astype(np.float32)
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            return [row.tobytes() for row in v]

        def progress(done: int) -> None:
            if done % 20000 == 0:
                print(f"  indexed {done}", flush=True)

        documents_bulk_index(_all_offers(), vectors=synthetic, progress=progress)
    indexed = time.monotonic()
    print(
        f"  {n} offers inserted in {inserted - started:.0f} s, "
        f"indexed (bulk, synthetic vectors) in {indexed - inserted:.0f} s",
        flush=True,
    )


def add_title_passages(seed: int = 5) -> int:
    """A database cached before title passages existed (ADR 0009 addendum) gets them, with
    synthetic vectors, as `documents_bulk_index` writes them today: one per document with body
    passages. Returns how many were added (0 for a database built with them)."""
    import numpy as np
    from django.db import transaction

    from wegweiser.search import embeddings
    from wegweiser.search.models import SearchDocument, SearchPassage

    missing = SearchDocument.objects.exclude(passages__is_title=True).values_list("pk", "title")
    rng = np.random.default_rng(seed)
    added = 0
    batch = []
    with transaction.atomic():
        for pk, title in missing.iterator(chunk_size=5000):
            vector = rng.standard_normal(embeddings.DIMENSIONS).astype(np.float32)
            vector /= np.linalg.norm(vector)
            batch.append(
                SearchPassage(
                    document_id=pk,
                    position=10_000,  # after the body passages; a real index puts it first
                    is_title=True,
                    text=title,
                    text_hash=embeddings.text_hash(title),
                    vector=vector.tobytes(),
                )
            )
            if len(batch) >= 5000:
                SearchPassage.objects.bulk_create(batch)
                added += len(batch)
                batch.clear()
        SearchPassage.objects.bulk_create(batch)
        added += len(batch)
        if added:
            embeddings.generation_bump()
    return added


def naive(params: dict) -> None:
    """What a naive search does: icontains on every word, same filters, count + first page."""
    from django.db.models import Q

    from wegweiser.offers.models import Offer

    qs = Offer.objects.filter(is_published=True)
    for word in params["q"].split():
        word = re.sub(r"[^\w]", "", word)
        if word:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(summary__icontains=word)
                | Q(description__icontains=word)
            )
    if "town" in params:
        qs = qs.filter(locations__municipality__slug=params["town"])
    if "life_area" in params:
        qs = qs.filter(life_areas__slug=params["life_area"])
    qs = qs.distinct()
    qs.count()
    list(qs.order_by("name")[:10])


def naive_with_facets(params: dict) -> None:
    """The same answer as the API, done naively: `naive` with every filter of the request (cost
    and the radius too) plus the facet counts the API returns, by a GROUP BY or a count per
    facet; each facet with all other filters applied, as the API counts them."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from wegweiser.offers.constants import ACCESSIBILITY_FEATURES, ScheduleKind
    from wegweiser.offers.models import Offer
    from wegweiser.search import geo

    filters: dict[str, Q] = {}
    words = [re.sub(r"[^\w]", "", word) for word in params["q"].split()]
    for number, word in enumerate(w for w in words if w):
        filters[f"q{number}"] = (
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    if "town" in params:
        filters["town"] = Q(locations__municipality__slug=params["town"])
    if "life_area" in params:
        filters["life_area"] = Q(life_areas__slug=params["life_area"])
    if "cost" in params:
        filters["cost"] = Q(cost=params["cost"])
    if "near" in params and params.get("radius_km"):
        place = geo.place_from_text(params["near"])
        if place is not None:
            km = float(params["radius_km"])
            lat, lon = float(place.latitude), float(place.longitude)
            dlat, dlon = km / 111.0, km / (111.0 * max(0.1, math.cos(math.radians(lat))))
            filters["near"] = Q(
                locations__latitude__range=(lat - dlat, lat + dlat),
                locations__longitude__range=(lon - dlon, lon + dlon),
            )

    def matching(skip: str = ""):
        qs = Offer.objects.filter(is_published=True).exclude(status="inactive")
        for name, condition in filters.items():
            if name != skip:
                qs = qs.filter(condition)
        return qs.distinct()

    qs = matching()
    qs.count()
    list(qs.order_by("name")[:10])
    for facet, field in (
        ("life_area", "life_areas__slug"),
        ("target_group", "target_groups__slug"),
        ("language", "languages__code"),
        ("town", "locations__municipality__slug"),
        ("cost", "cost"),
    ):
        list(matching(facet).order_by().values(field).annotate(n=Count("pk", distinct=True)))
    for feature in ACCESSIBILITY_FEATURES:
        matching().filter(**{f"locations__{feature}": True}).count()
    matching().filter(is_online=True).count()
    now = timezone.localtime()
    matching().filter(
        schedules__kind=ScheduleKind.WEEKLY,
        schedules__weekday=now.weekday(),
        schedules__opens_at__lte=now.time(),
        schedules__closes_at__gt=now.time(),
    ).count()


def pss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def snapshots() -> dict:
    """Build the in-memory snapshots once, timed (what the first search after a change costs)."""
    import numpy as np

    from wegweiser.offers import facets
    from wegweiser.search import embeddings, snapshot

    t0 = time.perf_counter()
    lexical = snapshot.build(None)
    t1 = time.perf_counter()
    arrays = facets.build(None)
    t2 = time.perf_counter()
    vectors = embeddings._load_index("offer", None)
    t3 = time.perf_counter()
    figures = {
        "build_lexical_s": round(t1 - t0, 2),
        "build_facets_s": round(t2 - t1, 2),
        "build_vectors_s": round(t3 - t2, 2),
        "postings": int(sum(k.documents.size for k in lexical.kinds.values())),
        "passages": len(vectors),
        "ivf_lists": 0 if vectors.centroids is None else len(vectors.centroids),
        "offers_in_arrays": arrays.size,
    }
    del lexical, arrays
    # Synthetic vectors are uniform noise (no neighbourhoods, the worst case for IVF);
    # real embeddings form clusters. Recall on a clustered set of the same size as well:
    rng = np.random.default_rng(2)
    centres = rng.standard_normal((1000, embeddings.DIMENSIONS)).astype(np.float32)
    clustered = centres[rng.integers(0, 1000, len(vectors))]
    clustered += 0.5 * rng.standard_normal(clustered.shape).astype(np.float32)
    clustered /= np.linalg.norm(clustered, axis=1, keepdims=True)
    clustered_index = embeddings.VectorIndex(
        None,
        [str(i) for i in range(len(vectors))],
        np.arange(len(vectors), dtype=np.int32),
        clustered.astype(np.float16),
    )
    clustered_index.cluster()
    probes = clustered[rng.choice(len(vectors), 20, replace=False)]
    probes += 0.3 * rng.standard_normal(probes.shape).astype(np.float32)
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    del clustered
    for probe in (8, 16, 32):
        figures[f"ivf_recall@10_probe{probe}_clustered"] = round(
            embeddings.ivf_recall(clustered_index, probes, limit=10, probe=probe), 3
        )
    del clustered_index
    if vectors.centroids is not None:
        rng = np.random.default_rng(1)
        own = vectors.vectors[rng.choice(len(vectors), 20, replace=False)].astype(np.float32)
        real = [embeddings.embed_query(p["q"]) for p in QUERIES]
        real = [q for q in real if q is not None]
        for probe in (8, 16, 32):
            figures[f"ivf_recall@100_probe{probe}_real_queries"] = round(
                embeddings.ivf_recall(vectors, real, limit=100, probe=probe), 3
            )
            figures[f"ivf_recall@10_probe{probe}_passage_queries"] = round(
                embeddings.ivf_recall(vectors, own, limit=10, probe=probe), 3
            )
    return figures


def forget_words() -> None:
    """What the search keeps of the words it was asked (ADR 0011): each word's expansions,
    typo candidates, its terms' saturation, its best expansion per document, and which text
    words a snippet marks. Forgotten for the "new query" figures: words never asked before."""
    from wegweiser.search import snapshot, snippets

    snap = snapshot.current()
    snap.expansions.clear()
    snap._typos.clear()
    for index in snap.kinds.values():
        index._saturation.clear()
        index._words.clear()
    snippets._marked.cache_clear()


def measure(repeat: int) -> dict:
    from django.test import Client

    from wegweiser.api import views

    default_cache = views.RESPONSE_CACHE_SIZE
    views.RESPONSE_CACHE_SIZE = 0  # the search itself first; the response cache further down
    client = Client()
    started = time.perf_counter()
    client.get("/api/v1/search", QUERIES[0])
    first_request = time.perf_counter() - started
    for params in QUERIES:  # warm-up: vector matrix, model, caches
        response = client.get("/api/v1/search", params)
        assert response.status_code == 200, response.content
    ours: list[float] = []
    per_query = {}
    for params in QUERIES:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            response = client.get("/api/v1/search", params)
            times.append(time.perf_counter() - t0)
            assert response.status_code == 200
        ours += times
        per_query[json.dumps(params, ensure_ascii=False)] = (
            percentile(times, 50) * 1000,
            response.json()["count"],
        )
    # The same queries as if asked for the first time: the model embeds the query again
    # (8-25 ms, about 1 ms per token; above it comes from the per-process query vector cache),
    # and nothing kept of their words is used (forget_words).
    from wegweiser.search import embeddings

    new: list[float] = []
    for params in QUERIES:
        for _ in range(repeat):
            embeddings.embed_query.cache_clear()
            embeddings.query_language.cache_clear()
            forget_words()
            t0 = time.perf_counter()
            client.get("/api/v1/search", params)
            new.append(time.perf_counter() - t0)
    # The same queries answered by the per-process response cache (api.views, on by default).
    views.RESPONSE_CACHE_SIZE = default_cache or 512
    cached: list[float] = []
    for params in QUERIES:
        client.get("/api/v1/search", params)
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get("/api/v1/search", params)
            cached.append(time.perf_counter() - t0)
    views.RESPONSE_CACHE_SIZE = 0
    views._responses.clear()
    baselines: dict[Callable, list[float]] = {naive: [], naive_with_facets: []}
    for search, times in baselines.items():
        for params in QUERIES:
            for _ in range(max(3, repeat // 5)):
                t0 = time.perf_counter()
                search(params)
                times.append(time.perf_counter() - t0)
    baseline, baseline_facets = baselines[naive], baselines[naive_with_facets]
    return {
        "first_request_s": round(first_request, 2),
        "ours_p50": percentile(ours, 50) * 1000,
        "ours_p95": percentile(ours, 95) * 1000,
        "new_query_p50": percentile(new, 50) * 1000,
        "new_query_p95": percentile(new, 95) * 1000,
        "cached_p50": percentile(cached, 50) * 1000,
        "cached_p95": percentile(cached, 95) * 1000,
        "naive_p50": percentile(baseline, 50) * 1000,
        "naive_p95": percentile(baseline, 95) * 1000,
        "naive_facets_p50": percentile(baseline_facets, 50) * 1000,
        "naive_facets_p95": percentile(baseline_facets, 95) * 1000,
        "rss_mb": rss_mb(),
        "pss_mb": pss_mb(),
        "per_query": per_query,
    }


def measure_after_save(rounds: int = 3) -> dict:
    """An editor saves an offer: how long the save takes, the next search (the snapshots are
    out of date) and until every snapshot is current again – with the snapshots rebuilt in
    the request that finds them outdated, and with slow builds done in the background while
    the older snapshots answer (tokens.TokenCache, the default)."""
    from django.conf import settings
    from django.test import Client

    from wegweiser.offers.models import Offer
    from wegweiser.offers.services import offer_update
    from wegweiser.search import tokens

    client = Client()
    published = Offer.objects.filter(is_published=True).order_by("pk")
    offer = published[min(500, published.count() - 1)]  # --offers below 500 too
    default = tokens.background_build_seconds()
    figures = {}
    for mode, seconds in (("in_request", None), ("background", default)):
        settings.SEARCH_BACKGROUND_BUILD_SECONDS = seconds
        saves, searches, current = [], [], []
        for i in range(rounds):
            client.get("/api/v1/search", QUERIES[1])  # every snapshot current
            tokens.join_all()
            t0 = time.perf_counter()
            offer_update(offer=offer, summary=f"Beratung und Deutschkurs ({mode}, {i})")
            saved = time.perf_counter()
            client.get("/api/v1/search", QUERIES[1])
            searched = time.perf_counter()
            tokens.join_all()
            saves.append(saved - t0)
            searches.append(searched - saved)
            current.append(time.perf_counter() - saved)
        figures[mode] = {
            "save_s": round(statistics.median(saves), 2),
            "next_search_ms": round(statistics.median(searches) * 1000, 1),
            "all_current_s": round(statistics.median(current), 2),
        }
    settings.SEARCH_BACKGROUND_BUILD_SECONDS = default
    return figures


# The public search page (HTML, what a newcomer's phone loads) at the same scale.
PAGES = [
    "/de/angebote/",
    "/de/angebote/?town=herten",
    "/de/angebote/?q=Deutschkurs&town=herten",
    "/ar/angebote/?q=Kita",
    "/de/angebote/?q=Xylophonbau",  # nothing found: the help on an empty result page
]


def measure_pages(repeat: int) -> dict:
    from django.test import Client

    client = Client()
    figures = {}
    for path in PAGES:
        assert client.get(path).status_code == 200, path
        times = []
        for _ in range(max(5, repeat // 2)):
            t0 = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - t0)
        figures[path] = (
            round(percentile(times, 50) * 1000, 1),
            round(percentile(times, 95) * 1000, 1),
        )
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def query_mix(distinct: int = 1000, requests: int = 20_000, seed: int = 6) -> list[dict]:
    """A day's long tail: `distinct` different queries (single words, words with a town, two
    words, typos), requested with Zipf-like frequencies (the k-th most popular 1/k as often)."""
    from wegweiser.core.models import Municipality

    rng = random.Random(seed)
    towns = list(Municipality.objects.values_list("slug", flat=True))
    pool = [{"q": w} for w in WORDS] + [{"q": w, "town": t} for w in WORDS for t in towns]
    pool += [{"q": w[: len(w) // 2] + w[len(w) // 2 + 1 :]} for w in WORDS]  # typos
    while len(pool) < distinct:
        pool.append({"q": " ".join(rng.sample(WORDS, 2)), "town": rng.choice(towns)})
    pool = pool[:distinct]
    rng.shuffle(pool)
    weights = [1 / rank for rank in range(1, len(pool) + 1)]
    return rng.choices(pool, weights=weights, k=requests)


def wrk_run(
    database_url: str,
    var_dir: str,
    seconds: int,
    extra_env: dict | None = None,
    queries: list[dict] | None = None,
) -> dict | None:
    wrk = shutil.which("wrk")
    if not wrk:
        print("  wrk not installed (Debian package wrk; --install-wrk): requests/s skipped")
        return None
    port = free_port()
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
        DEBUG="0",
        WEGWEISER_VAR_DIR=var_dir,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT / "src"),
        **(extra_env or {}),
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "wegweiser.wsgi",
            "--config",
            "python:wegweiser.ops.gunicorn",  # as deployed: snapshots built before serving
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        import urllib.request
        from urllib.parse import urlencode

        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/api/v1/search?q=Kita", timeout=5).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        paths = [f"/api/v1/search?{urlencode(p)}" for p in QUERIES]
        for _ in range(3):  # warm both workers (snapshots, query vectors)
            for path in paths:
                urllib.request.urlopen(base + path, timeout=60).read()  # noqa: S310
        if queries is not None:
            paths = [f"/api/v1/search?{urlencode(p)}" for p in queries]
        script = Path(var_dir) / "paths.lua"
        script.write_text(
            "local paths = {"
            + ",".join(json.dumps(p) for p in paths)
            + "}\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n"
            "  return wrk.format(nil, paths[i])\nend\n"
        )
        output = subprocess.run(
            [wrk, "-t2", "-c8", f"-d{seconds}s", "-s", str(script), base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        latency = re.search(r"Latency\s+(\S+)", output).group(1)
        workers = [
            int(pid)
            for pid in subprocess.run(
                ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        return {
            "rps": rps,
            "mean_latency": latency,
            "worker_rss_mb": [round(rss_mb(pid)) for pid in workers],
            "worker_pss_mb": [round(pss_mb(pid)) for pid in workers],
        }
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _pg(tool: str, arguments: list[str]) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from with_postgres import pg_bin

    subprocess.run([pg_bin(tool), *arguments], check=True)


def run_engine(args) -> None:
    var_dir = args.existing or tempfile.mkdtemp(prefix="wegweiser-speed-")
    database_url = os.environ.get("DATABASE_URL") if args.engine == "postgresql" else None
    database_url = database_url or f"sqlite:///{var_dir}/speed.sqlite3"
    setup_django(database_url, var_dir)
    from django.core.management import call_command
    from django.db import connection

    cache = Path(args.db_cache) if args.db_cache else None
    cached_file = None
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        suffix = "sqlite3" if connection.vendor == "sqlite" else "pgdump"
        cached_file = cache / f"speed-{args.offers}.{suffix}"
    restored = False
    if cached_file is not None and cached_file.exists() and not args.existing:
        t0 = time.monotonic()
        connection.close()
        if connection.vendor == "sqlite":
            shutil.copyfile(cached_file, f"{var_dir}/speed.sqlite3")
        else:
            _pg("pg_restore", ["--no-owner", "-j", "2", "-d", database_url, str(cached_file)])
        restored = True
        print(f"  restored {cached_file} in {time.monotonic() - t0:.0f} s", flush=True)
    call_command("migrate", verbosity=0)
    if args.existing:
        print(f"[{connection.vendor}] measuring the existing database in {var_dir}", flush=True)
    elif restored:
        print(f"[{connection.vendor}] measuring the cached database", flush=True)
    if args.existing or restored:
        added = add_title_passages()
        if added:
            print(f"  added {added} title passages (database cached before they existed)")
    else:
        print(f"[{connection.vendor}] generating {args.offers} offers ...", flush=True)
        generate(args.offers)
        if cached_file is not None:
            connection.close()
            if connection.vendor == "sqlite":
                shutil.copyfile(f"{var_dir}/speed.sqlite3", cached_file)
            else:
                _pg("pg_dump", ["-Fc", "-f", str(cached_file), database_url])
            print(f"  kept the database in {cached_file} (--db-cache)", flush=True)
    if args.generate_only:
        return
    if connection.vendor == "postgresql":
        # VACUUM too: after a restore or a bulk insert, autovacuum would otherwise vacuum the
        # new tables (9 million postings) while the measurements run, as no long-running
        # database does.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    figures = measure(args.repeat)
    figures["pages_p50_p95_ms"] = measure_pages(args.repeat)
    figures["after_save"] = measure_after_save()
    figures.update(snapshots())
    figures["loadavg"] = [round(x, 1) for x in os.getloadavg()]
    figures["engine"] = connection.vendor
    figures["offers"] = args.offers
    if args.wrk:
        no_cache = {"WEGWEISER_SEARCH_RESPONSE_CACHE": "0"}
        figures["wrk"] = wrk_run(database_url, var_dir, args.wrk_seconds, no_cache)
    if args.wrk and args.wrk_cache:
        # The response cache as configured by default: the ten typical queries again, and a
        # long tail of 1,000 different queries with Zipf-like frequencies.
        figures["wrk_response_cache"] = wrk_run(database_url, var_dir, args.wrk_seconds)
        figures["wrk_response_cache_mix"] = wrk_run(
            database_url, var_dir, args.wrk_seconds, queries=query_mix()
        )
    print(json.dumps(figures, ensure_ascii=False, indent=1), flush=True)
    print("RESULT " + json.dumps(figures, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--wrk", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--wrk-seconds", type=int, default=15)
    parser.add_argument(
        "--wrk-cache",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="wrk runs with the response cache (on by default): typical queries, a long tail",
    )
    parser.add_argument(
        "--existing", metavar="DIR", help="SQLite: measure the database a previous run left in DIR"
    )
    parser.add_argument(
        "--db-cache",
        metavar="DIR",
        help="keep the generated database in DIR (SQLite file, pg_dump) and reuse it next time",
    )
    parser.add_argument("--generate-only", action="store_true", help="build (and cache), no timing")
    parser.add_argument("--install-wrk", action="store_true", help="apt-get install wrk first")
    args = parser.parse_args()
    if args.install_wrk:
        subprocess.run([str(ROOT / "scripts" / "ensure_system_packages.sh"), "wrk"], check=True)
    if args.engine:
        run_engine(args)
        return
    common = [
        f"--offers={args.offers}",
        f"--repeat={args.repeat}",
        f"--wrk-seconds={args.wrk_seconds}",
    ]
    common.append("--wrk" if args.wrk else "--no-wrk")
    if args.db_cache:
        common.append(f"--db-cache={args.db_cache}")
    common.append("--wrk-cache" if args.wrk_cache else "--no-wrk-cache")
    results = []
    for engine, prefix in [
        ("sqlite", []),
        ("postgresql", [PYTHON, str(ROOT / "scripts" / "with_postgres.py"), "--"]),
    ]:
        output = subprocess.run(
            [*prefix, PYTHON, __file__, f"--engine={engine}", *common],
            capture_output=True,
            text=True,
        )
        sys.stdout.write(output.stdout[-4000:])
        sys.stderr.write(output.stderr[-4000:])
        results += [
            json.loads(line[7:])
            for line in output.stdout.splitlines()
            if line.startswith("RESULT ")
        ]
    print(
        "\n| engine | offers | p50 ms | p95 ms | new query p50 / p95 ms | naive p50 / p95 ms "
        "| speed-up (p50) | naive with facets p50 / p95 ms | speed-up (p50) | RSS MB "
        "| req/s no cache | req/s cache (typical) | req/s cache (long tail) | worker RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        w = r.get("wrk") or {}
        hot = r.get("wrk_response_cache") or {}
        tail = r.get("wrk_response_cache_mix") or {}
        print(
            f"| {r['engine']} | {r['offers']} | {r['ours_p50']:.1f} | {r['ours_p95']:.1f} | "
            f"{r['new_query_p50']:.1f} / {r['new_query_p95']:.1f} | "
            f"{r['naive_p50']:.1f} / {r['naive_p95']:.1f} | {r['naive_p50'] / r['ours_p50']:.1f}× | "
            f"{r['naive_facets_p50']:.1f} / {r['naive_facets_p95']:.1f} | "
            f"{r['naive_facets_p50'] / r['ours_p50']:.1f}× | "
            f"{r['rss_mb']:.0f} | {w.get('rps', '–')} | {hot.get('rps', '–')} | "
            f"{tail.get('rps', '–')} | {tail.get('worker_rss_mb', w.get('worker_rss_mb', '–'))} |"
        )


if __name__ == "__main__":
    main()
