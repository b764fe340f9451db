import pytest

from wegweiser.accounts.constants import Role
from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

from .conftest import make_offer

PUBLIC = dict.fromkeys(ALL_ROLES, 200)
KI_EDITOR = {Role.KI_EDITOR: 200}

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
    MatrixRow("backoffice:import-upload", KI_EDITOR),
    MatrixRow("backoffice:import-upload", {Role.KI_EDITOR: 400}, method="post"),
    # An upload lives in its editor's session only: a token from elsewhere is 404 for everybody.
    MatrixRow("backoffice:import-preview", {}, kwargs=lambda o: {"token": "unknown"}),
    MatrixRow(
        "backoffice:import-preview", {}, method="post", kwargs=lambda o: {"token": "unknown"}
    ),
    MatrixRow("backoffice:import-job", {}, kwargs=lambda o: {"token": "unknown"}),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_hsds_permission_matrix(row, role, make_member, login, org_a, district):
    objects = {"offer": make_offer(org_a)}
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
