"""The project's URLs plus a few views that misbehave on purpose, for the ops tests only."""

from django.http import HttpResponse, JsonResponse
from django.urls import path

from wegweiser.accounts.models import User
from wegweiser.core.access import public_view
from wegweiser.urls import handler500
from wegweiser.urls import urlpatterns as project_urlpatterns

SENTINEL = "Zyxwvu Sentinelperson"


@public_view
def boom(request):
    raise ValueError(f"could not process the request of {SENTINEL}")


@public_view
def api_count(request):
    return JsonResponse({"users": User.objects.count()})


@public_view
def html_count(request):
    return HttpResponse(str(User.objects.count()))


urlpatterns = [
    path("ops-test/boom/", boom),
    path("ops-test/count/", html_count),
    path("api/ops-test/count/", api_count),
    *project_urlpatterns,
]

__all__ = ["handler500", "urlpatterns"]
