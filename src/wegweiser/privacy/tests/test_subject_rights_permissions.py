"""Role × URL matrix of the data-subject-rights pages (collected by test_permissions.py)."""

import pytest
from django.utils import timezone

from wegweiser.accounts.constants import Role
from wegweiser.accounts.tests.factories import UserFactory
from wegweiser.core.tests.matrix import MatrixRow, matrix_id, matrix_params, run_matrix
from wegweiser.privacy.models import LegalHold
from wegweiser.privacy.services import request_create

ADMIN = {Role.ADMIN: 200}
HANDLERS = {Role.ADMIN: 200, Role.KIM_COORDINATOR: 200}


def _dsr(o):
    return {"uuid": o["dsr"].uuid}


# A request about a staff account: admins see it; the KIM coordinator may open the pages but
# gets 404 for it (out of scope: the coordinator handles requests about case persons only).
SUBJECT_RIGHTS_MATRIX = [
    MatrixRow("backoffice:privacy-request-list", HANDLERS),
    MatrixRow("backoffice:privacy-request-create", HANDLERS),
    MatrixRow("backoffice:privacy-request-detail", ADMIN, kwargs=_dsr),
    MatrixRow("backoffice:privacy-request-export-json", ADMIN, kwargs=_dsr),
    MatrixRow("backoffice:privacy-request-export-pdf", ADMIN, kwargs=_dsr),
    MatrixRow(
        "backoffice:privacy-request-action",
        {Role.ADMIN: 302},
        method="post",
        kwargs=_dsr,
        data={"action": "in_progress"},
    ),
    MatrixRow("backoffice:privacy-legal-holds", ADMIN),
    MatrixRow(
        "backoffice:privacy-legal-hold-end",
        {Role.ADMIN: 302},
        method="post",
        kwargs=lambda o: {"uuid": o["hold"].uuid},
    ),
    MatrixRow("backoffice:privacy-records", ADMIN),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(SUBJECT_RIGHTS_MATRIX), ids=matrix_id)
def test_subject_rights_permission_matrix(row, role, make_member, login, org_a):
    subject = UserFactory(full_name="Erika Mustermann")
    objects = {
        "hold": LegalHold.objects.create(
            subject_type="accounts.user",
            subject_id=str(subject.uuid),
            reason="Verfahren",
            until=timezone.localdate(),
        ),
        "dsr": request_create(
            actor=None, kind="access", subject_type="accounts.user", subject_id=str(subject.uuid)
        ),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
