#!/usr/bin/env python
"""Import the full real Baltimore 211 export (Ohana CSV layout) into a fresh SQLite database.

    .venv/bin/python bench/import_211.py [PATH]    (default: ../shared/data/baltimore-211)

Prints the import report (counts, every rejected row with line and reason) and the timing,
imports a second time to show that nothing is duplicated, and checks that imported services
are found by the search service and listed by the HSDS API. Exits non-zero when a check fails.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# shared/ lies beside the checkout (a worktree one level deeper also finds it).
CANDIDATES = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
DEFAULT = next(
    (c / "data" / "baltimore-211" for c in CANDIDATES if (c / "data" / "baltimore-211").exists()),
    CANDIDATES[0] / "data" / "baltimore-211",
)


def main() -> int:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not source.exists():
        print(f"Export not found: {source}")
        return 2
    database = Path(tempfile.mkdtemp(prefix="wegweiser-211-")) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wegweiser.settings.test")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from wegweiser.core.services import district_load, vocabulary_load
    from wegweiser.hsds.services import import_offers
    from wegweiser.offers.models import Offer
    from wegweiser.search.selectors import search_ranked

    call_command("migrate", verbosity=0)
    district_load(path=settings.WEGWEISER_DISTRICT_FILE)
    vocabulary_load()

    # All or nothing by default: a file with rejected rows imports nothing and lists them.
    strict = import_offers(actor=None, fmt="ohana", path=source)
    print(f"Strict import: {strict.failed or 'complete'}")
    failures = []
    if strict.rejected and (strict.ok or Offer.objects.exists()):
        failures.append("rows were rejected, but the strict import committed something")

    # The editor's decision after reading the reasons: import the other rows.
    started = time.monotonic()
    report = import_offers(actor=None, fmt="ohana", path=source, skip_rejected=True)
    first = time.monotonic() - started
    print(report.as_text())
    print(f"First import (rejected rows skipped): {first:.1f} s")
    if not report.ok or report.created == 0:
        failures.append("the import failed")

    started = time.monotonic()
    again = import_offers(actor=None, fmt="ohana", path=source, skip_rejected=True)
    print(
        f"Second import (idempotency): created {again.created}, updated {again.updated}, "
        f"{time.monotonic() - started:.1f} s"
    )
    if again.created != 0 or Offer.objects.count() != report.created:
        failures.append("the second import created offers again")

    # Findable: the search service ranks a sample of the imported services by their names.
    sample = list(Offer.objects.order_by("pk")[:: max(1, report.created // 50)][:50])
    found = 0
    for offer in sample:
        ranked = {int(pk) for pk, _score in search_ranked(kind="offer", query=offer.name).ranked}
        found += offer.pk in ranked
    print(f"Searchable: {found} of {len(sample)} sampled services found by their name")
    if found < len(sample) * 0.95:
        failures.append("imported services are not searchable")
    body = Client().get("/api/hsds/services", {"per_page": 1}).json()
    print(f"HSDS API lists {body['total_items']} services")
    if body["total_items"] != report.created:
        failures.append("the HSDS API does not list every imported service")
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
