import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

from .conftest import make_offer

PUBLIC = dict.fromkeys(ALL_ROLES, 200)

MATRIX = [
    MatrixRow("hsds:openapi", PUBLIC),
    MatrixRow("hsds:root", PUBLIC),
    MatrixRow("hsds:profile", PUBLIC),
    MatrixRow("hsds:services", PUBLIC),
    MatrixRow("hsds:service", PUBLIC, kwargs=lambda o: {"id": str(o["offer"].uuid)}),
    MatrixRow("hsds:organizations", PUBLIC),
    MatrixRow(
        "hsds:organization", PUBLIC, kwargs=lambda o: {"id": str(o["offer"].organisation.uuid)}
    ),
    MatrixRow("hsds:taxonomies", PUBLIC),
    MatrixRow("hsds:taxonomy-terms", PUBLIC),
    MatrixRow("hsds:service-at-locations", PUBLIC),
    MatrixRow("hsds:export-json", PUBLIC),
    MatrixRow("hsds:export-tabular", PUBLIC),
    MatrixRow("hsds:export-xlsx", PUBLIC),
    MatrixRow("hsds:export-ical", PUBLIC),
    MatrixRow("hsds:export-geojson", PUBLIC),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_hsds_permission_matrix(row, role, make_member, login, org_a, district):
    objects = {"offer": make_offer(org_a)}
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
