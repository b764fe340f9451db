from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("v1/search", views.SearchApi.as_view(), name="search"),
    path("v1/suggest", views.SuggestApi.as_view(), name="suggest"),
]
