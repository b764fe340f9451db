"""gunicorn hooks, loaded with `--config python:wegweiser.ops.gunicorn` (deploy/systemd).

A worker builds the search's in-memory snapshots (ADR 0011) before it takes its first request:
otherwise the first search of every new worker – after a start, a reload or the regular
replacement after `--max-requests` – waits for them (about 20 s at 100,000 offers, well under a
second with a few thousand). The other worker serves meanwhile.
"""

import logging
import threading

logger = logging.getLogger(__name__)

# The longest a worker waits for its snapshots before it serves anyway (the build goes on).
WARM_UP_SECONDS = 300


def warm_up() -> None:
    """Build every per-process search snapshot; load the views, the embedding model and the
    language detector."""
    from django.db import connections
    from django.urls import get_resolver

    from wegweiser.offers import facets, search_help
    from wegweiser.search import embeddings, snapshot, tokens

    try:
        get_resolver().check()  # imports the URLconf and every view module (0.2-0.3 s)
        with tokens.tokens_scope():
            snapshot.current()
            facets.offer_arrays()
            search_help.offer_name_index()
            for kind in ("offer", "page"):
                embeddings.has_vectors(kind)
            embeddings.embed_query("Deutschkurs")  # loads the model
            embeddings.query_language("Wo finde ich einen Deutschkurs?")  # and the detector
    finally:
        connections.close_all()  # this thread's connections


def post_worker_init(worker) -> None:
    """gunicorn calls this in a new worker before its first request; the worker reports that it
    is alive while the snapshots are built (gunicorn replaces a silent worker after --timeout)."""
    done = threading.Event()

    def run() -> None:
        try:
            warm_up()
        except Exception:  # the worker serves anyway; its first search builds what is missing
            logger.exception("warm-up of the search snapshots failed")
        finally:
            done.set()

    threading.Thread(target=run, name="search-warm-up", daemon=True).start()
    for _ in range(WARM_UP_SECONDS):
        if done.wait(1.0):
            break
        worker.notify()
