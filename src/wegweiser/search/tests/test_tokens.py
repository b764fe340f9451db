"""TokenCache: a value per change token; slow builds are redone in the background."""

import threading
import time

import pytest

from wegweiser.search import tokens


class Builds:
    """A build function that records its calls and can be held back or made to fail."""

    def __init__(self):
        self.calls = []
        self.release = threading.Event()
        self.release.set()
        self.fail = False
        self.seconds = []  # how long the next builds take

    def __call__(self, token, key, previous):
        self.calls.append((token, previous))
        time.sleep(self.seconds.pop(0) if self.seconds else 0)
        self.release.wait(10)
        if self.fail:
            raise RuntimeError("the database went away")
        return f"value of {token}"


@pytest.fixture
def slow(settings):
    settings.SEARCH_BACKGROUND_BUILD_SECONDS = 0.0  # every build counts as slow


def test_without_the_setting_every_change_is_built_in_the_request(settings):
    settings.SEARCH_BACKGROUND_BUILD_SECONDS = None
    builds = Builds()
    cache = tokens.TokenCache(builds)
    assert cache.get(1) == "value of 1"
    assert cache.get(1) == "value of 1"
    assert cache.get(2) == "value of 2"
    assert builds.calls == [(1, None), (2, "value of 1")]


def test_after_a_slow_build_the_old_value_answers_while_the_new_one_is_built(slow):
    builds = Builds()
    cache = tokens.TokenCache(builds)
    assert cache.get(1) == "value of 1"  # nothing to answer with yet: built in the request
    builds.release.clear()  # the next build takes its time
    assert cache.get(2) == "value of 1"
    assert cache.get(2) == "value of 1"  # still building: one build, not one per request
    builds.release.set()
    cache.join()
    assert cache.get(2) == "value of 2"
    assert builds.calls == [(1, None), (2, "value of 1")]


def test_once_a_build_was_slow_a_quick_one_does_not_make_the_next_wait(settings):
    # A full build is slow, the delta builds after it are quick: every later change is still
    # built in the background, not in the request after one quick build.
    settings.SEARCH_BACKGROUND_BUILD_SECONDS = 0.05
    builds = Builds()
    builds.seconds = [0.1, 0.0]
    cache = tokens.TokenCache(builds)
    cache.get(1)
    assert cache.get(2) == "value of 1"  # the first build was slow
    cache.join()
    assert cache.get(2) == "value of 2"  # built quickly, in the background
    builds.release.clear()
    assert cache.get(3) == "value of 2"  # answered at once, though the last build was quick
    builds.release.set()
    cache.join()
    assert cache.get(3) == "value of 3"


def test_a_failed_background_build_is_redone_in_the_next_request(slow, caplog):
    builds = Builds()
    cache = tokens.TokenCache(builds)
    cache.get(1)
    builds.fail = True
    assert cache.get(2) == "value of 1"
    cache.join()
    assert "background build failed" in caplog.text
    with pytest.raises(RuntimeError):  # built in the request now: the error is seen
        cache.get(2)
    builds.fail = False
    assert cache.get(2) == "value of 2"


@pytest.mark.django_db
def test_inside_a_transaction_the_new_value_is_waited_for(slow):
    # A transaction may have written what the search must find (tests run in one, too).
    builds = Builds()
    cache = tokens.TokenCache(builds)
    cache.get(1)
    assert cache.get(2) == "value of 2"


def test_a_build_first_fixes_the_mmap_threshold(monkeypatch):
    import platform

    order = []
    monkeypatch.setattr(tokens, "keep_mmap_threshold", lambda: order.append("threshold"))

    def build(token, key, previous):
        order.append("build")
        return token

    tokens.TokenCache(build).get(1)
    assert order == ["threshold", "build"]
    monkeypatch.undo()
    if platform.libc_ver()[0] == "glibc":
        assert tokens.keep_mmap_threshold() is True


def _token_queries(captured) -> list[str]:
    return [q["sql"] for q in captured if "search_searchgeneration" in q["sql"]]


@pytest.mark.django_db
def test_a_request_reads_the_tokens_once_and_only_when_it_searches(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/de/angebote/", {"q": "Deutschkurs", "town": "herten"})  # builds the caches
    with CaptureQueriesContext(connection) as search:
        assert client.get("/de/angebote/", {"q": "Deutschkurs"}).status_code == 200
    # Before the middleware, one query per cache consulted (about 35 on this page).
    assert len(_token_queries(search.captured_queries)) == 1
    with CaptureQueriesContext(connection) as legal:
        assert client.get("/de/impressum/").status_code == 200
    assert _token_queries(legal.captured_queries) == []


@pytest.mark.django_db
def test_a_token_bumped_in_a_scope_before_the_first_read_is_kept():
    with tokens.tokens_scope():
        tokens.token_bump(tokens.SYNONYMS)
        bumped = tokens.token_read(tokens.SYNONYMS)
        assert bumped == tokens.tokens_read(tokens.SYNONYMS)[tokens.SYNONYMS]
        tokens.token_bump(tokens.LEXICAL)
        assert tokens.token_read(tokens.LEXICAL) == tokens.tokens_read(tokens.LEXICAL)["lexical"]
        assert tokens.token_read(tokens.SYNONYMS) == bumped
