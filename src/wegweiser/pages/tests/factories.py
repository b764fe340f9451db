import factory

from wegweiser.pages.constants import SOURCE_LANGUAGE
from wegweiser.pages.models import Page, PageTranslation
from wegweiser.pages.services import page_create, page_translation_save


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"seite-{n}")
    position = factory.Sequence(lambda n: n)


class PageTranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PageTranslation

    page = factory.SubFactory(PageFactory)
    language = SOURCE_LANGUAGE
    title = factory.Sequence(lambda n: f"Seite {n}")
    content = "<p>Text</p>"


def make_page(
    *,
    title: str = "Anmeldung im Bürgerbüro",
    content: str = "<p>Melden Sie sich innerhalb von zwei Wochen an.</p>",
    parent: Page | None = None,
    slug: str | None = None,
    translations: dict[str, str] | None = None,
    is_published: bool = True,
) -> Page:
    """A page with its German text and optional translations {"en": "Title"}, through the services."""
    page = page_create(
        actor=None,
        slug=slug or factory.Faker._get_faker().unique.slug(),
        parent=parent,
        is_published=is_published,
    )
    page_translation_save(actor=None, page=page, language="de", title=title, content=content)
    for language, translated_title in (translations or {}).items():
        page_translation_save(
            actor=None,
            page=page,
            language=language,
            title=translated_title,
            content=f"<p>{translated_title}</p>",
        )
    return page
