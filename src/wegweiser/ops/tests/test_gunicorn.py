"""The gunicorn hook builds the search snapshots before a worker's first request."""

import pytest

from wegweiser.offers import facets
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory
from wegweiser.ops import gunicorn
from wegweiser.search import snapshot, tokens

pytestmark = pytest.mark.django_db(transaction=True)


class Worker:
    def __init__(self):
        self.notified = 0

    def notify(self):
        self.notified += 1


def test_a_new_worker_has_its_snapshots_before_the_first_request(district):
    OfferFactory(name="Nähcafé", locations=[LocationFactory()])
    for cache in tokens.TokenCache.instances:
        cache.clear()
    gunicorn.post_worker_init(Worker())
    current = snapshot._snapshots._values[None]
    assert current.token == tokens.token_read(tokens.LEXICAL)
    assert facets._arrays._values[None].token == tokens.token_read(tokens.OFFERS)
    assert facets._arrays._values[None].value.size == 1


def test_a_slow_warm_up_keeps_the_worker_alive_and_a_failed_one_does_not_stop_it(
    monkeypatch, caplog
):
    import threading

    release = threading.Event()

    def slow():
        release.wait(10)
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(gunicorn, "warm_up", slow)
    worker = Worker()
    threading.Timer(2.5, release.set).start()
    gunicorn.post_worker_init(worker)
    assert worker.notified >= 2
    assert "warm-up of the search snapshots failed" in caplog.text
