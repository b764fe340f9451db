import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

PUBLIC = {role: 200 for role in ALL_ROLES}

MATRIX = [
    MatrixRow("core:home", PUBLIC),
    MatrixRow("core:privacy-notice", PUBLIC),
    MatrixRow("core:imprint", PUBLIC),
    MatrixRow("backoffice:dashboard", {"no_role": 404, **{r: 200 for r in ALL_ROLES[2:]}}),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_core_permission_matrix(row, role, make_member, login, org_a, district):
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects={})
