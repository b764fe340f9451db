import pytest

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.core.tests.matrix import MatrixRow, matrix_id, matrix_params, run_matrix

from .consent_factories import PDF_BYTES, make_consent, make_notice, upload

NOTICE_MANAGERS = {Role.ADMIN: 200, Role.KIM_COORDINATOR: 200}
CONSENT_ROLES = {Role.REGISTRATION_CLERK: 200, Role.KIM_COORDINATOR: 200, Role.CASE_MANAGER: 200}

CONSENT_MATRIX = [
    MatrixRow("backoffice:privacy-notice-list", NOTICE_MANAGERS),
    MatrixRow("backoffice:privacy-notice-create", NOTICE_MANAGERS),
    MatrixRow(
        "backoffice:privacy-notice-create",
        {Role.ADMIN: 400, Role.KIM_COORDINATOR: 400},
        method="post",
        data={"key": "bad key!"},
    ),
    MatrixRow(
        "backoffice:privacy-notice-detail",
        NOTICE_MANAGERS,
        kwargs=lambda o: {"pk": o["used_notice"].pk},
    ),
    MatrixRow(
        "backoffice:privacy-notice-update",
        NOTICE_MANAGERS,
        kwargs=lambda o: {"pk": o["free_notice"].pk},
    ),
    # A used notice cannot be edited: back to its page with a message.
    MatrixRow(
        "backoffice:privacy-notice-update",
        {Role.ADMIN: 302, Role.KIM_COORDINATOR: 302},
        kwargs=lambda o: {"pk": o["used_notice"].pk},
    ),
    MatrixRow(
        "backoffice:privacy-notice-copy",
        NOTICE_MANAGERS,
        kwargs=lambda o: {"pk": o["used_notice"].pk},
    ),
    MatrixRow(
        "backoffice:privacy-consent-detail",
        CONSENT_ROLES,
        kwargs=lambda o: {"pk": o["consent"].pk},
    ),
    MatrixRow(
        "backoffice:privacy-consent-evidence",
        CONSENT_ROLES,
        kwargs=lambda o: {"pk": o["consent"].pk, "event": o["event"].uuid},
    ),
    MatrixRow(
        "backoffice:privacy-consent-withdraw",
        dict.fromkeys(CONSENT_ROLES, 302),
        method="post",
        kwargs=lambda o: {"pk": o["consent"].pk},
    ),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(CONSENT_MATRIX), ids=matrix_id)
def test_consent_permission_matrix(row, role, make_member, login, org_a):
    # The consent was recorded by organisation A; its notice names only clubs as recipients.
    used_notice = make_notice(recipient_kinds=(OrganisationKind.CLUB,))
    consent = make_consent(notice=used_notice, organisation=org_a, evidence=upload(PDF_BYTES))
    objects = {
        "used_notice": used_notice,
        "free_notice": make_notice(key="unused", recipient_kinds=(OrganisationKind.CLUB,)),
        "consent": consent,
        "event": consent.events.get(),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
