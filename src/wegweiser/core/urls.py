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
]
