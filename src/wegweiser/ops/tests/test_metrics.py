import re

import pytest

from wegweiser.ops import metrics

SAMPLE = re.compile(r'^[a-z_]+(\{([a-z_]+="(?:[^"\\]|\\.)*",?)*\})? [0-9.e+-]+|\+Inf$')


def _samples(text: str) -> dict[str, float]:
    found = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        assert SAMPLE.match(line), line
        name, value = line.rsplit(" ", 1)
        found[name] = float(value)
    return found


@pytest.mark.django_db
def test_requests_are_counted_per_view_and_status_class(client):
    client.get("/healthz")
    client.get("/healthz")
    client.get("/gibt-es-nicht/")
    assert metrics.REQUESTS_TOTAL.value(view="ops:healthz", status="2xx") == 2
    assert metrics.REQUESTS_TOTAL.value(view=metrics.UNRESOLVED_VIEW, status="4xx") == 1
    assert metrics.REQUEST_DURATION.count(view="ops:healthz") == 2


@pytest.mark.django_db
def test_metrics_are_exposed_in_prometheus_text_format(client):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "# TYPE wegweiser_http_requests_total counter" in text
    assert "# TYPE wegweiser_http_request_duration_seconds histogram" in text
    samples = _samples(text)
    assert samples['wegweiser_http_requests_total{view="ops:healthz",status="2xx"}'] == 1
    buckets = [
        value
        for name, value in samples.items()
        if name.startswith('wegweiser_http_request_duration_seconds_bucket{view="ops:healthz"')
    ]
    assert buckets == sorted(buckets)
    assert (
        samples['wegweiser_http_request_duration_seconds_bucket{view="ops:healthz",le="+Inf"}'] == 1
    )
    assert samples['wegweiser_http_request_duration_seconds_count{view="ops:healthz"}'] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote_addr", "headers", "status"),
    [
        ("127.0.0.1", {}, 200),
        ("::1", {}, 200),
        ("10.1.2.3", {}, 404),
        ("192.168.0.7", {}, 404),
        # nginx on the same machine connects from loopback but adds the client's address.
        ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, 404),
        ("127.0.0.1", {"X-Real-IP": "203.0.113.9"}, 404),
    ],
)
def test_metrics_answer_only_loopback_clients(client, remote_addr, headers, status):
    response = client.get("/metrics", REMOTE_ADDR=remote_addr, headers=headers)
    assert response.status_code == status


def test_histogram_buckets_are_cumulative_and_labels_escaped():
    histogram = metrics.Histogram("wegweiser_test_seconds", "Test.", ["view"], buckets=[0.1, 1])
    try:
        histogram.observe(0.05, view='a"b\\c')
        histogram.observe(0.5, view='a"b\\c')
        histogram.observe(3, view='a"b\\c')
        lines = histogram.samples()
        assert lines == [
            'wegweiser_test_seconds_bucket{view="a\\"b\\\\c",le="0.1"} 1',
            'wegweiser_test_seconds_bucket{view="a\\"b\\\\c",le="1"} 2',
            'wegweiser_test_seconds_bucket{view="a\\"b\\\\c",le="+Inf"} 3',
            'wegweiser_test_seconds_sum{view="a\\"b\\\\c"} 3.55',
            'wegweiser_test_seconds_count{view="a\\"b\\\\c"} 3',
        ]
    finally:
        metrics._registry.pop("wegweiser_test_seconds")


def test_metric_names_are_unique_and_labels_checked():
    with pytest.raises(ValueError, match="already registered"):
        metrics.Counter("wegweiser_http_requests_total", "Again.")
    with pytest.raises(ValueError, match="expects the labels"):
        metrics.REQUESTS_TOTAL.inc(view="x")
