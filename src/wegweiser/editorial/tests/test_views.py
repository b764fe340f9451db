"""The editorial pages: edit, preview, translations, review, publish, bad input."""

from html.parser import HTMLParser

from django.urls import reverse

from wegweiser.core.models import Language
from wegweiser.editorial.constants import ERROR_RETURN_COMMENT, SNAPSHOT_FIELDS, RevisionState
from wegweiser.editorial.forms import ERROR_AGES, ERROR_TIMES
from wegweiser.editorial.models import OfferRevision
from wegweiser.offers.models import Offer

from .conftest import make_offer


def form_data(offer, **overrides):
    """The POST body of the offer form as the browser sends it for the current offer."""
    data = {
        "name": offer.name,
        "summary": offer.summary,
        "description": offer.description,
        "status": offer.status,
        "cost": offer.cost,
        "cost_description": "",
        "age_min": "",
        "age_max": "",
        "eligibility": "",
        "is_on_site": "on",
        "website": "",
        "email": "",
        "phone": "",
        "valid_from": "",
        "valid_until": "",
        "life_areas": [a.slug for a in offer.life_areas.all()],
        "locations": [str(loc.uuid) for loc in offer.locations.all()],
        "schedules-TOTAL_FORMS": "2",
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "30",
        "schedules-0-kind": "weekly",
        "schedules-0-weekday": "1",
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "12:00",
        "schedules-1-kind": "weekly",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-name": "Frau Beispiel",
        "contacts-0-email": "kontakt@example.org",
    }
    data.update(overrides)
    return data


def edit_url(offer):
    return reverse("backoffice:editorial-offer-edit", kwargs={"uuid": offer.uuid})


def test_provider_edit_creates_submitted_revision_public_page_unchanged(offer_a, bob, login):
    client = login(bob)
    assert client.get(edit_url(offer_a)).status_code == 200
    response = client.post(
        edit_url(offer_a), form_data(offer_a, name="Deutschkurs am Abend", submit="1")
    )
    assert response.status_code == 302
    revision = OfferRevision.objects.get(offer=offer_a)
    assert revision.state == RevisionState.SUBMITTED
    assert revision.data["fields"]["name"] == "Deutschkurs am Abend"
    assert revision.data["schedules"][0]["opens_at"] == "09:00"
    public = client.get(reverse("offers:offer-detail", kwargs={"uuid": offer_a.uuid}))
    assert "Deutschkurs am Vormittag" in public.content.decode()
    assert "Deutschkurs am Abend" not in public.content.decode()


