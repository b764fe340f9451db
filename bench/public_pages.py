#!/usr/bin/env python
"""Public pages with the 600 demo offers on SQLite: bytes transferred (gzip) and time to first byte.

Runs in a fresh SQLite database under a temporary directory, through Django's WSGI handler (no
network). Baseline from the same run: the imprint page, a nearly static page with the same base
template. Targets (issue 3): each public page under 100 KB transferred, first byte under 100 ms.
"""

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
tmp = tempfile.mkdtemp(prefix="wegweiser-bench-")
os.environ.update(
    DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
    DEBUG="0",
    WEGWEISER_VAR_DIR=tmp,
    DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
    ALLOWED_HOSTS="testserver",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from wegweiser.offers.models import Offer  # noqa: E402

ROUNDS = 30


def measure(client: Client, url: str) -> tuple[float, float, int]:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    body = response.content
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(gzip.compress(body))


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    offer = Offer.objects.filter(is_published=True).order_by("pk").first()
    client = Client()
    pages = {
        "baseline /de/impressum/": "/de/impressum/",
        "home /de/": "/de/",
        "results /de/angebote/": "/de/angebote/",
        "results with query and facets": "/de/angebote/?q=Deutschkurs&town=herten&life_area=sprache",
        "results /ar/angebote/": "/ar/angebote/",
        "detail /de/angebote/<id>/": f"/de/angebote/{offer.uuid}/",
        "good practice": "/de/gute-praxis/",
    }
    print(
        f"{Offer.objects.count()} offers, SQLite, {ROUNDS} requests each, Django test client (in-process)"
    )
    base_p50 = None
    print(f"{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'gzip KB':>8} {'x baseline':>10}")
    for label, url in pages.items():
        p50, p95, size = measure(client, url)
        base_p50 = base_p50 or p50
        flag = "" if p50 < 100 and size < 100 * 1024 else "  <-- over target"
        print(f"{label:38} {p50:8.1f} {p95:8.1f} {size / 1024:8.1f} {p50 / base_p50:10.1f}{flag}")


if __name__ == "__main__":
    main()
