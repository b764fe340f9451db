import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from wegweiser.accounts.constants import Role
from wegweiser.cases import services
from wegweiser.cases.constants import ReferralStatus
from wegweiser.cases.models import Intake, Task
from wegweiser.core.tests.matrix import MatrixRow, matrix_id, matrix_params, run_matrix
from wegweiser.offers.tests.factories import OfferFactory

from .factories import CaseFactory, PersonFactory

CM = {Role.CASE_MANAGER: 200}
CM_POST = {Role.CASE_MANAGER: 302}
CLERK = {Role.REGISTRATION_CLERK: 200}
KIM = {Role.KIM_COORDINATOR: 200}
ANSWER = {Role.PROVIDER_EDITOR: 200, Role.CASE_MANAGER: 200}
ANSWER_POST = {Role.PROVIDER_EDITOR: 302, Role.CASE_MANAGER: 302}


def case_kw(o):
    return {"case_id": o["case"].pk}


MATRIX = [
    MatrixRow("backoffice:case-list", CM),
    MatrixRow("backoffice:case-export", CM),
    MatrixRow("backoffice:intake-list", CLERK),
    MatrixRow("backoffice:intake-create", CLERK),
    MatrixRow("backoffice:intake-import", CLERK),
    MatrixRow("backoffice:intake-distribution", KIM),
    MatrixRow("backoffice:casemanagement-settings", KIM),
    MatrixRow(
        "backoffice:intake-assign",
        {Role.KIM_COORDINATOR: 302},
        method="post",
        kwargs=lambda o: {"intake_id": o["intake"].pk},
    ),
    MatrixRow("backoffice:referral-inbox", ANSWER),
    MatrixRow(
        "backoffice:referral-confirm",
        ANSWER_POST,
        method="post",
        kwargs=lambda o: {"referral_id": o["sent_referral"].pk},
    ),
    MatrixRow(
        "backoffice:task-done",
        ANSWER_POST,
        method="post",
        kwargs=lambda o: {"task_id": o["task"].pk},
    ),
    MatrixRow("backoffice:gap-list", CM),
    MatrixRow("backoffice:gap-report", KIM),
    MatrixRow("backoffice:gap-report-pdf", KIM),
    MatrixRow("backoffice:case-detail", CM, kwargs=case_kw),
    MatrixRow(
        "backoffice:case-status",
        CM_POST,
        method="post",
        kwargs=case_kw,
        data={"status": "first_contact"},
    ),
    MatrixRow("backoffice:case-take-over", CM_POST, method="post", kwargs=case_kw),
    MatrixRow("backoffice:case-transfer", CM_POST, method="post", kwargs=case_kw),
    MatrixRow("backoffice:need-create", CM_POST, method="post", kwargs=case_kw),
    MatrixRow("backoffice:goal-create", CM_POST, method="post", kwargs=case_kw),
    MatrixRow("backoffice:appointment-create", CM_POST, method="post", kwargs=case_kw),
    MatrixRow(
        "backoffice:note-create", CM_POST, method="post", kwargs=case_kw, data={"text": "Notiz"}
    ),
    MatrixRow("backoffice:document-create", CM_POST, method="post", kwargs=case_kw),
    MatrixRow("backoffice:referral-create", CM_POST, method="post", kwargs=case_kw),
    MatrixRow(
        "backoffice:goal-achieve",
        CM_POST,
        method="post",
        kwargs=lambda o: {"case_id": o["case"].pk, "goal_id": o["goal"].pk},
    ),
    MatrixRow(
        "backoffice:note-detail",
        CM,
        kwargs=lambda o: {"case_id": o["case"].pk, "note_id": o["note"].pk},
    ),
    MatrixRow(
        "backoffice:document-download",
        CM,
        kwargs=lambda o: {"case_id": o["case"].pk, "document_id": o["document"].pk},
    ),
    MatrixRow(
        "backoffice:referral-detail",
        CM,
        kwargs=lambda o: {"case_id": o["case"].pk, "referral_id": o["referral"].pk},
    ),
    MatrixRow(
        "backoffice:referral-send",
        CM_POST,
        method="post",
        kwargs=lambda o: {"case_id": o["case"].pk, "referral_id": o["referral"].pk},
    ),
    MatrixRow(
        "backoffice:referral-outcome",
        CM_POST,
        method="post",
        kwargs=lambda o: {"case_id": o["case"].pk, "referral_id": o["referral"].pk},
        data={"outcome": "taken_up"},
    ),
]


@pytest.mark.parametrize(("row", "role"), matrix_params(MATRIX), ids=matrix_id)
def test_cases_permission_matrix(row, role, make_member, login, org_a, grants):
    case = CaseFactory(organisation=org_a)  # not taken over: every case manager of A sees it
    author = make_member(Role.CASE_MANAGER, org_a)
    offer = OfferFactory(organisation=org_a)
    referral = services.referral_create(actor=None, case=case, offer=offer)
    sent_referral = services.referral_create(actor=None, case=case, offer=offer)
    sent_referral.status = ReferralStatus.SENT
    sent_referral.save(update_fields=["status"])
    person = PersonFactory()
    objects = {
        "case": case,
        "note": services.note_add(actor=author, case=case, text="offen", confidential=False),
        "document": services.document_add(
            actor=None,
            case=case,
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
            title="Bescheid",
        ),
        "referral": referral,
        "goal": services.goal_add(actor=None, case=case, description="Ziel"),
        "sent_referral": sent_referral,
        "intake": Intake.objects.create(person=person, office=org_a, consent_given=True),
        "task": Task.objects.create(organisation=org_a, title="Aufgabe"),
    }
    run_matrix(row, role, make_member=make_member, login=login, org_a=org_a, objects=objects)
