"""Public pages of the shared UI and the back-office start page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin, PublicViewMixin

from . import selectors, services
from .constants import LegalTextKind
from .forms import LegalTextForm


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


class LegalPageView(PublicViewMixin, View):
    """A legal page: what the software says itself, then the operator's own text."""

    kind: str
    template_name: str

    def get(self, request):
        text = selectors.legal_text_get(kind=self.kind)
        body, body_is_german = text.body_for(get_language()) if text else ("", False)
        return render(
            request,
            self.template_name,
            {
                "district": selectors.district_get(),
                "text": text,
                "body": body,
                "body_is_german": body_is_german,
            },
        )


class PrivacyNoticeView(LegalPageView):
    kind = LegalTextKind.PRIVACY
    template_name = "core/privacy_notice.html"


class ImprintView(LegalPageView):
    kind = LegalTextKind.IMPRINT
    template_name = "core/imprint.html"


class AccessibilityStatementView(LegalPageView):
    kind = LegalTextKind.ACCESSIBILITY
    template_name = "core/accessibility_statement.html"


class LegalTextListView(PermissionRequiredMixin, View):
    permission = "core.manage_legal_texts"

    def get(self, request):
        return render(request, "core/legal_text_list.html", {"texts": selectors.legal_text_list()})


class LegalTextEditView(PermissionRequiredMixin, View):
    permission = "core.manage_legal_texts"

    def _render(self, request, kind, form, status=200):
        label = LegalTextKind(kind).label
        return render(
            request,
            "core/legal_text_form.html",
            {"kind": kind, "label": label, "form": form},
            status=status,
        )

    def get(self, request, kind):
        text = selectors.legal_text_get(kind=kind)
        return self._render(request, kind, LegalTextForm(kind=kind, text=text))

    def post(self, request, kind):
        selectors.legal_text_get(kind=kind)  # an unknown kind answers 404
        form = LegalTextForm(request.POST, kind=kind)
        if not form.is_valid():
            return self._render(request, kind, form, status=400)
        services.legal_text_save(actor=request.user, kind=kind, **form.service_data())
        messages.success(request, _("Changes saved."))
        return redirect("backoffice:legal-text-list")


class DashboardView(PermissionRequiredMixin, View):
    permission = "backoffice.access"

    def get(self, request):
        return render(
            request, "core/dashboard.html", {"memberships": request.user.active_memberships}
        )