def test_bad_input_shows_field_errors_and_changes_nothing(offer_a, bob, login):
    client = login(bob)
    response = client.post(
        edit_url(offer_a),
        form_data(
            offer_a,
            name="",
            age_min="18",
            age_max="10",
            website="kein link",
            **{"schedules-0-closes_at": "08:00"},
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_name_error"' in body
    assert str(ERROR_AGES) in body
    assert str(ERROR_TIMES) in body
    assert 'id="id_website_error"' in body
    assert not OfferRevision.objects.exists()


def test_preview_renders_public_template_with_proposal_and_changes_nothing(offer_a, bob, login):
    client = login(bob)
    client.post(edit_url(offer_a), form_data(offer_a, name="Deutschkurs am Abend"))
    response = client.get(
        reverse("backoffice:editorial-offer-preview", kwargs={"uuid": offer_a.uuid})
    )
    assert response.status_code == 200
    assert "offers/detail.html" in [t.name for t in response.templates]
    assert "Deutschkurs am Abend" in response.content.decode()
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Vormittag"
    assert not offer_a.schedules.exists()


def test_translation_side_by_side_and_saved_into_revision(offer_a, bob, login):
    client = login(bob)
    url = reverse(
        "backoffice:editorial-offer-translation-edit",
        kwargs={"uuid": offer_a.uuid, "language": "ar"},
    )
    page = client.get(url).content.decode()
    assert "Deutschkurs am Vormittag" in page and 'dir="rtl"' in page
    response = client.post(url, {"name": "دورة اللغة الألمانية", "summary": "", "submit": "1"})
    assert response.status_code == 302
    revision = OfferRevision.objects.get(offer=offer_a)
    assert revision.data["translations"]["ar"]["name"] == "دورة اللغة الألمانية"
    assert revision.state == RevisionState.SUBMITTED
    listing = client.get(
        reverse("backoffice:editorial-offer-translations", kwargs={"uuid": offer_a.uuid})
    ).content.decode()
    assert "دورة اللغة الألمانية" in listing
    # WCAG 3.1.2: the language's own name is read in that language, also in the link's name.
    arabic = Language.objects.get(code="ar").native_name
    assert f'<th scope="row"><span lang="ar" dir="rtl">{arabic}</span> (ar)</th>' in listing
    assert f'<span class="visually-hidden"> <span lang="ar">{arabic}</span></span>' in listing
    assert not offer_a.translations.exists()
    # Unknown and source language: 404.
    for code in ("de", "xx"):
        assert (
            client.get(
                reverse(
                    "backoffice:editorial-offer-translation-edit",
                    kwargs={"uuid": offer_a.uuid, "language": code},
                )
            ).status_code
            == 404
        )


class _LangParser(HTMLParser):
    """Every element of a page with the language it is in: its own `lang` or its ancestor's."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, lang) of the open elements
        self.elements = []  # (tag, attrs, lang)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang", self.stack[-1][1] if self.stack else "")
        self.elements.append((tag, attrs, lang))
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        # Close up to the matching element; an end tag without one is ignored.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def find(self, tag, **wanted):
        return [
            (attrs, lang)
            for name, attrs, lang in self.elements
            if name == tag and all(attrs.get(k, "") == v for k, v in wanted.items())
        ]


def test_translation_form_labels_stay_in_interface_language_inputs_in_target(offer_a, bob, login):
    client = login(bob)
    url = reverse(
        "backoffice:editorial-offer-translation-edit",
        kwargs={"uuid": offer_a.uuid, "language": "ar"},
    )
    # A bad POST (no name) shows the page with its error summary and the inline errors.
    for response in (client.get(url), client.post(url, {"name": "", "save": "1"})):
        page = _LangParser()
        page.feed(response.content.decode())
        [(_html, ui_language)] = page.find("html")
        assert ui_language == "de"
        for name in ("name", "summary", "description"):
            field_id = f"id_{name}"
            [(_attrs, label_language)] = page.find("label", **{"for": field_id})
            assert label_language == ui_language
            [(attrs, language)] = page.find("input", id=field_id) or page.find(
                "textarea", id=field_id
            )
            assert (language, attrs.get("dir")) == ("ar", "rtl")
        # The heading names the German offer and the target language, each in its language.
        h1 = next(n for n, (tag, _attrs, _lang) in enumerate(page.elements) if tag == "h1")
        assert [lang for _tag, _attrs, lang in page.elements[h1 + 1 : h1 + 3]] == ["de", "ar"]
        # The German source beside the form is marked as German.
        assert [lang for _attrs, lang in page.find("dd")] == ["de", "de", "de"]
        assert [lang for _attrs, lang in page.find("dt")] == [ui_language] * 3
    assert response.status_code == 400
    [(_attrs, summary_language)] = page.find("div", id="error-summary")
    assert summary_language == ui_language
    [(_attrs, error_language)] = page.find("div", id="id_name_error")
    assert error_language == ui_language


def test_ki_editor_sees_diff_and_publishes(submitted, ki, login):
    client = login(ki)
    queue = client.get(reverse("backoffice:editorial-review-queue")).content.decode()
    assert submitted.offer.name in queue
    detail = client.get(
        reverse("backoffice:editorial-revision-detail", kwargs={"uuid": submitted.uuid})
    ).content.decode()
    assert 'data-field="summary"' in detail and "Neue Zusammenfassung." in detail
    response = client.post(
        reverse("backoffice:editorial-revision-publish", kwargs={"uuid": submitted.uuid})
    )
    assert response.status_code == 302
    submitted.offer.refresh_from_db()
    assert submitted.offer.summary == "Neue Zusammenfassung."


def test_send_back_without_comment_is_refused(submitted, ki, login):
    client = login(ki)
    response = client.post(
        reverse("backoffice:editorial-revision-return", kwargs={"uuid": submitted.uuid}),
        {"comment": ""},
    )
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.state == RevisionState.SUBMITTED
    response = client.post(
        reverse("backoffice:editorial-revision-return", kwargs={"uuid": submitted.uuid}),
        {"comment": "Bitte Preis angeben."},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == RevisionState.RETURNED
    assert str(ERROR_RETURN_COMMENT)  # the constant the service raises for blank comments


def test_ki_editor_edits_directly_and_history_restores(offer_a, ki, login):
    client = login(ki)
    client.post(edit_url(offer_a), form_data(offer_a, name="Erste Fassung", publish="1"))
    client.post(edit_url(offer_a), form_data(offer_a, name="Zweite Fassung", publish="1"))
    offer_a.refresh_from_db()
    assert offer_a.name == "Zweite Fassung"
    history = client.get(
        reverse("backoffice:editorial-offer-history", kwargs={"uuid": offer_a.uuid})
    )
    first = offer_a.versions.get(number=1)
    assert (
        "Restore version 1" in history.content.decode() or "Version 1" in history.content.decode()
    )
    client.post(reverse("backoffice:editorial-version-restore", kwargs={"uuid": first.uuid}))
    offer_a.refresh_from_db()
    assert offer_a.name == "Erste Fassung"
    assert offer_a.versions.count() == 3


def test_provider_creates_offer_hidden_until_review(district, org_a, bob, login):
    other = make_offer(org_a, name="Bestehendes Angebot")
    client = login(bob)
    data = form_data(other, name="Nähcafé", submit="1")
    data["organisation"] = str(org_a.uuid)
    response = client.post(reverse("backoffice:editorial-offer-create"), data)
    assert response.status_code == 302
    offer = Offer.objects.get(name="Nähcafé")
    assert offer.is_published is False
    assert offer.revisions.get().state == RevisionState.SUBMITTED


def test_provider_cannot_attach_foreign_location_or_create_for_foreign_org(
    offer_a, offer_b, org_b, bob, login
):
    client = login(bob)
    foreign = str(offer_b.locations.first().uuid)
    response = client.post(edit_url(offer_a), form_data(offer_a, locations=[foreign]))
    assert response.status_code == 400
    assert 'id="id_locations_error"' in response.content.decode()
    data = form_data(offer_a, name="Fremdes Angebot", submit="1")
    data["organisation"] = str(org_b.uuid)
    response = client.post(reverse("backoffice:editorial-offer-create"), data)
    assert response.status_code == 400
    assert not Offer.objects.filter(name="Fremdes Angebot").exists()
    assert not OfferRevision.objects.exists()


def test_contact_edit_goes_into_revision(offer_a, bob, login):
    from wegweiser.privacy.models import AuditEvent

    contact = offer_a.contacts.get()
    client = login(bob)
    url = reverse("backoffice:editorial-contact-edit", kwargs={"pk": contact.pk})
    assert client.post(url, {"name": "", "email": "kaputt"}).status_code == 400
    assert client.post(url, {"name": "Frau Neu", "email": "neu@example.org"}).status_code == 302
    contact.refresh_from_db()
    assert contact.name == "Frau Beispiel"
    revision = OfferRevision.objects.get(offer=offer_a)
    assert [c["name"] for c in revision.data["contacts"]] == ["Frau Neu"]
    assert AuditEvent.objects.filter(action="editorial.revision.saved").exists()


def test_location_create_and_edit_audited(district, offer_a, org_a, bob, login):
    from wegweiser.core.models import Municipality
    from wegweiser.privacy.models import AuditEvent

    client = login(bob)
    herten = Municipality.objects.get(slug="herten")
    create = reverse("backoffice:editorial-location-create")
    assert client.post(create, {"organisation": str(org_a.uuid), "name": ""}).status_code == 400
    response = client.post(
        create,
        {
            "organisation": str(org_a.uuid),
            "name": "Stadtteilbüro Süd",
            "street": "Kirchstraße 3",
            "postcode": "45699",
            "municipality": herten.pk,
        },
    )
    assert response.status_code == 302
    location = offer_a.organisation.locations.get(name="Stadtteilbüro Süd")
    edit = reverse("backoffice:editorial-location-edit", kwargs={"uuid": location.uuid})
    client.post(
        edit,
        {
            "name": "Stadtteilbüro Süd",
            "street": "Kirchstraße 5",
            "postcode": "45699",
            "municipality": herten.pk,
            "latitude": "95",
        },
    )
    location.refresh_from_db()
    assert location.street == "Kirchstraße 3"  # latitude 95 is invalid: nothing changed
    client.post(
        edit,
        {
            "name": "Stadtteilbüro Süd",
            "street": "Kirchstraße 5",
            "postcode": "45699",
            "municipality": herten.pk,
        },
    )
    location.refresh_from_db()
    assert location.street == "Kirchstraße 5"
    assert AuditEvent.objects.filter(action="offers.location.created").count() == 1
    assert AuditEvent.objects.filter(action="offers.location.updated").count() == 1


def test_bad_input_is_listed_in_one_error_summary_linked_to_the_fields(offer_a, bob, login):
    # WCAG 3.3.1 and 2.4.3: the summary replaces "Please correct the marked fields" and links
    # every error, in the formsets too, to its input; a checkbox group to its first box.
    client = login(bob)
    data = form_data(offer_a, name="", **{"schedules-0-closes_at": "08:00"})
    del data["life_areas"]
    body = client.post(edit_url(offer_a), data).content.decode()
    assert body.count('class="error-summary"') == 1
    summary = body[
        body.index('class="error-summary"') : body.index(
            "</ul>", body.index('class="error-summary"')
        )
    ]
    assert "Es gibt ein Problem" in summary
    assert '<a href="#id_name">' in summary
    assert '<a href="#id_life_areas_0">' in summary and 'id="id_life_areas_0"' in body
    assert '<a href="#id_schedules-0-closes_at">Öffnungszeit 1 – ' in summary
    assert str(ERROR_TIMES) in summary
    assert 'id="id_schedules-0-closes_at"' in body
    assert "Bitte korrigieren" not in body
    # The summary sits at the top of the form, before its first field.
    assert body.index('class="error-summary"') < body.index('id="id_name"')


def test_provider_cannot_publish_or_move_offer_with_tampered_fields(offer_a, org_b, bob, login):
    """Extra or altered inputs (publish button, publication and curation flags, another
    provider) neither publish nor move the offer: the change waits for review."""
    client = login(bob)
    data = form_data(
        offer_a,
        name="Ohne Prüfung veröffentlicht",
        publish="1",
        is_published="on",
        is_good_practice="on",
        good_practice_story="Eigenlob",
        organisation=str(org_b.uuid),
        last_verified_at="2099-01-01",
    )
    assert client.post(edit_url(offer_a), data).status_code == 302
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Vormittag"
    assert offer_a.organisation_id != org_b.pk
    assert not offer_a.is_good_practice
    assert not offer_a.versions.exists()
    revision = OfferRevision.objects.get(offer=offer_a)
    assert revision.state == RevisionState.DRAFT
    assert set(revision.data["fields"]) == set(SNAPSHOT_FIELDS)
    publish = reverse("backoffice:editorial-revision-publish", kwargs={"uuid": revision.uuid})
    assert client.post(publish).status_code == 404
    offer_a.refresh_from_db()
    assert offer_a.name == "Deutschkurs am Vormittag"


def test_provider_cannot_move_own_location_to_another_provider(offer_a, offer_b, org_b, bob, login):
    location = offer_a.locations.first()
    client = login(bob)
    url = reverse("backoffice:editorial-location-edit", kwargs={"uuid": location.uuid})
    response = client.post(
        url,
        {
            "organisation": str(org_b.uuid),
            "name": "Umgezogen",
            "street": location.street,
            "postcode": location.postcode,
            "municipality": location.municipality_id,
        },
    )
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.organisation_id == offer_a.organisation_id
    foreign = offer_b.locations.first()
    foreign_url = reverse("backoffice:editorial-location-edit", kwargs={"uuid": foreign.uuid})
    assert client.post(foreign_url, {"name": "Übernommen"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "Übernommen"
