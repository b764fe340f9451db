import uuid

import pytest

from wegweiser.core.tests.matrix import ALL_ROLES, MatrixRow, matrix_id, matrix_params, run_matrix

from .factories import make_page

PUBLIC = dict.fromkeys(ALL_ROLES, 200)
NOBODY = dict.fromkeys(ALL_ROLES, 404)

MATRIX = [
    MatrixRow("pages:page-list", PUBLIC),
    MatrixRow("pages:page-detail", PUBLIC, kwargs=lambda o: {"uuid": o["page"].uuid}),
    MatrixRow("pages:page-handout", PUBLIC, kwargs=lambda o: {"uuid": o["page"].uuid}),
]

# Unpublished and unknown pages are not there for anybody, signed in or not.
HIDDEN = [
    MatrixRow("pages:page-detail", NOBODY, kwargs=lambda o: {"uuid": o["draft"].uuid}),
    MatrixRow("pages:page-detail", NOBODY, kwargs=lambda o: {"uuid": uuid.uuid4()}),
    MatrixRow("pages:page-handout", NOBODY, kwargs=lambda o: {"uuid": o["draft"].uuid}),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX + HIDDEN), ids=matrix_id)
def test_pages_permission_matrix(row, role, make_member, login, org_a):
    objects = {
        "page": make_page(slug="wohnen"),
        "draft": make_page(slug="entwurf", is_published=False),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
