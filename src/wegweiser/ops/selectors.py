"""Reads of the ops app: readiness and metrics. Neither touches personal data."""

from typing import Any

from . import health, metrics


def readiness_get() -> tuple[bool, dict[str, Any]]:
    """Run the registered readiness checks: (ready, JSON-ready report)."""
    ready, checks = health.checks_run()
    return ready, {"status": "ok" if ready else "unavailable", "checks": checks}


def metrics_exposition() -> str:
    """This process's metrics in the Prometheus text format."""
    return metrics.exposition()
