from django.urls import path
from django.utils.translation import pgettext_lazy

from . import views

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        pgettext_lazy("URL", "datenschutz/"),
        views.PrivacyNoticeView.as_view(),
        name="privacy-notice",
    ),
    path(pgettext_lazy("URL", "impressum/"), views.ImprintView.as_view(), name="imprint"),
    path(
        pgettext_lazy("URL", "barrierefreiheit/"),
        views.AccessibilityStatementView.as_view(),
        name="accessibility-statement",
    ),
]

# Mounted under /backoffice/ by the project's urls.py.
backoffice_urlpatterns = [
    path("legal/", views.LegalTextListView.as_view(), name="legal-text-list"),
    path("legal/<slug:kind>/", views.LegalTextEditView.as_view(), name="legal-text-edit"),
]
