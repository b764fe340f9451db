from django.urls import path, re_path

from . import views, views_backoffice

app_name = "hsds"

# Mounted under /api/ (before the search API's include).
urlpatterns = [
    path("openapi.json", views.OpenApiView.as_view(), name="openapi"),
    path("hsds/", views.RootView.as_view(), name="root"),
    path("hsds/profile", views.ProfileView.as_view(), name="profile"),
    path("hsds/services", views.ServiceListView.as_view(), name="services"),
    # Any id, even one with a newline, reaches the view and gets a problem+json 404.
    re_path(r"^hsds/services/(?P<id>[\s\S]+)\Z", views.ServiceDetailView.as_view(), name="service"),
    path("hsds/organizations", views.OrganizationListView.as_view(), name="organizations"),
    re_path(
        r"^hsds/organizations/(?P<id>[\s\S]+)\Z",
        views.OrganizationDetailView.as_view(),
        name="organization",
    ),
    path("hsds/taxonomies", views.TaxonomyListView.as_view(), name="taxonomies"),
    path("hsds/taxonomy_terms", views.TaxonomyTermListView.as_view(), name="taxonomy-terms"),
    path(
        "hsds/service_at_locations",
        views.ServiceAtLocationListView.as_view(),
        name="service-at-locations",
    ),
]

urlpatterns += [
    path(
        f"hsds/export/{filename}",
        views.ExportView.as_view(kind=kind),
        name=f"export-{kind}",
    )
    for kind, filename in (
        ("json", "services.json"),
        ("tabular", "hsds-tabular.zip"),
        ("xlsx", "offers.xlsx"),
        ("ical", "offers.ics"),
        ("geojson", "offers.geojson"),
    )
]

# Mounted in the back office namespace.
backoffice_urlpatterns = [
    path("imports/", views_backoffice.ImportUploadView.as_view(), name="import-upload"),
    path(
        "imports/<str:token>/",
        views_backoffice.ImportPreviewView.as_view(),
        name="import-preview",
    ),
    path(
        "imports/<str:token>/progress/",
        views_backoffice.ImportJobView.as_view(),
        name="import-job",
    ),
]
