"""Back-office URLs for consents, mounted at /backoffice/privacy/ (namespace backoffice)."""

from django.urls import path

from . import views_consent as views

backoffice_urlpatterns = [
    path("notices/", views.NoticeListView.as_view(), name="privacy-notice-list"),
    path("notices/new/", views.NoticeCreateView.as_view(), name="privacy-notice-create"),
    path("notices/<uuid:pk>/", views.NoticeDetailView.as_view(), name="privacy-notice-detail"),
    path("notices/<uuid:pk>/edit/", views.NoticeUpdateView.as_view(), name="privacy-notice-update"),
    path("notices/<uuid:pk>/copy/", views.NoticeCreateView.as_view(), name="privacy-notice-copy"),
    path("consents/<uuid:pk>/", views.ConsentDetailView.as_view(), name="privacy-consent-detail"),
    path(
        "consents/<uuid:pk>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="privacy-consent-withdraw",
    ),
    path(
        "consents/<uuid:pk>/evidence/<uuid:event>/",
        views.ConsentEvidenceView.as_view(),
        name="privacy-consent-evidence",
    ),
]
