"""Back-office views: scope, denials, mass assignment, query counts, two-factor."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.cases import services
from wegweiser.cases.constants import CaseStatus
from wegweiser.cases.models import Case, Note
from wegweiser.offers.tests.factories import OfferFactory
from wegweiser.privacy.models import AuditEvent

from .factories import CaseFactory, PersonFactory


@pytest.fixture
def b_objects(case_b, manager_b):
    return {
        "note": services.note_add(actor=manager_b, case=case_b, text="b", confidential=False),
        "document": services.document_add(
            actor=manager_b,
            case=case_b,
            upload=SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"),
            title="B",
        ),
        "referral": services.referral_create(actor=manager_b, case=case_b, offer=OfferFactory()),
    }


def _denied(count_before):
    return AuditEvent.objects.filter(action="privacy.access.denied").count() - count_before


def test_manager_of_a_gets_404_and_audit_on_everything_of_b(
    login, manager_a, case_a, case_b, b_objects
):
    client = login(manager_a)
    b, a = case_b.pk, case_a.pk
    urls = [
        reverse("backoffice:case-detail", args=[b]),
        reverse("backoffice:note-detail", args=[b, b_objects["note"].pk]),
        reverse("backoffice:document-download", args=[b, b_objects["document"].pk]),
        reverse("backoffice:referral-detail", args=[b, b_objects["referral"].pk]),
        # Nested ids of B under A's own case: the object must belong to the case in the URL.
        reverse("backoffice:note-detail", args=[a, b_objects["note"].pk]),
        reverse("backoffice:document-download", args=[a, b_objects["document"].pk]),
        reverse("backoffice:referral-detail", args=[a, b_objects["referral"].pk]),
    ]
    goal_b = services.goal_add(actor=None, case=case_b, description="b")
    assert client.post(reverse("backoffice:goal-achieve", args=[a, goal_b.pk])).status_code == 404
    assert client.post(reverse("backoffice:goal-achieve", args=[b, goal_b.pk])).status_code == 404
    goal_b.refresh_from_db()
    assert goal_b.achieved_at is None
    for url in urls:
        before = AuditEvent.objects.filter(action="privacy.access.denied").count()
        assert client.get(url).status_code == 404, url
        assert _denied(before) == 1, url
    posts = [
        reverse("backoffice:note-create", args=[b]),
        reverse("backoffice:case-status", args=[b]),
        reverse("backoffice:referral-send", args=[b, b_objects["referral"].pk]),
    ]
    for url in posts:
        assert client.post(url, {"text": "x", "status": "first_contact"}).status_code == 404
    assert Note.objects.filter(case=case_b).count() == 1
    case_b.refresh_from_db()
    assert case_b.status == CaseStatus.NEW


def test_unknown_case_is_404_like_forbidden(login, manager_a):
    import uuid

    response = login(manager_a).get(reverse("backoffice:case-detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_admin_gets_404_on_case_content(login, make_member, case_a, org_a):
    admin = make_member(Role.ADMIN, case_a.organisation)
    client = login(admin)
    assert client.get(reverse("backoffice:case-detail", args=[case_a.pk])).status_code == 404
    assert client.get(reverse("backoffice:case-list")).status_code == 404


def test_colleague_does_not_see_a_taken_over_case(login, manager_a2, case_a):
    response = login(manager_a2).get(reverse("backoffice:case-detail", args=[case_a.pk]))
    assert response.status_code == 404


def test_case_detail_audits_the_read_and_shows_access_log(login, manager_a, case_a):
    response = login(manager_a).get(reverse("backoffice:case-detail", args=[case_a.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="cases.case.viewed", object_id=str(case_a.pk)).exists()
    assert "cases.case.viewed" in response.content.decode()


def test_mass_assignment_changes_nothing(login, manager_a, case_a, org_b, manager_b):
    client = login(manager_a)
    forged = {
        "organisation": org_b.pk,
        "organisation_id": org_b.pk,
        "case_manager": manager_b.pk,
        "created_by": manager_b.pk,
        "case": "00000000-0000-0000-0000-000000000000",
        "consent_given": "yes",
        "consent_id": "00000000-0000-0000-0000-000000000000",
        "status": "closed",
        "created_at": "2000-01-01T00:00",
        "hash": "0" * 64,
        "confidential": "",
    }
    client.post(reverse("backoffice:note-create", args=[case_a.pk]), {**forged, "text": "Notiz"})
    note = Note.objects.get(case=case_a)
    assert note.created_by == manager_a
    assert note.created_at.year > 2000
    client.post(reverse("backoffice:case-take-over", args=[case_a.pk]), forged)
    client.post(reverse("backoffice:case-status", args=[case_a.pk]), forged)
    case_a.refresh_from_db()
    assert case_a.organisation != org_b
    assert case_a.case_manager == manager_a
    assert case_a.status == CaseStatus.NEW  # closing without an outcome is refused


def test_case_list_filters_and_searches(login, manager_a, org_a):
    CaseFactory(organisation=org_a, case_manager=manager_a, person=PersonFactory(family_name="Zed"))
    CaseFactory(
        organisation=org_a,
        case_manager=manager_a,
        status=CaseStatus.ACTIVE,
        person=PersonFactory(family_name="Yps"),
    )
    client = login(manager_a)
    page = client.get(reverse("backoffice:case-list"), {"q": "zed"}).content.decode()
    assert "Zed" in page and "Yps" not in page
    page = client.get(reverse("backoffice:case-list"), {"status": "active"}).content.decode()
    assert "Yps" in page and "Zed" not in page


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_case_list_queries_constant(login, manager_a, org_a):
    client = login(manager_a)
    url = reverse("backoffice:case-list")
    for _ in range(3):
        CaseFactory(organisation=org_a, case_manager=manager_a)
    n = _count_queries(client, url)
    for _ in range(6):
        CaseFactory(organisation=org_a, case_manager=manager_a)
    assert _count_queries(client, url) == n


def test_case_detail_queries_constant(login, manager_a, case_a):
    client = login(manager_a)
    url = reverse("backoffice:case-detail", args=[case_a.pk])
    services.note_add(actor=manager_a, case=case_a, text="1")
    n = _count_queries(client, url)
    for i in range(4):
        services.note_add(actor=manager_a, case=case_a, text=str(i))
        services.goal_add(actor=manager_a, case=case_a, description=str(i))
    assert _count_queries(client, url) == n


def test_two_factor_required_for_case_pages(make_member, org_a, case_a, login):
    for role in (Role.CASE_MANAGER, Role.REGISTRATION_CLERK, Role.KIM_COORDINATOR):
        user = make_member(role, org_a)
        client = login(user, verified=False)
        for name, args in [
            ("backoffice:case-list", []),
            ("backoffice:case-detail", [case_a.pk]),
            ("backoffice:intake-list", []),
            ("backoffice:intake-distribution", []),
        ]:
            response = client.get(reverse(name, args=args))
            assert response.status_code == 302, (role, name)
            assert "/accounts/two-factor" in response["Location"]


def test_two_factor_required_for_referral_inbox_of_provider_editors(make_member, org_a, login):
    """The inbox lists referred people's names, phones and e-mails: a password alone must not
    open it, although provider editors need no second factor for their public offers."""
    editor = make_member(Role.PROVIDER_EDITOR, org_a)
    client = login(editor, verified=False)
    assert client.get(reverse("backoffice:editorial-offer-list")).status_code == 200
    for url in (
        reverse("backoffice:referral-inbox"),
        reverse("backoffice:referral-confirm", args=["00000000-0000-0000-0000-000000000000"]),
    ):
        response = client.get(url) if url.endswith("/referrals/") else client.post(url)
        assert response.status_code == 302, url
        assert "/accounts/two-factor" in response["Location"]
    assert login(editor).get(reverse("backoffice:referral-inbox")).status_code == 200


def test_document_download_is_attachment(login, manager_a, case_a):
    document = services.document_add(
        actor=manager_a, case=case_a, upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 x"), title="T"
    )
    response = login(manager_a).get(
        reverse("backoffice:document-download", args=[case_a.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"


def test_document_upload_rejects_disguised_file(login, manager_a, case_a):
    login(manager_a).post(
        reverse("backoffice:document-create", args=[case_a.pk]),
        {"title": "x", "upload": SimpleUploadedFile("x.pdf", b"<html>evil</html>")},
    )
    assert not case_a.documents.exists()


def test_confidential_note_detail_404_for_colleague(login, manager_a, manager_a2, org_a):
    case = CaseFactory(organisation=org_a)
    note = services.note_add(actor=manager_a, case=case, text="geheim")
    url = reverse("backoffice:note-detail", args=[case.pk, note.pk])
    assert login(manager_a).get(url).status_code == 200
    assert login(manager_a2).get(url).status_code == 404


def test_distribution_hides_names(login, make_member, grants, org_a, cm_setting, town):
    from wegweiser.cases.models import Intake

    person = PersonFactory(family_name="Geheimname", municipality=town)
    Intake.objects.create(person=person, office=org_a, consent_given=True)
    grants.grant(person, org_a, "contact_transfer")
    coordinator = make_member(Role.KIM_COORDINATOR, org_a)
    page = login(coordinator).get(reverse("backoffice:intake-distribution")).content.decode()
    assert "Geheimname" not in page and person.email not in page
    assert "Organisation A" in page


def test_intake_assign_view_opens_case(login, make_member, grants, org_a, cm_setting, town):
    from wegweiser.cases.models import Intake

    person = PersonFactory(municipality=town)
    intake = Intake.objects.create(person=person, office=org_a, consent_given=True)
    grants.grant(person, org_a, "contact_transfer")
    coordinator = make_member(Role.KIM_COORDINATOR, org_a)
    response = login(coordinator).post(
        reverse("backoffice:intake-assign", args=[intake.pk]), {"organisation": org_a.uuid}
    )
    assert response.status_code == 302
    assert Case.objects.filter(person=person, organisation=org_a).exists()


def test_anonymous_is_sent_to_login(case_a):
    response = Client().get(reverse("backoffice:case-detail", args=[case_a.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_list_in_german_and_english(login, manager_a, case_a):
    client = login(manager_a)
    assert "Meine Fälle" in client.get(reverse("backoffice:case-list")).content.decode()
    manager_a.language = "en"
    manager_a.save(update_fields=["language"])
    assert "My cases" in client.get(reverse("backoffice:case-list")).content.decode()


def test_coordinator_sets_capacity(login, make_member, org_a, town):
    from wegweiser.accounts.constants import OrganisationKind
    from wegweiser.cases.models import CaseManagementSetting

    org_a.kind = OrganisationKind.WELFARE_ASSOCIATION
    org_a.save(update_fields=["kind"])
    client = login(make_member(Role.KIM_COORDINATOR, org_a))
    response = client.post(
        reverse("backoffice:casemanagement-settings"),
        {
            "organisation": org_a.pk,
            "capacity": "12",
            "municipalities": [town.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    setting = CaseManagementSetting.objects.get(organisation=org_a)
    assert setting.capacity == 12 and list(setting.municipalities.all()) == [town]
    bad = client.post(reverse("backoffice:casemanagement-settings"), {"capacity": "-1"})
    assert bad.status_code == 400


def test_intake_form_mass_assignment_changes_nothing(login, make_member, org_a, org_b, town):
    from wegweiser.cases.constants import IntakeStatus
    from wegweiser.cases.models import Intake
    from wegweiser.privacy.tests.consent_factories import make_notice

    notice = make_notice()
    clerk = make_member(Role.REGISTRATION_CLERK, org_a)
    response = login(clerk).post(
        reverse("backoffice:intake-create"),
        {
            "given_name": "Amal",
            "family_name": "Beispiel",
            "municipality": town.pk,
            "household_size": "2",
            "consent_given": "no",
            "notice": notice.pk,
            "consent_language": "de",
            "email": "amal@example.org",
            # Forged fields: none of them may take effect.
            "office": org_b.pk,
            "status": "assigned",
            "assigned_organisation": org_b.pk,
            "recorded_by": "",
            "consent_id": "00000000-0000-0000-0000-000000000000",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    intake = Intake.objects.get()
    assert intake.office == org_a and intake.recorded_by == clerk
    assert intake.status == IntakeStatus.REFUSED and intake.assigned_organisation is None
    assert intake.person.email == ""
    assert str(intake.consent_id) != "00000000-0000-0000-0000-000000000000"


def test_referral_picker_searches_offers_and_refers_to_the_chosen_one(
    login, manager_a, case_a, district
):
    from wegweiser.offers.constants import OfferStatus

    wanted = OfferFactory(name="Schuldnerberatung Marl")
    OfferFactory(name="Schuldnerberatung alt", status=OfferStatus.INACTIVE)
    OfferFactory(name="Sprachcafé")
    client = login(manager_a)
    url = reverse("backoffice:case-detail", args=[case_a.pk])
    # Without words the picker lists nothing: it scales to any number of offers.
    assert 'name="offer"' not in client.get(url).content.decode()
    content = client.get(url, {"offer_q": "Schulden"}).content.decode()
    assert f'value="{wanted.uuid}"' in content
    assert "Schuldnerberatung alt" not in content  # only active offers
    assert "Sprachcafé" not in content
    assert "Kein aktives Angebot gefunden" in client.get(url, {"offer_q": "xyzzy"}).content.decode()
    response = client.post(
        reverse("backoffice:referral-create", args=[case_a.pk]), {"offer": str(wanted.uuid)}
    )
    assert response.status_code == 302
    assert case_a.referrals.get().offer == wanted


def test_referral_never_goes_to_an_unpublished_offer(login, manager_a, case_a, district):
    """A draft nobody reviewed is not in the directory: neither the picker nor a posted uuid
    reaches it (a referral hands the person's contact to the offer's provider)."""
    draft = OfferFactory(name="Schuldnerberatung Entwurf", is_published=False)
    client = login(manager_a)
    url = reverse("backoffice:case-detail", args=[case_a.pk])
    assert (
        "Schuldnerberatung Entwurf" not in client.get(url, {"offer_q": "Schulden"}).content.decode()
    )
    client.post(reverse("backoffice:referral-create", args=[case_a.pk]), {"offer": str(draft.uuid)})
    assert not case_a.referrals.exists()
    with pytest.raises(ValidationError):
        services.referral_create(actor=manager_a, case=case_a, offer=draft)


@pytest.mark.parametrize(
    "given_name", ['=HYPERLINK("http://evil.example";"x")', "+1", "-1", "@SUM(A1)"]
)
def test_case_export_neutralises_spreadsheet_formulas(login, manager_a, org_a, given_name):
    """A name typed at the registration office must not run as a formula in the export."""
    import csv
    import io

    person = PersonFactory(given_name=given_name, family_name="Muster")
    CaseFactory(organisation=org_a, case_manager=manager_a, person=person)
    response = login(manager_a).get(reverse("backoffice:case-export"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == [f"'{given_name} Muster"]


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_task_done_never_redirects_to_another_site(login, manager_a, org_a, target):
    from wegweiser.cases.models import Task

    task = Task.objects.create(organisation=org_a, title="Aufgabe")
    response = login(manager_a).post(
        reverse("backoffice:task-done", args=[task.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:referral-inbox")


def test_task_done_returns_to_the_page_it_came_from(login, manager_a, org_a):
    from wegweiser.cases.models import Task

    task = Task.objects.create(organisation=org_a, title="Aufgabe")
    response = login(manager_a).post(
        reverse("backoffice:task-done", args=[task.pk]),
        {"next": reverse("backoffice:case-list")},
    )
    assert response["Location"] == reverse("backoffice:case-list")


def test_pages_with_personal_data_are_never_cached(login, manager_a, case_a, make_member, org_a):
    """Case pages, the export, htmx partials and the referral inbox carry personal data: no
    browser or proxy may keep a copy (the back button after sign-out on a shared computer)."""
    client = login(manager_a)
    for url, extra in [
        (reverse("backoffice:case-list"), {}),
        (reverse("backoffice:case-list"), {"HTTP_HX_REQUEST": "true"}),
        (reverse("backoffice:case-detail", args=[case_a.pk]), {}),
        (reverse("backoffice:case-export"), {}),
        (reverse("backoffice:referral-inbox"), {}),
    ]:
        response = client.get(url, **extra)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
    clerk = make_member(Role.REGISTRATION_CLERK, org_a)
    response = login(clerk).get(reverse("backoffice:intake-list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
