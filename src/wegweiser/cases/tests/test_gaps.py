from datetime import date

import pytest
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.cases import services
from wegweiser.cases.models import Gap
from wegweiser.core.tests.factories import LifeAreaFactory


@pytest.fixture
def area(db):
    return LifeAreaFactory()


def test_case_manager_records_gap_through_form(login, manager_a, town, area, org_b):
    response = login(manager_a).post(
        reverse("backoffice:gap-list"),
        {
            "life_area": area.pk,
            "institution_kind": "jobcenter",
            "barrier_kind": "language",
            "municipality": town.pk,
            "description": "Keine Dolmetschung im Termin",
            "organisation": org_b.pk,  # ignored: the organisation comes from the membership
        },
    )
    assert response.status_code == 302
    gap = Gap.objects.get()
    assert gap.organisation == manager_a.active_memberships[0].organisation
    assert gap.created_by == manager_a


def test_coordinator_report_suppresses_and_renders_pdf(login, make_member, manager_a, town, area):
    org = manager_a.active_memberships[0].organisation
    for _ in range(5):
        services.gap_record(
            actor=manager_a,
            organisation=org,
            life_area=area,
            institution_kind="school",
            barrier_kind="waiting_time",
            municipality=town,
            observed_on=date(2026, 4, 2),
            description="Wartezeit Schulplatz",
        )
    services.gap_record(
        actor=manager_a,
        organisation=org,
        life_area=area,
        institution_kind="school",
        barrier_kind="language",
        municipality=town,
        observed_on=date(2026, 7, 2),
    )
    client = login(make_member(Role.KIM_COORDINATOR, org))
    page = client.get(reverse("backoffice:gap-report")).content.decode()
    assert "2026-Q2" in page and "2026-Q3" in page
    assert "Wartezeit Schulplatz" not in page  # free text never reaches the report
    assert "&lt; 5" in page
    pdf = client.get(reverse("backoffice:gap-report-pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
