"""Back office: data-subject requests, legal holds and the records of processing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin

from . import records
from . import selectors_subject_rights as selectors
from . import subject_rights as services
from .constants_subject_rights import RequestKind, RequestStatus
from .forms_subject_rights import LegalHoldForm, RequestForm
from .models_subject_rights import LegalHold
from .registry import declarations

PAGE_SIZE = 50


def _subject_type_choices(user) -> list[tuple[str, str]]:
    from django.apps import apps

    return [
        (label, str(apps.get_model(label)._meta.verbose_name))
        for label in selectors.subject_types_for_user(user)
    ]


class RequestListView(PermissionRequiredMixin, View):
    permission = "privacy.handle_requests"

    def get(self, request):
        status = request.GET.get("status", "")
        if status not in RequestStatus.values:
            status = ""
        requests = selectors.request_list_for_user(user=request.user, status=status)
        page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            "privacy/request_list.html",
            {"page": page, "status": status, "statuses": RequestStatus.choices},
        )


class RequestCreateView(PermissionRequiredMixin, View):
    permission = "privacy.handle_requests"
    template_name = "privacy/request_form.html"

    def get(self, request):
        form = RequestForm(subject_types=_subject_type_choices(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = RequestForm(request.POST, subject_types=_subject_type_choices(request.user))
        if form.is_valid():
            try:
                dsr = services.request_create(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    subject_type=form.cleaned_data["subject_type"],
                    subject_id=str(form.cleaned_data["subject_id"]),
                    received_on=form.cleaned_data["received_on"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request, _("Request recorded; due on %(date)s.") % {"date": dsr.due_on}
                )
                return redirect("backoffice:privacy-request-detail", uuid=dsr.uuid)
        return render(request, self.template_name, {"form": form}, status=400)


class RequestDetailView(PermissionRequiredMixin, View):
    permission = "privacy.handle_requests"

    def get(self, request, uuid):
        dsr = selectors.request_get_for_user(request=request, uuid=uuid)
        subject = services.request_subject(dsr)
        summary, other_controllers = [], []
        if subject is not None:
            data = services.subject_export_data(subject=subject, actor=request.user)
            summary = [(r["name"], len(r["rows"])) for r in data["records"]]
            other_controllers = data["other_controllers"]
            services._audit(
                action="privacy.request.viewed",
                actor=request.user,
                object_type=dsr.subject_type,
                object_id=dsr.subject_id,
                fields=["__str__"],
            )
        return render(
            request,
            "privacy/request_detail.html",
            {
                "dsr": dsr,
                "subject": subject,
                "summary": summary,
                "other_controllers": other_controllers,
                "restricted": services.subject_is_restricted(dsr.subject_id),
                "kinds": RequestKind,
                "statuses": RequestStatus,
            },
        )


class RequestExportView(PermissionRequiredMixin, View):
    permission = "privacy.handle_requests"
    file_format = "json"

    def get(self, request, uuid):
        dsr = selectors.request_get_for_user(request=request, uuid=uuid)
        subject = services.request_subject(dsr)
        if subject is None:
            messages.error(request, _("The person's data no longer exists."))
            return redirect("backoffice:privacy-request-detail", uuid=dsr.uuid)
        name = f"export-{dsr.subject_id}"
        if self.file_format == "pdf":
            response = HttpResponse(
                services.subject_export_pdf(actor=request.user, subject=subject),
                content_type="application/pdf",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        else:
            response = HttpResponse(
                services.subject_export(actor=request.user, subject=subject),
                content_type="application/json; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        response["Cache-Control"] = "no-store"
        return response


class RequestActionView(PermissionRequiredMixin, View):
    """One POST endpoint for the steps of a request: status changes, erase, restrict, lift."""

    permission = "privacy.handle_requests"

    def post(self, request, uuid):
        dsr = selectors.request_get_for_user(request=request, uuid=uuid)
        action = request.POST.get("action", "")
        try:
            if action == "erase":
                services.request_erase(actor=request.user, request=dsr)
                messages.success(request, _("The person's data was erased."))
            elif action == "restrict":
                services.restriction_set(
                    actor=request.user,
                    subject_type=dsr.subject_type,
                    subject_id=dsr.subject_id,
                    reason=_("data-subject request of %(date)s") % {"date": dsr.received_on},
                )
                messages.success(request, _("Processing is restricted now."))
            elif action == "lift":
                services.restriction_lift(
                    actor=request.user, subject_type=dsr.subject_type, subject_id=dsr.subject_id
                )
                messages.success(request, _("The restriction was lifted."))
            elif action == "extend":
                services.request_extend(actor=request.user, request=dsr)
                messages.success(request, _("The deadline is now %(date)s.") % {"date": dsr.due_on})
            elif action in RequestStatus.values:
                services.request_set_status(actor=request.user, request=dsr, status=action)
                messages.success(request, _("Status changed."))
            else:
                messages.error(request, _("Unknown action; nothing changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("backoffice:privacy-request-detail", uuid=dsr.uuid)


class LegalHoldListView(PermissionRequiredMixin, View):
    permission = "privacy.manage_legal_holds"
    template_name = "privacy/legal_hold_list.html"

    def _choices(self):
        return [(d.label, str(d.model._meta.verbose_name)) for d in declarations()]

    def _render(self, request, form, status=200):
        holds = selectors.legal_hold_list()
        page = Paginator(holds, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(
            request,
            self.template_name,
            {"form": form, "page": page, "today": timezone.localdate()},
            status=status,
        )

    def get(self, request):
        return self._render(request, LegalHoldForm(subject_types=self._choices()))

    def post(self, request):
        form = LegalHoldForm(request.POST, subject_types=self._choices())
        if not form.is_valid():
            return self._render(request, form, status=400)
        services.legal_hold_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Legal hold recorded."))
        return redirect("backoffice:privacy-legal-holds")


class LegalHoldEndView(PermissionRequiredMixin, View):
    permission = "privacy.manage_legal_holds"

    def post(self, request, uuid):
        hold = get_object_or_404(LegalHold, uuid=uuid)
        services.legal_hold_end(actor=request.user, hold=hold)
        messages.success(request, _("The legal hold has ended."))
        return redirect("backoffice:privacy-legal-holds")


class RecordsOfProcessingView(PermissionRequiredMixin, View):
    permission = "privacy.view_records_of_processing"

    def get(self, request):
        file_format = request.GET.get("format", "")
        if file_format in ("md", "csv"):
            if file_format == "csv":
                body, content_type = records.records_as_csv(), "text/csv; charset=utf-8"
            else:
                body, content_type = records.records_as_markdown(), "text/markdown; charset=utf-8"
            response = HttpResponse(body, content_type=content_type)
            response["Content-Disposition"] = (
                f'attachment; filename="records-of-processing.{file_format}"'
            )
            return response
        return render(request, "privacy/records.html", {"records": records.processing_records()})
