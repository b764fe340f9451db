import pytest

from wegweiser.ops import health, metrics


@pytest.fixture(autouse=True)
def _fresh_metrics():
    metrics.reset_all()
    yield
    metrics.reset_all()


@pytest.fixture
def check_registry():
    """Lets a test register checks; the registry is restored afterwards."""
    saved = dict(health._registry)
    yield health
    health._registry.clear()
    health._registry.update(saved)
