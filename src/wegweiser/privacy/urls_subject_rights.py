"""Back-office URLs of the privacy app's data-subject rights, included under /backoffice/."""

from django.urls import path

from . import views_subject_rights as views

backoffice_urlpatterns = [
    path("privacy/requests/", views.RequestListView.as_view(), name="privacy-request-list"),
    path(
        "privacy/requests/new/",
        views.RequestCreateView.as_view(),
        name="privacy-request-create",
    ),
    path(
        "privacy/requests/<uuid:uuid>/",
        views.RequestDetailView.as_view(),
        name="privacy-request-detail",
    ),
    path(
        "privacy/requests/<uuid:uuid>/export.json",
        views.RequestExportView.as_view(file_format="json"),
        name="privacy-request-export-json",
    ),
    path(
        "privacy/requests/<uuid:uuid>/export.pdf",
        views.RequestExportView.as_view(file_format="pdf"),
        name="privacy-request-export-pdf",
    ),
    path(
        "privacy/requests/<uuid:uuid>/action/",
        views.RequestActionView.as_view(),
        name="privacy-request-action",
    ),
    path("privacy/legal-holds/", views.LegalHoldListView.as_view(), name="privacy-legal-holds"),
    path(
        "privacy/legal-holds/<uuid:uuid>/end/",
        views.LegalHoldEndView.as_view(),
        name="privacy-legal-hold-end",
    ),
    path(
        "privacy/records/",
        views.RecordsOfProcessingView.as_view(),
        name="privacy-records",
    ),
]
