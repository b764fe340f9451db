"""schemathesis against /api/openapi.json, in process through the WSGI app (no network).

A bounded number of generated requests per operation, valid and invalid, derandomised so that
every run sends the same requests; no answer may be a server error or
break the documented schema, status codes or content types.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wegweiser.accounts.tests.factories import OrganisationFactory

from .conftest import make_offer

MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Like Django's test client: the WSGI handler must not close the test's connection
    (and with it the test transaction) at the start and end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_openapi_fuzz(district, keep_test_connection):
    calls = []
    make_offer(OrganisationFactory(), name="Sprachcafé")
    make_offer(OrganisationFactory(), name="Jobcafé", town="marl")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation, mode in [
        (op, mode)
        for op in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    ]:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call()
            calls.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # No invalid request exists for this operation (e.g. free-text parameters only).
            assert mode == GenerationMode.NEGATIVE
    assert len(calls) >= len(operations)
    assert {200, 400, 404} <= set(calls)
