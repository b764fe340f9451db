"""In-process metrics in the Prometheus text exposition format (version 0.0.4).

Numbers live in the memory of one process. Under gunicorn every worker keeps and exposes its own
counters, so a scrape of `/metrics` shows the worker that happened to answer; Prometheus sums
them correctly once each worker is scraped or the series are aggregated with `sum()`. A restart
resets them, which Prometheus' `rate()` handles.

Other apps add their own series, e.g. the search app:

    SEARCH_LATENCY = Histogram("wegweiser_search_duration_seconds", "Search latency.", ["engine"])
    SEARCH_LATENCY.observe(0.031, engine="fts5")
"""

import math
import threading
from collections.abc import Iterable, Sequence

DEFAULT_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_registry: dict[str, "_Metric"] = {}
_registry_lock = threading.Lock()


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _format_labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{name}="{_escape_label(str(value))}"' for name, value in pairs)
    return "{" + inner + "}" if inner else ""


def _format_value(value: float) -> str:
    if value == math.inf:
        return "+Inf"
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


class _Metric:
    kind = ""

    def __init__(self, name: str, documentation: str, labelnames: Sequence[str] = ()) -> None:
        self.name = name
        self.documentation = documentation
        self.labelnames = tuple(labelnames)
        self._lock = threading.Lock()
        with _registry_lock:
            if name in _registry:
                raise ValueError(f"metric {name} is already registered")
            _registry[name] = self

    def _key(self, labels: dict[str, str]) -> tuple[str, ...]:
        if set(labels) != set(self.labelnames):
            raise ValueError(f"{self.name} expects the labels {self.labelnames}")
        return tuple(str(labels[name]) for name in self.labelnames)

    def header(self) -> list[str]:
        return [f"# HELP {self.name} {self.documentation}", f"# TYPE {self.name} {self.kind}"]

    def samples(self) -> list[str]:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError


class Counter(_Metric):
    kind = "counter"

    def __init__(self, name: str, documentation: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, documentation, labelnames)
        self._values: dict[tuple[str, ...], float] = {}

    def inc(self, amount: float = 1.0, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount

    def value(self, **labels: str) -> float:
        with self._lock:
            return self._values.get(self._key(labels), 0.0)

    def samples(self) -> list[str]:
        with self._lock:
            items = sorted(self._values.items())
        return [
            f"{self.name}{_format_labels(zip(self.labelnames, key, strict=True))} {_format_value(v)}"
            for key, v in items
        ]

    def reset(self) -> None:
        with self._lock:
            self._values.clear()


class Histogram(_Metric):
    kind = "histogram"

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str] = (),
        buckets: Sequence[float] = DEFAULT_BUCKETS,
    ) -> None:
        super().__init__(name, documentation, labelnames)
        self.buckets = (*sorted(buckets), math.inf)
        # Per label set: cumulative bucket counts, sum, count.
        self._values: dict[tuple[str, ...], tuple[list[int], float, int]] = {}

    def observe(self, value: float, **labels: str) -> None:
        key = self._key(labels)
        with self._lock:
            counts, total, count = self._values.get(key, ([0] * len(self.buckets), 0.0, 0))
            for index, bound in enumerate(self.buckets):
                if value <= bound:
                    counts[index] += 1
            self._values[key] = (counts, total + value, count + 1)

    def count(self, **labels: str) -> int:
        with self._lock:
            entry = self._values.get(self._key(labels))
        return entry[2] if entry else 0

    def samples(self) -> list[str]:
        with self._lock:
            items = sorted((key, (list(c), s, n)) for key, (c, s, n) in self._values.items())
        lines = []
        for key, (counts, total, count) in items:
            pairs = list(zip(self.labelnames, key, strict=True))
            for bound, bucket_count in zip(self.buckets, counts, strict=True):
                labels = _format_labels([*pairs, ("le", _format_value(bound))])
                lines.append(f"{self.name}_bucket{labels} {bucket_count}")
            lines.append(f"{self.name}_sum{_format_labels(pairs)} {_format_value(total)}")
            lines.append(f"{self.name}_count{_format_labels(pairs)} {count}")
        return lines

    def reset(self) -> None:
        with self._lock:
            self._values.clear()


def exposition() -> str:
    """Every registered metric in the text exposition format."""
    with _registry_lock:
        metrics = list(_registry.values())
    lines: list[str] = []
    for metric in metrics:
        lines.extend(metric.header())
        lines.extend(metric.samples())
    return "\n".join(lines) + "\n"


def reset_all() -> None:
    """Forget every recorded number (tests only)."""
    with _registry_lock:
        metrics = list(_registry.values())
    for metric in metrics:
        metric.reset()


REQUESTS_TOTAL = Counter(
    "wegweiser_http_requests_total",
    "HTTP requests by view name and status class.",
    ["view", "status"],
)
REQUEST_DURATION = Histogram(
    "wegweiser_http_request_duration_seconds",
    "Time from the request entering Django to the response leaving it, by view name.",
    ["view"],
)

# Requests that matched no URL pattern share one label value, so that random paths cannot grow
# the number of series without bound.
UNRESOLVED_VIEW = "unresolved"


def request_observe(*, view: str, status: int, seconds: float) -> None:
    REQUESTS_TOTAL.inc(view=view, status=f"{status // 100}xx")
    REQUEST_DURATION.observe(seconds, view=view)
