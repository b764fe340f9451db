"""Imports from the upload page run in a background thread and report their progress.

A large file (the 211 export: two thousand services) takes minutes, longer than a web request
may run (gunicorn's timeout). The page starts the import, then shows a progress bar that reloads
itself until the report is there. Progress and report live in a small JSON file next to the
upload, so every gunicorn worker can answer the progress page. The import itself is one
transaction: if the worker dies half way (restart, crash), nothing is kept, and the page says so
once the progress has not moved for a while.
"""

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from .services import import_offers

logger = logging.getLogger(__name__)

JOB_FILE = "job.json"
# Progress is written every 50 rows; a job that has not moved for this long has died.
STALE_SECONDS = 300


class JobState:
    RUNNING = "running"
    DONE = "done"
    INTERRUPTED = "interrupted"


def _write(folder: Path, **state: Any) -> None:
    # Write and rename, so that a reader never sees half a file.
    target = folder / JOB_FILE
    partial = folder / f"{JOB_FILE}.partial"
    partial.write_text(json.dumps({**state, "updated": time.time()}), encoding="utf-8")
    partial.replace(target)


def import_job_status(folder: Path) -> dict[str, Any] | None:
    """The job's state: running (done, total), done (report) or interrupted; None if none."""
    try:
        state = json.loads((folder / JOB_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if state["state"] == JobState.RUNNING and time.time() - state["updated"] > STALE_SECONDS:
        state["state"] = JobState.INTERRUPTED
    return state


def _run(*, folder: Path, actor_pk: int, background: bool, **options: Any) -> None:
    from wegweiser.accounts.models import User

    try:
        report = import_offers(
            actor=User.objects.get(pk=actor_pk),
            dry_run=False,
            source_system="",
            progress=lambda done, total: _write(
                folder, state=JobState.RUNNING, done=done, total=total
            ),
            **options,
        )
        _write(folder, state=JobState.DONE, report=report.as_dict())
    except Exception:
        if not background:
            raise
        logger.exception("Import job failed")
        _write(folder, state=JobState.INTERRUPTED)
    finally:
        if background:
            connection.close()


def import_job_start(*, actor, folder: Path, **options: Any) -> None:
    """Start the import of an upload (options as for `import_offers`) and return at once.

    With `WEGWEISER_IMPORT_IN_BACKGROUND = False` (the tests) it runs in the request instead.
    """
    _write(folder, state=JobState.RUNNING, done=0, total=0)
    background = getattr(settings, "WEGWEISER_IMPORT_IN_BACKGROUND", True)
    kwargs = {"folder": folder, "actor_pk": actor.pk, "background": background, **options}
    if background:
        threading.Thread(target=_run, kwargs=kwargs, name="wegweiser-import", daemon=True).start()
    else:
        _run(**kwargs)
