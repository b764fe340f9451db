import pytest

from wegweiser.accounts.constants import Role
from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

PUBLIC = dict.fromkeys(ALL_ROLES, 200)

MATRIX = [
    MatrixRow("core:home", PUBLIC),
    MatrixRow("core:privacy-notice", PUBLIC),
    MatrixRow("core:imprint", PUBLIC),
    MatrixRow("core:accessibility-statement", PUBLIC),
    MatrixRow("backoffice:legal-text-list", {Role.ADMIN: 200}),
    MatrixRow(
        "backoffice:legal-text-edit", {Role.ADMIN: 200}, kwargs=lambda o: {"kind": "imprint"}
    ),
    MatrixRow(
        "backoffice:legal-text-edit",
        {Role.ADMIN: 302},
        method="post",
        kwargs=lambda o: {"kind": "privacy"},
        data={"body": "<p>Verantwortlich: Kreis Beispiel</p>"},
    ),
    MatrixRow("backoffice:dashboard", {"no_role": 404, **dict.fromkeys(ALL_ROLES[2:], 200)}),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_core_permission_matrix(row, role, make_member, login, org_a, district):
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects={})
