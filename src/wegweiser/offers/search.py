"""How offers enter the search index (see wegweiser.search)."""

from django.conf import settings
from django.utils.translation import override

from wegweiser.core.selectors import language_list, municipality_list
from wegweiser.search.registry import (
    Document,
    register_attribute_words,
    register_names,
    register_provider,
)
from wegweiser.search.services import document_upsert_soon

from .constants import ACCESSIBILITY_FEATURES, Cost, OfferStatus
from .models import Offer

KIND = "offer"


def offer_document(offer: Offer) -> Document:
    """All words a searcher might use for an offer, in every language it has."""
    texts = [
        offer.summary,
        offer.description,
        offer.eligibility,
        offer.cost_description,
        offer.organisation.name,
    ]
    # Translations in a fixed language order: PostgreSQL's jsonb does not keep the key order,
    # and the passage texts (and their embeddings' cache keys) must not depend on the database.
    for area in offer.life_areas.all():
        texts += [area.name, *(name for _code, name in sorted(area.name_translations.items()))]
    for group in offer.target_groups.all():
        texts += [group.name, *(name for _code, name in sorted(group.name_translations.items()))]
    # Locations are ordered by name; ties by town, so the text never depends on row order.
    located = sorted(offer.locations.all(), key=lambda loc: (loc.name, loc.municipality.name))
    texts += [location.municipality.name for location in located]
    for translation in offer.translations.all():
        texts += [translation.name, translation.summary, translation.description]
    return Document(
        kind=KIND,
        object_id=str(offer.pk),
        title=offer.name,
        texts=[t for t in texts if t],
        source_id=offer.source_id,
        keywords=offer_keywords(offer, located),
    )


def offer_keywords(offer: Offer, locations) -> list[str]:
    """What the offer's attributes are called: a search for "Arabisch", "Beratung auf
    Arabisch", "Deutschkurs kostenlos", "barrierefrei" or "online" finds the offers that are
    so, as the filters of the same name do.

    A language by its German, English and own name ("Arabisch", "Arabic", "العربية"); not
    the district's own language: nearly every offer is held in German, and "Deutsch" would
    find every offer instead of the German courses. The other attributes by their German
    labels, the language of the index and of its synonym list ("gratis" finds "kostenlos").
    Labels in every UI language added half as many terms again to the index; searches in
    other languages find the offers through the model.
    """
    words = []
    for language in offer.languages.all():
        if language.code != settings.LANGUAGE_CODE:
            english = language.name_translations.get("en", "")
            words += [language.name, english, language.native_name]
    labels = []
    if offer.cost == Cost.FREE:
        labels.append(Cost.FREE.label)
    if offer.is_online:
        labels.append(Offer._meta.get_field("is_online").verbose_name)
    if offer.childcare:
        labels.append(Offer._meta.get_field("childcare").verbose_name)
    labels += [
        label
        for feature, label in ACCESSIBILITY_FEATURES.items()
        if any(getattr(location, feature) for location in locations)
    ]
    with override(settings.LANGUAGE_CODE):
        words += [str(label) for label in labels]
    return [word for word in words if word]


def offer_is_searchable(offer: Offer) -> bool:
    """Whether the public search may know the offer's words: published and not inactive, as
    `selectors._published`. Drafts and ended offers stay out of the index entirely; their
    words would otherwise come back as "did you mean" corrections. An inactive offer is still
    found by its exact name, from the database (search_help.offer_inactive_by_name)."""
    return offer.is_published and offer.status != OfferStatus.INACTIVE


def offer_index(offer: Offer) -> None:
    document_upsert_soon(
        kind=KIND,
        object_id=str(offer.pk),
        build=lambda: offer_document(offer) if offer_is_searchable(offer) else None,
    )


def _all_offers():
    queryset = (
        Offer.objects.filter(is_published=True)
        .exclude(status=OfferStatus.INACTIVE)
        .select_related("organisation")
        .prefetch_related(
            "life_areas",
            "target_groups",
            "translations",
            "locations__municipality",
            "languages",
        )
    )
    for offer in queryset.iterator(chunk_size=500):
        yield offer_document(offer)


def _towns():
    # Not the district's name: "Kreis" or "Landkreis" is a word, not a name.
    return municipality_list().values_list("name", flat=True)


def _language_names():
    """The languages offers are held in, by the names `offer_keywords` indexes."""
    for language in language_list().exclude(code=settings.LANGUAGE_CODE):
        yield from (language.name, language.name_translations.get("en", ""), language.native_name)


def register() -> None:
    register_provider(KIND, _all_offers)
    register_names("towns", _towns)  # an offer's texts name its towns
    register_attribute_words("languages", _language_names)
