import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wegweiser.accounts.constants import OrganisationKind, Role
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.privacy.constants import ConsentState, Purpose
from wegweiser.privacy.models import AuditEvent, Consent, ConsentNotice

from .consent_factories import NOTICE_TEXT, PDF_BYTES, make_consent, make_notice, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_member, org_a):
    """alice recorded the consent; bob is her colleague without a consent role; charlie is a
    case manager elsewhere whose organisation the notice does not name."""
    org_a.kind = OrganisationKind.TOWN
    org_a.save()
    club = OrganisationFactory(name="Verein B", kind=OrganisationKind.CLUB)
    return {
        "alice": make_member(Role.REGISTRATION_CLERK, org_a),
        "bob": make_member(Role.PROVIDER_EDITOR, org_a),
        "charlie": make_member(Role.CASE_MANAGER, club),
        "coordinator": make_member(Role.KIM_COORDINATOR, org_a),
    }


@pytest.fixture
def consent(people):
    notice = make_notice(recipient_kinds=(OrganisationKind.WELFARE_ASSOCIATION,))
    return make_consent(notice=notice, actor=people["alice"], evidence=upload(PDF_BYTES))


def _notice_post(**overrides):
    data = {
        "key": "kim-welcome",
        "language": "de",
        "title": "Einwilligung",
        "text": "Text\r\nzweite Zeile",
        "purposes": [Purpose.CONTACT_TRANSFER],
        "recipient_kinds": [OrganisationKind.WELFARE_ASSOCIATION],
        "data_categories": ["contact"],
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_notice_and_ignores_posted_hash(people, login):
    client = login(people["coordinator"])
    response = client.post(
        reverse("backoffice:privacy-notice-create"),
        _notice_post(text_sha256="0" * 64, created_by=people["alice"].pk),
    )
    notice = ConsentNotice.objects.get()
    assert response.status_code == 302
    assert notice.text_sha256 == hashlib.sha256(b"Text\nzweite Zeile").hexdigest()
    assert notice.created_by == people["coordinator"]
    assert notice.version == 1


def test_bad_notice_input_changes_nothing(people, login):
    client = login(people["coordinator"])
    response = client.post(
        reverse("backoffice:privacy-notice-create"), _notice_post(recipient_kinds=[])
    )
    assert response.status_code == 400
    assert ConsentNotice.objects.count() == 0
    assert "Empfänger" in response.content.decode() or "recipient" in response.content.decode()


def test_copy_makes_the_next_version(people, login, consent):
    client = login(people["coordinator"])
    url = reverse("backoffice:privacy-notice-copy", kwargs={"pk": consent.notice.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["version"] == 2
    response = client.post(url, _notice_post(version=2, text="Neue Fassung"))
    assert response.status_code == 302
    assert list(ConsentNotice.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]


def test_used_notice_cannot_be_edited_through_the_back_office(people, login, consent):
    client = login(people["coordinator"])
    url = reverse("backoffice:privacy-notice-update", kwargs={"pk": consent.notice.pk})
    response = client.post(url, _notice_post(text="Geändert"))
    assert response.status_code == 302
    consent.notice.refresh_from_db()
    assert consent.notice.text == NOTICE_TEXT


def test_recorder_sees_consent_history_and_access_log(people, login, consent):
    client = login(people["alice"])
    response = client.get(reverse("backoffice:privacy-consent-detail", kwargs={"pk": consent.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wer hat zugegriffen" in html
    assert "privacy.consent.viewed" in html
    assert str(consent.subject_id) not in html
    assert AuditEvent.objects.filter(
        action="privacy.consent.viewed", actor=people["alice"]
    ).exists()


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_others_get_404_and_an_audited_denial(people, login, consent, who):
    client = login(people[who])
    urls = [
        reverse("backoffice:privacy-consent-detail", kwargs={"pk": consent.pk}),
        reverse(
            "backoffice:privacy-consent-evidence",
            kwargs={"pk": consent.pk, "event": consent.events.get().uuid},
        ),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("backoffice:privacy-consent-withdraw", kwargs={"pk": consent.pk})
    )
    assert response.status_code == 404
    assert Consent.objects.get(pk=consent.pk).state == ConsentState.GIVEN
    assert AuditEvent.objects.filter(action="privacy.access.denied", actor=people[who]).count() == 3


def test_evidence_download_is_an_audited_attachment(people, login, consent):
    client = login(people["alice"])
    event = consent.events.get()
    response = client.get(
        reverse(
            "backoffice:privacy-consent-evidence", kwargs={"pk": consent.pk, "event": event.uuid}
        )
    )
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        action="privacy.consent.evidence_viewed", fields=["evidence"]
    ).exists()


def test_evidence_is_not_reachable_under_media_url(people, login, consent):
    event = consent.events.get()
    client = login(people["alice"])
    assert client.get("/media/" + event.evidence.name).status_code == 404


def test_withdrawal_from_the_back_office_takes_effect_at_once(people, login, consent):
    client = login(people["alice"])
    response = client.post(
        reverse("backoffice:privacy-consent-withdraw", kwargs={"pk": consent.pk}),
        {"reason": "Per Telefon", "state": "given"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.state == ConsentState.WITHDRAWN
    welfare = OrganisationFactory(kind=OrganisationKind.WELFARE_ASSOCIATION)
    assert not consent.covers(welfare, Purpose.CONTACT_TRANSFER)


def test_unused_notice_can_be_corrected_in_the_back_office(people, login):
    notice = make_notice()
    client = login(people["coordinator"])
    url = reverse("backoffice:privacy-notice-update", kwargs={"pk": notice.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, _notice_post(title="Korrigiert", text="Korrigierter Text"))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.title, notice.version) == ("Korrigiert", 1)
    assert notice.text_sha256 == hashlib.sha256(b"Korrigierter Text").hexdigest()
    assert AuditEvent.objects.filter(action="privacy.notice.updated").exists()


def _list_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("backoffice:privacy-notice-list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_notice_list_queries_do_not_grow_with_notices(people, login):
    client = login(people["coordinator"])
    for n in range(3):
        make_consent(notice=make_notice(key=f"k{n}"))
    few = _list_queries(client)
    for n in range(3, 9):
        make_consent(notice=make_notice(key=f"k{n}"))
    assert _list_queries(client) == few


def test_consent_detail_queries_do_not_grow_with_the_access_log(people, login, consent):
    # Every view adds an audit row, so the access log on the page grows by one each time.
    client = login(people["alice"])
    url = reverse("backoffice:privacy-consent-detail", kwargs={"pk": consent.pk})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    counts = [count() for _ in range(5)]
    assert len(set(counts)) == 1, counts
