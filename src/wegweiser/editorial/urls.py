"""Editorial back-office URLs, included in the `backoffice` namespace."""

from django.urls import path

from . import views_backoffice as views

backoffice_urlpatterns = [
    path("offers/", views.OfferListView.as_view(), name="editorial-offer-list"),
    path("offers/new/", views.OfferCreateView.as_view(), name="editorial-offer-create"),
    path("offers/<uuid:uuid>/", views.OfferEditView.as_view(), name="editorial-offer-edit"),
    path(
        "offers/<uuid:uuid>/preview/",
        views.OfferPreviewView.as_view(),
        name="editorial-offer-preview",
    ),
    path(
        "offers/<uuid:uuid>/confirm/",
        views.OfferConfirmView.as_view(),
        name="editorial-offer-confirm",
    ),
    path(
        "offers/<uuid:uuid>/submit/", views.OfferSubmitView.as_view(), name="editorial-offer-submit"
    ),
    path(
        "offers/<uuid:uuid>/translations/",
        views.TranslationListView.as_view(),
        name="editorial-offer-translations",
    ),
    path(
        "offers/<uuid:uuid>/translations/<slug:language>/",
        views.TranslationEditView.as_view(),
        name="editorial-offer-translation-edit",
    ),
    path(
        "offers/<uuid:uuid>/history/",
        views.OfferHistoryView.as_view(),
        name="editorial-offer-history",
    ),
    path(
        "offers/<uuid:uuid>/good-practice/",
        views.GoodPracticeEditView.as_view(),
        name="editorial-good-practice-edit",
    ),
    path(
        "versions/<uuid:uuid>/restore/",
        views.VersionRestoreView.as_view(),
        name="editorial-version-restore",
    ),
    path("review/", views.ReviewQueueView.as_view(), name="editorial-review-queue"),
    path(
        "revisions/<uuid:uuid>/",
        views.RevisionDetailView.as_view(),
        name="editorial-revision-detail",
    ),
    path(
        "revisions/<uuid:uuid>/publish/",
        views.RevisionPublishView.as_view(),
        name="editorial-revision-publish",
    ),
    path(
        "revisions/<uuid:uuid>/return/",
        views.RevisionReturnView.as_view(),
        name="editorial-revision-return",
    ),
    path("locations/", views.LocationListView.as_view(), name="editorial-location-list"),
    path("locations/new/", views.LocationFormView.as_view(), name="editorial-location-create"),
    path(
        "locations/<uuid:uuid>/", views.LocationFormView.as_view(), name="editorial-location-edit"
    ),
    path("contacts/", views.ContactListView.as_view(), name="editorial-contact-list"),
    path("contacts/<int:pk>/", views.ContactEditView.as_view(), name="editorial-contact-edit"),
    path(
        "still-correct/<str:token>/",
        views.StillCorrectView.as_view(),
        name="editorial-still-correct",
    ),
    path("freshness/", views.FreshnessDashboardView.as_view(), name="editorial-freshness"),
    path(
        "good-practice/",
        views.GoodPracticeListView.as_view(),
        name="editorial-good-practice-list",
    ),
    path("feedback/", views.FeedbackQueueView.as_view(), name="editorial-feedback-queue"),
    path(
        "feedback/<uuid:uuid>/status/",
        views.FeedbackStatusView.as_view(),
        name="editorial-feedback-status",
    ),
    path("suggestions/", views.SuggestionQueueView.as_view(), name="editorial-suggestion-queue"),
    path(
        "suggestions/<uuid:uuid>/status/",
        views.SuggestionStatusView.as_view(),
        name="editorial-suggestion-status",
    ),
    path("barriers/", views.BarrierReportQueueView.as_view(), name="editorial-barrier-queue"),
    path(
        "barriers/<uuid:uuid>/status/",
        views.BarrierReportStatusView.as_view(),
        name="editorial-barrier-status",
    ),
    path("zero-results/", views.ZeroResultLogView.as_view(), name="editorial-zero-results"),
    path(
        "vocabulary/<slug:kind>/",
        views.VocabularyListView.as_view(),
        name="editorial-vocabulary-list",
    ),
    path(
        "vocabulary/<slug:kind>/new/",
        views.VocabularyFormView.as_view(),
        name="editorial-vocabulary-create",
    ),
    path(
        "vocabulary/<slug:kind>/<int:pk>/",
        views.VocabularyFormView.as_view(),
        name="editorial-vocabulary-edit",
    ),
    path(
        "vocabulary/<slug:kind>/<int:pk>/delete/",
        views.VocabularyDeleteView.as_view(),
        name="editorial-vocabulary-delete",
    ),
]
