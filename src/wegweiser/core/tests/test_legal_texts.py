"""The operator's legal texts: written by administrators, shown on the public legal pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from wegweiser.accounts.constants import Role
from wegweiser.core.constants import Conformance, LegalTextKind
from wegweiser.core.models import LegalText
from wegweiser.core.services import legal_text_save
from wegweiser.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def _url(name: str, language: str = "de") -> str:
    with translation.override(language):
        return reverse(name)


def test_saving_sanitises_the_html_and_keeps_only_the_site_languages(make_member, org_a):
    admin = make_member(Role.ADMIN, org_a)
    text = legal_text_save(
        actor=admin,
        kind=LegalTextKind.IMPRINT,
        body='<p onclick="x()">Kreis Beispiel<script>alert(1)</script></p>',
        translations={"en": "<p>District</p>", "xx": "<p>?</p>", "tr": "   "},
        conformance=Conformance.FULL,  # belongs to the accessibility statement only
        reviewed_on=datetime.date(2026, 1, 1),
    )
    assert text.body == "<p>Kreis Beispiel</p>"
    assert text.translations == {"en": "<p>District</p>"}
    assert (text.conformance, text.reviewed_on) == ("", None)
    event = AuditEvent.objects.get(action="core.legal_text.updated")
    assert event.actor_id == admin.pk and event.object_id == str(text.pk)


@pytest.mark.parametrize("role", [Role.KI_EDITOR, Role.CASE_MANAGER, Role.PROVIDER_EDITOR])
def test_only_administrators_may_write_legal_texts(make_member, org_a, role):
    with pytest.raises(PermissionDenied):
        legal_text_save(
            actor=make_member(role, org_a), kind="imprint", body="<p>x</p>", translations={}
        )
    assert not LegalText.objects.exists()


def test_public_pages_show_the_operators_text_translated_or_marked_german(client, district):
    legal_text_save(
        actor=None,
        kind=LegalTextKind.PRIVACY,
        body="<p>Datenschutzbeauftragte: datenschutz@example.org</p>",
        translations={"en": "<p>Data protection officer: datenschutz@example.org</p>"},
    )
    german = client.get(_url("core:privacy-notice")).content.decode()
    assert '<div class="page-content legal-text"><p>Datenschutzbeauftragte' in german
    english = client.get(_url("core:privacy-notice", "en")).content.decode()
    assert '<div class="page-content legal-text"><p>Data protection officer' in english
    # No Arabic text: the German one, marked German for screen readers (WCAG 3.1.2).
    arabic = client.get(_url("core:privacy-notice", "ar")).content.decode()
    assert '<div class="page-content legal-text" lang="de" dir="ltr"><p>Datenschutz' in arabic


@pytest.mark.parametrize(
    ("conformance", "sentence"),
    [
        ("", "Der Betreiber hat diese Website noch nicht bewertet."),
        (Conformance.FULL, "vollständig vereinbar."),
        (Conformance.PARTIAL, "teilweise vereinbar: Die bekannten Barrieren stehen unten."),
        (Conformance.NONE, "nicht vereinbar: Die bekannten Barrieren stehen unten."),
    ],
)
def test_the_accessibility_statement_declares_the_status(client, district, conformance, sentence):
    legal_text_save(
        actor=None,
        kind=LegalTextKind.ACCESSIBILITY,
        body="<h2>Kontakt</h2><p>barrierefreiheit@example.org</p>",
        translations={},
        conformance=conformance,
        reviewed_on=datetime.date(2026, 11, 1),
    )
    html = client.get(_url("core:accessibility-statement")).content.decode()
    assert "<h1>Erklärung zur Barrierefreiheit</h1>" in html
    assert sentence in html
    assert "zuletzt am 1. November 2026 überprüft" in html
    assert "<h2>Kontakt</h2><p>barrierefreiheit@example.org</p>" in html
    assert "noch nicht eingetragen" not in html


def test_an_unwritten_statement_says_what_is_missing(client, district):
    html = client.get(_url("core:accessibility-statement")).content.decode()
    assert "Der Betreiber hat diese Website noch nicht bewertet." in html
    assert "Kontaktdaten und das Durchsetzungsverfahren noch nicht eingetragen" in html


def test_every_public_page_links_the_accessibility_statement(client, district):
    html = client.get(_url("core:home")).content.decode()
    assert f'<a href="{_url("core:accessibility-statement")}">Barrierefreiheit</a>' in html


def test_an_administrator_edits_a_text_in_the_back_office(make_member, login, org_a, district):
    client = login(make_member(Role.ADMIN, org_a))
    url = reverse("backoffice:legal-text-edit", kwargs={"kind": "accessibility"})
    form = client.get(url).content.decode()
    assert 'name="body_ar"' in form and 'lang="ar" dir="rtl"' in form
    response = client.post(
        url,
        {
            "body": "<p>Selbstbewertung</p>",
            "body_ar": "<p>تقييم ذاتي</p>",
            "conformance": "partial",
            "reviewed_on": "2026-11-30",
        },
    )
    assert response.status_code == 302
    text = LegalText.objects.get(kind="accessibility")
    assert text.translations == {"ar": "<p>تقييم ذاتي</p>"}
    assert (text.conformance, text.reviewed_on) == ("partial", datetime.date(2026, 11, 30))
    listing = client.get(reverse("backoffice:legal-text-list")).content.decode()
    assert "de, ar" in listing
    assert "noch nicht geschrieben" in listing  # imprint and privacy


def test_bad_input_shows_the_error_and_changes_nothing(make_member, login, org_a):
    client = login(make_member(Role.ADMIN, org_a))
    url = reverse("backoffice:legal-text-edit", kwargs={"kind": "accessibility"})
    response = client.post(url, {"body": "<p>x</p>", "reviewed_on": "31.02.2026"})
    assert response.status_code == 400
    assert 'id="id_reviewed_on_error"' in response.content.decode()
    assert not LegalText.objects.exists()


def test_an_unknown_kind_is_not_found(make_member, login, org_a):
    client = login(make_member(Role.ADMIN, org_a))
    url = reverse("backoffice:legal-text-edit", kwargs={"kind": "cookies"})
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "<p>x</p>"}).status_code == 404
    assert not LegalText.objects.exists()
