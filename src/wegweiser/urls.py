from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from wegweiser.accounts.urls import backoffice_urlpatterns as accounts_backoffice
from wegweiser.cases.urls import backoffice_urlpatterns as cases_backoffice
from wegweiser.core.urls import backoffice_urlpatterns as core_backoffice
from wegweiser.core.views import DashboardView
from wegweiser.editorial.urls import backoffice_urlpatterns as editorial_backoffice
from wegweiser.hsds.urls import backoffice_urlpatterns as hsds_backoffice
from wegweiser.offers.sitemaps import OfferSitemap, StaticSitemap
from wegweiser.privacy.urls_consent import backoffice_urlpatterns as privacy_consent_backoffice
from wegweiser.privacy.urls_subject_rights import backoffice_urlpatterns as privacy_backoffice

# A database outage anywhere in a request becomes a friendly 503 instead of a 500; under
# /api/ every error Django answers itself is a problem+json body like the API's own.
handler400 = "wegweiser.api.problems.bad_request"
handler404 = "wegweiser.api.problems.page_not_found"
handler500 = "wegweiser.api.problems.server_error"

backoffice_patterns = (
    [
        path("", DashboardView.as_view(), name="dashboard"),
        *core_backoffice,
        *accounts_backoffice,
        *cases_backoffice,
        path("privacy/", include(privacy_consent_backoffice)),
        *privacy_backoffice,
        *editorial_backoffice,
        *hsds_backoffice,
    ],
    "backoffice",
)

SITEMAPS = {"offers": OfferSitemap, "static": StaticSitemap}

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Health, readiness and metrics: outside i18n_patterns, never cached.
    path("", include("wegweiser.ops.urls")),
    # HSDS 3.0 open data and /api/openapi.json first; the search API (/api/v1/) after it.
    path("api/", include("wegweiser.hsds.urls")),
    path("api/", include("wegweiser.api.urls")),
    path("accounts/", include("wegweiser.accounts.urls")),
    path("backoffice/", include(backoffice_patterns)),
]

# Public pages carry the language in the URL (/de/, /ar/ ...) so that search engines and shared
# links keep it; the back office follows the user's preference instead.
urlpatterns += i18n_patterns(
    path("", include("wegweiser.core.urls")),
    path("", include("wegweiser.offers.urls")),
    path("", include("wegweiser.pages.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
