from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views_public as views

app_name = "offers"

urlpatterns = [
    path(pgettext_lazy("URL", "angebote/"), views.OfferListView.as_view(), name="offer-list"),
    path(
        pgettext_lazy("URL", "angebote/woerter/"),
        views.SearchSuggestionsView.as_view(),
        name="search-suggestions",
    ),
    path(
        pgettext_lazy("URL", "angebote/vorschlagen/"),
        views.OfferSuggestionView.as_view(),
        name="offer-suggest",
    ),
    path(
        pgettext_lazy("URL", "barrierefreiheit/melden/"),
        views.BarrierReportView.as_view(),
        name="barrier-report",
    ),
    path(
        pgettext_lazy("URL", "angebote/<uuid:uuid>/"),
        views.OfferDetailView.as_view(),
        name="offer-detail",
    ),
    path(
        pgettext_lazy("URL", "angebote/<uuid:uuid>/handout.pdf"),
        views.OfferHandoutView.as_view(),
        name="offer-handout",
    ),
    path(
        pgettext_lazy("URL", "angebote/<uuid:uuid>/fehler-melden/"),
        views.OfferFeedbackView.as_view(),
        name="offer-feedback",
    ),
    path(
        pgettext_lazy("URL", "traeger/<uuid:uuid>/"),
        views.OrganisationPublicView.as_view(),
        name="organisation-detail",
    ),
    path(
        pgettext_lazy("URL", "orte/<slug:slug>/"),
        views.TownOffersView.as_view(),
        name="town-detail",
    ),
    path(
        pgettext_lazy("URL", "lebensbereiche/<slug:slug>/"),
        views.LifeAreaOffersView.as_view(),
        name="life-area-detail",
    ),
    path(
        pgettext_lazy("URL", "gute-praxis/"),
        views.GoodPracticeListView.as_view(),
        name="good-practice-list",
    ),
    path(pgettext_lazy("URL", "karte/"), views.OfferMapView.as_view(), name="offer-map"),
]
