import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

EVERYONE = dict.fromkeys(ALL_ROLES, 200)

# The test client's REMOTE_ADDR is 127.0.0.1, so /metrics answers every role here;
# test_views.py shows the 404 for other addresses and for requests through the proxy.
MATRIX = [
    MatrixRow("ops:healthz", EVERYONE),
    MatrixRow("ops:readyz", EVERYONE),
    MatrixRow("ops:metrics", EVERYONE),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_ops_permission_matrix(row, role, make_member, login, org_a):
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects={})


@pytest.mark.django_db
def test_metrics_refuses_a_remote_client(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
