from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views_public

app_name = "offers"

urlpatterns = [
    path(
        pgettext_lazy("URL", "angebote/"), views_public.OfferListView.as_view(), name="offer-list"
    ),
    path(
        pgettext_lazy("URL", "angebote/<uuid:uuid>/"),
        views_public.OfferDetailView.as_view(),
        name="offer-detail",
    ),
    path(
        pgettext_lazy("URL", "traeger/<uuid:uuid>/"),
        views_public.OrganisationPublicView.as_view(),
        name="organisation-detail",
    ),
    path(
        pgettext_lazy("URL", "gute-praxis/"),
        views_public.GoodPracticeListView.as_view(),
        name="good-practice-list",
    ),
]
