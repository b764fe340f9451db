"""schemathesis against /api/openapi.json, in process through the WSGI app (no network).

A bounded number of generated requests per operation; no answer may be a server error or
break the documented schema, status codes or content types.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wegweiser.accounts.tests.factories import OrganisationFactory

from .conftest import make_offer

CALLS = []
MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


@pytest.mark.django_db
def test_openapi_fuzz(district):
    make_offer(OrganisationFactory(), name="Sprachcafé")
    make_offer(OrganisationFactory(), name="Jobcafé", town="marl")
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call()
            CALLS.append(response.status_code)
            case.validate_response(response, checks=CHECKS)

        run()
    assert len(CALLS) >= len(operations)
    assert {200, 400, 404} <= set(CALLS)
