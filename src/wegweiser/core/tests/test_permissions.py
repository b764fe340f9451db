import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

PUBLIC = dict.fromkeys(ALL_ROLES, 200)

MATRIX = [
    MatrixRow("core:home", PUBLIC),
    MatrixRow("core:privacy-notice", PUBLIC),
    MatrixRow("core:imprint", PUBLIC),
    MatrixRow("backoffice:dashboard", {"no_role": 404, **dict.fromkeys(ALL_ROLES[2:], 200)}),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_core_permission_matrix(row, role, make_member, login, org_a, district):
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects={})
