"""gunicorn hooks, loaded with `--config python:wegweiser.ops.gunicorn` (deploy/systemd).

A worker builds the search's in-memory snapshots (ADR 0011) before it takes its first request:
otherwise the first search of every new worker – after a start, a reload or the regular
replacement after `--max-requests` – waits for them (about 20 s at 100,000 offers, well under a
second with a few thousand). The other worker serves meanwhile.
"""

import ctypes
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


# glibc's mallopt parameter, and the size from which a block gets its own memory mapping
# (returned to the system when freed). A search's arrays (100,000 offers: under 1 MB) stay
# below it and come from the heap; the large arrays of a snapshot build are above it.
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 1024 * 1024


def keep_mmap_threshold() -> bool:
    """Fix glibc's mmap threshold instead of letting it grow.

    glibc raises the threshold to the size of each large block freed (up to 32 MB), so after
    the first arrays of a snapshot build are freed the next ones come from the heap, which
    keeps much of what they leave behind: at 100,000 offers a warmed worker held 410-420 MB,
    with the threshold fixed 365-375 MB (search latency unchanged). False where the C library
    has no mallopt (not glibc).
    """
    try:
        return bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    except (OSError, AttributeError):
        return False


def post_worker_init(worker) -> None:
    """gunicorn calls this in a new worker before its first request; the worker reports that it
    is alive while the snapshots are built (gunicorn replaces a silent worker after --timeout)."""
    keep_mmap_threshold()
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
