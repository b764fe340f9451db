#!/usr/bin/env python
"""Build src/wegweiser/demo/data/demo-vectors.npz: the embeddings of the demo texts.

    .venv/bin/python scripts/make_demo_vectors.py

Seeds the demo data into a temporary SQLite database, embeds every passage with the bundled
model (`manage.py embed`; several minutes on two cores) and stores the vectors, so that
`make run` can load them instead of computing them. Run it again when the demo texts or the
model change; passages it does not cover are embedded by `manage.py embed` as usual.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="wegweiser-vectors-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="wegweiser.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite3",
        WEGWEISER_VAR_DIR=tmp,
    )
    import django

    django.setup()
    from django.core.management import call_command

    from wegweiser.demo.vectors import VECTORS_FILE, demo_vectors_export

    call_command("migrate", verbosity=0)
    os.environ["WEGWEISER_DEMO_SKIP_VECTORS"] = "1"
    call_command("seed_demo", verbosity=0)
    call_command("embed")
    count = demo_vectors_export()
    print(f"{count} passage vectors written to {VECTORS_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
