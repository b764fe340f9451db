"""Public pages of the shared UI and the back-office start page."""

from django.shortcuts import render
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin, PublicViewMixin

from . import selectors


class HomeView(PublicViewMixin, View):
    def get(self, request):
        return render(
            request,
            "core/home.html",
            {
                "life_areas": selectors.life_area_list(),
                "towns": selectors.municipality_list(),
                "district": selectors.district_get(),
            },
        )


class PrivacyNoticeView(PublicViewMixin, View):
    def get(self, request):
        return render(request, "core/privacy_notice.html")


class ImprintView(PublicViewMixin, View):
    def get(self, request):
        return render(request, "core/imprint.html", {"district": selectors.district_get()})


class DashboardView(PermissionRequiredMixin, View):
    permission = "backoffice.access"

    def get(self, request):
        return render(
            request, "core/dashboard.html", {"memberships": request.user.active_memberships}
        )
