import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

PUBLIC = dict.fromkeys(ALL_ROLES, 200)

MATRIX = [
    MatrixRow("api:search", PUBLIC),
    MatrixRow("api:suggest", PUBLIC),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_api_permission_matrix(row, role, make_member, login, org_a, district):
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects={})
