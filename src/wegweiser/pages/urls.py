from django.urls import path

from . import views

app_name = "pages"

# German slugs in every language, as the issue asks: shared links keep working across languages.
urlpatterns = [
    path("ratgeber/", views.PageListView.as_view(), name="page-list"),
    path("ratgeber/<uuid:uuid>/", views.PageDetailView.as_view(), name="page-detail"),
    path("ratgeber/<uuid:uuid>/handout.pdf", views.PageHandoutView.as_view(), name="page-handout"),
]
