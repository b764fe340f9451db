import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wegweiser.accounts.constants import Role
from wegweiser.pages.constants import ERROR_GERMAN_FIRST, TranslationOrigin, TranslationState
from wegweiser.pages.demo import DEMO_PAGES, OUTDATED, pages_seed
from wegweiser.pages.models import Page, PageTranslation
from wegweiser.pages.services import (
    page_create,
    page_translation_save,
    page_update,
    sanitise_html,
    source_hash,
)
from wegweiser.privacy.models import AuditEvent

from .factories import make_page

pytestmark = pytest.mark.django_db


def _state(page, language):
    return PageTranslation.objects.get(page=page, language=language).state


def test_sanitise_html_removes_scripts_event_handlers_and_bad_links():
    dirty = (
        '<p onclick="steal()" style="color:red">Hallo<script>alert(1)</script></p>'
        '<img src="https://tracker.example.org/x.gif" onerror="x()">'
        '<a href="javascript:alert(1)">böse</a><a href="https://example.org/" target="_blank">gut</a>'
        '<iframe src=\'https://example.org/\'></iframe><h3 lang="ar" dir="rtl">عنوان</h3>'
    )
    clean = sanitise_html(dirty)
    assert "<script" not in clean and "alert(1)" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "style=" not in clean
    assert "<img" not in clean and "<iframe" not in clean and "javascript:" not in clean
    assert '<a href="https://example.org/" rel="noopener noreferrer">gut</a>' in clean
    assert '<h3 lang="ar" dir="rtl">عنوان</h3>' in clean
    assert "<p>Hallo</p>" in clean


def test_translation_save_sanitises_and_derives_plain_excerpt():
    page = make_page(
        content='<p onmouseover="x()">Miete &amp; <b>Kaution</b></p><script>x</script>'
    )
    german = page.translations.get(language="de")
    assert german.content == "<p>Miete &amp; <b>Kaution</b></p>"
    assert german.excerpt == "Miete & Kaution"
    assert german.source_hash == source_hash(title=german.title, content=german.content)
    assert len(german.source_hash) == 64


def test_translations_remember_the_german_hash_and_become_outdated_when_it_changes():
    page = make_page(translations={"en": "Registration", "ar": "التسجيل"})
    german = page.translations.get(language="de")
    english = page.translations.get(language="en")
    assert english.source_hash == german.source_hash
    assert english.state == TranslationState.CURRENT

    page_translation_save(
        actor=None, page=page, language="de", title=german.title, content="<p>Neu.</p>"
    )
    assert _state(page, "en") == TranslationState.OUTDATED
    assert _state(page, "ar") == TranslationState.OUTDATED
    assert _state(page, "de") == TranslationState.CURRENT
    assert AuditEvent.objects.filter(action="pages.translation.outdated").count() == 1

    # Revising the English text makes it current again, against the new German hash.
    page_translation_save(
        actor=None, page=page, language="en", title="Registration", content="<p>New.</p>"
    )
    english.refresh_from_db()
    assert english.state == TranslationState.CURRENT
    assert english.source_hash == page.translations.get(language="de").source_hash
    assert _state(page, "ar") == TranslationState.OUTDATED


def test_saving_the_same_german_text_keeps_translations_current():
    page = make_page(translations={"en": "Registration"})
    german = page.translations.get(language="de")
    events = AuditEvent.objects.count()
    page_translation_save(
        actor=None, page=page, language="de", title=german.title, content=german.content
    )
    assert _state(page, "en") == TranslationState.CURRENT
    assert AuditEvent.objects.count() == events


def test_machine_translation_state_and_missing_is_left_alone():
    page = make_page()
    page_translation_save(
        actor=None,
        page=page,
        language="uk",
        title="Реєстрація",
        content="<p>Текст</p>",
        origin=TranslationOrigin.MACHINE,
    )
    page_translation_save(
        actor=None, page=page, language="fa", title="-", content="", state=TranslationState.MISSING
    )
    assert _state(page, "uk") == TranslationState.MACHINE
    page_translation_save(actor=None, page=page, language="de", title="Neu", content="<p>x</p>")
    assert _state(page, "uk") == TranslationState.OUTDATED
    assert _state(page, "fa") == TranslationState.MISSING


def test_translation_needs_german_first_and_a_valid_language():
    page = page_create(actor=None, slug="leer")
    with pytest.raises(ValidationError) as error:
        page_translation_save(actor=None, page=page, language="en", title="x", content="")
    assert str(ERROR_GERMAN_FIRST) in error.value.messages
    with pytest.raises(ValidationError):
        page_translation_save(actor=None, page=page, language="deu", title="x", content="")


def test_page_services_are_audited_and_check_the_actor(make_member, org_a):
    page = make_page()
    assert AuditEvent.objects.filter(action="pages.page.created", object_id=str(page.uuid)).exists()
    assert AuditEvent.objects.filter(action="pages.translation.created").exists()
    editor = make_member(Role.KI_EDITOR, org_a)
    page_update(actor=editor, page=page, position=7)
    assert AuditEvent.objects.get(action="pages.page.updated").fields == ["position"]
    with pytest.raises(PermissionDenied):
        page_create(actor=make_member(Role.CASE_MANAGER, org_a), slug="nein")


def test_page_cannot_move_below_its_own_child():
    parent = make_page(slug="eltern")
    child = make_page(slug="kind", parent=parent)
    with pytest.raises(ValidationError):
        page_update(actor=None, page=parent, parent=child)


def test_pages_seed_is_idempotent_with_translations_and_outdated_ones(district):
    assert pages_seed() == len(DEMO_PAGES) == 20
    assert pages_seed() == 0
    assert Page.objects.count() == 20
    languages = set(PageTranslation.objects.values_list("language", flat=True))
    assert {"de", "en", "ar", "uk"} <= languages
    outdated = set(
        PageTranslation.objects.filter(state=TranslationState.OUTDATED).values_list(
            "page__source_id", flat=True
        )
    )
    assert outdated == OUTDATED
    rent = Page.objects.get(source_id="bruttokaltmiete")
    assert rent.parent.source_id == "wohnen"
    assert rent.life_area.slug == "wohnen"
