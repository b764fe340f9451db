"""Back office of the KIM case management: thin views over selectors and services."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.accounts.constants import Role
from wegweiser.core.access import PermissionRequiredMixin
from wegweiser.core.redirects import safe_next
from wegweiser.core.spreadsheets import safe_cell
from wegweiser.privacy.selectors import access_log_for_object

from . import consent, forms, selectors, services
from .constants import CASE_TRANSITIONS, ERROR_OFFER_NOT_IN_DIRECTORY, CaseStatus
from .importer import REQUIRED_COLUMNS, intakes_import

PAGE_SIZE = 50
WORK = "cases.work_cases"


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _first_org(user, role):
    return selectors.organisation_first_with_role(user=user, role=role)


# ---------------------------------------------------------------------------------------------
# Registration office


class IntakeListView(PermissionRequiredMixin, View):
    permission = "cases.record_intake"

    def get(self, request):
        page = Paginator(selectors.intake_list_for_office(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        selectors.audit_read(
            user=request.user,
            object_type="cases.intake",
            object_id="list",
            fields=["given_name", "family_name"],
        )
        return render(request, "cases/intake_list.html", {"page": page})


class IntakeCreateView(PermissionRequiredMixin, View):
    permission = "cases.record_intake"
    template_name = "cases/intake_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": forms.IntakeForm()})

    def post(self, request):
        form = forms.IntakeForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        data = dict(form.cleaned_data)
        try:
            services.intake_record(
                actor=request.user,
                office=_first_org(request.user, Role.REGISTRATION_CLERK),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return render(request, self.template_name, {"form": form}, status=400)
        messages.success(request, _("Intake recorded."))
        return redirect("backoffice:intake-list")


class IntakeImportView(PermissionRequiredMixin, View):
    permission = "cases.record_intake"
    template_name = "cases/intake_import.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"form": forms.IntakeImportForm(), "columns": REQUIRED_COLUMNS},
        )

    def post(self, request):
        form = forms.IntakeImportForm(request.POST, request.FILES)
        context = {"form": form, "columns": REQUIRED_COLUMNS}
        if not form.is_valid():
            return render(request, self.template_name, context, status=400)
        result = intakes_import(
            actor=request.user,
            office=_first_org(request.user, Role.REGISTRATION_CLERK),
            raw=form.cleaned_data["file"].read(),
        )
        context["result"] = result
        if not result.ok:
            return render(request, self.template_name, context, status=400)
        messages.success(
            request,
            _("%(created)s intakes imported, %(skipped)s already known.")
            % {"created": result.created, "skipped": result.skipped},
        )
        return redirect("backoffice:intake-list")


# ---------------------------------------------------------------------------------------------
# KIM coordinator


class DistributionView(PermissionRequiredMixin, View):
    permission = "cases.distribute_intakes"

    def get(self, request):
        rows = selectors.intake_distribution_rows(user=request.user)
        selectors.audit_read(
            user=request.user,
            object_type="cases.intake",
            object_id="distribution",
            fields=["municipality", "languages", "household_size"],
        )
        settings_ = selectors.case_management_settings()
        return render(request, "cases/distribution.html", {"rows": rows, "settings": settings_})


class IntakeAssignView(PermissionRequiredMixin, View):
    permission = "cases.distribute_intakes"

    def post(self, request, intake_id):
        intake = selectors.intake_get_for_distribution(request=request, intake_id=intake_id)
        form = forms.AssignForm(request.POST)
        organisation = (
            selectors.organisation_get_by_uuid(uuid=form.cleaned_data["organisation"])
            if form.is_valid()
            else None
        )
        if organisation is None:
            messages.error(request, _("Choose an organisation."))
            return redirect("backoffice:intake-distribution")
        try:
            services.intake_assign(actor=request.user, intake=intake, organisation=organisation)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                _("Intake %(ref)s handed to %(organisation)s.")
                % {"ref": intake.short_ref, "organisation": organisation.name},
            )
        return redirect("backoffice:intake-distribution")


# ---------------------------------------------------------------------------------------------
# Case managers


class CaseListView(PermissionRequiredMixin, View):
    permission = WORK

    def get(self, request):
        status = request.GET.get("status", "")
        query = request.GET.get("q", "")[:100]
        cases = selectors.case_list_for_user(user=request.user, status=status, query=query)
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        selectors.audit_read(
            user=request.user,
            object_type="cases.case",
            object_id="list",
            fields=["given_name", "family_name", "status"],
        )
        context = {
            "page": page,
            "status": status,
            "query": query,
            "statuses": CaseStatus.choices,
            "dashboard": selectors.case_dashboard_for_user(user=request.user),
            "tasks": selectors.task_list_for_user(user=request.user)[:20],
        }
        template = "cases/partials/case_table.html" if request.htmx else "cases/case_list.html"
        return render(request, template, context)


class CaseExportView(PermissionRequiredMixin, View):
    permission = WORK

    def get(self, request):
        rows = selectors.case_export_for_user(user=request.user)
        selectors.audit_read(
            user=request.user,
            object_type="cases.case",
            object_id="export",
            fields=["given_name", "family_name", "municipality", "status"],
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="faelle.csv"'
        writer = csv.DictWriter(response, fieldnames=["id", "name", "town", "status", "opened"])
        writer.writeheader()
        writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
        return response


class CaseMixin(PermissionRequiredMixin):
    permission = WORK

    def case(self, request, case_id, *, audit=False):
        return selectors.case_get_for_user(request=request, case_id=case_id, audit=audit)

    def back(self, case):
        return redirect("backoffice:case-detail", case_id=case.pk)


class CaseDetailView(CaseMixin, View):
    def get(self, request, case_id):
        case = self.case(request, case_id, audit=True)
        offer_query = request.GET.get("offer_q", "")
        offers = selectors.offers_for_referral(query=offer_query)
        transfer_targets = selectors.transfer_targets_for_case(case=case)
        return render(
            request,
            "cases/case_detail.html",
            {
                "case": case,
                **selectors.case_content_for_user(user=request.user, case=case),
                "transitions": [
                    (value, label)
                    for value, label in CaseStatus.choices
                    if value in CASE_TRANSITIONS[case.status]
                ],
                "status_form": forms.CaseStatusForm(),
                "need_form": forms.NeedForm(),
                "goal_form": forms.GoalForm(),
                "appointment_form": forms.AppointmentForm(),
                "note_form": forms.NoteForm(),
                "document_form": forms.DocumentForm(),
                "outcome_form": forms.ReferralOutcomeForm(),
                "offers": offers,
                "offer_query": offer_query,
                "transfer_targets": transfer_targets,
                "consent": consent.consent_for_person(person=case.person),
                "access_events": access_log_for_object(
                    object_type="cases.case", object_id=case.pk, limit=50
                ),
            },
        )


class CaseStatusView(CaseMixin, View):
    def post(self, request, case_id):
        case = self.case(request, case_id)
        form = forms.CaseStatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid status."))
            return self.back(case)
        try:
            services.case_status_change(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return self.back(case)


class CaseTakeOverView(CaseMixin, View):
    def post(self, request, case_id):
        case = self.case(request, case_id)
        services.case_take_over(actor=request.user, case=case)
        messages.success(request, _("You now manage this case."))
        return self.back(case)


class CaseContentCreateView(CaseMixin, View):
    """Adds a need, goal, appointment, note, document or referral to a case."""

    form_class: type = forms.NeedForm
    service = None

    def call(self, request, case, data):
        return type(self).service(actor=request.user, case=case, **data)

    def post(self, request, case_id):
        case = self.case(request, case_id)
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return self.back(case)
        try:
            self.call(request, case, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Saved."))
        return self.back(case)


class NeedCreateView(CaseContentCreateView):
    form_class = forms.NeedForm
    service = staticmethod(services.need_add)


class GoalCreateView(CaseContentCreateView):
    form_class = forms.GoalForm
    service = staticmethod(services.goal_add)


class GoalAchieveView(CaseMixin, View):
    def post(self, request, case_id, goal_id):
        case, goal = selectors.goal_get_for_user(request=request, case_id=case_id, goal_id=goal_id)
        services.goal_achieve(actor=request.user, goal=goal)
        return self.back(case)


class AppointmentCreateView(CaseContentCreateView):
    form_class = forms.AppointmentForm
    service = staticmethod(services.appointment_add)


class NoteCreateView(CaseContentCreateView):
    form_class = forms.NoteForm
    service = staticmethod(services.note_add)


class DocumentCreateView(CaseContentCreateView):
    form_class = forms.DocumentForm

    def call(self, request, case, data):
        return services.document_add(
            actor=request.user, case=case, upload=data["upload"], title=data["title"]
        )


class ReferralCreateView(CaseContentCreateView):
    form_class = forms.ReferralForm

    def call(self, request, case, data):
        offer = selectors.offer_for_referral(uuid=data["offer"])
        if offer is None:
            raise ValidationError(ERROR_OFFER_NOT_IN_DIRECTORY)
        return services.referral_create(
            actor=request.user, case=case, offer=offer, comment=data["comment"]
        )


class NoteDetailView(CaseMixin, View):
    def get(self, request, case_id, note_id):
        case, note = selectors.note_get_for_user(request=request, case_id=case_id, note_id=note_id)
        return render(request, "cases/note_detail.html", {"case": case, "note": note})


class DocumentDownloadView(CaseMixin, View):
    def get(self, request, case_id, document_id):
        _case, document = selectors.document_get_for_user(
            request=request, case_id=case_id, document_id=document_id
        )
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            raise Http404 from None
        extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}
        name = f"dokument-{str(document.pk)[:8]}.{extension.get(document.content_type, 'bin')}"
        response = HttpResponse(content, content_type=document.content_type)
        # Always a download, never rendered inline: an upload cannot run in our origin.
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        # Personal data: no copy in any browser or proxy cache.
        response["Cache-Control"] = "private, no-store"
        return response


class ReferralDetailView(CaseMixin, View):
    def get(self, request, case_id, referral_id):
        case, referral = selectors.referral_get_for_user(
            request=request, case_id=case_id, referral_id=referral_id
        )
        return render(
            request,
            "cases/referral_detail.html",
            {"case": case, "referral": referral, "outcome_form": forms.ReferralOutcomeForm()},
        )


class ReferralSendView(CaseMixin, View):
    def post(self, request, case_id, referral_id):
        case, referral = selectors.referral_get_for_user(
            request=request, case_id=case_id, referral_id=referral_id
        )
        try:
            services.referral_send(actor=request.user, referral=referral)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Referral sent to the provider."))
        return self.back(case)


class ReferralOutcomeView(CaseMixin, View):
    def post(self, request, case_id, referral_id):
        case, referral = selectors.referral_get_for_user(
            request=request, case_id=case_id, referral_id=referral_id
        )
        form = forms.ReferralOutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.referral_record_outcome(
                    actor=request.user, referral=referral, outcome=form.cleaned_data["outcome"]
                )
            except ValidationError as error:
                messages.error(request, _error_text(error))
        return self.back(case)


class CaseTransferView(CaseMixin, View):
    def post(self, request, case_id):
        case = self.case(request, case_id)
        form = forms.TransferForm(request.POST)
        organisation = (
            selectors.organisation_get_by_uuid(uuid=form.cleaned_data["organisation"])
            if form.is_valid()
            else None
        )
        if organisation is None:
            messages.error(request, _("Choose an organisation."))
            return self.back(case)
        try:
            services.case_transfer(
                actor=request.user,
                case=case,
                organisation=organisation,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return self.back(case)
        messages.success(
            request, _("Case handed to %(organisation)s.") % {"organisation": organisation.name}
        )
        return redirect("backoffice:case-list")


class TaskDoneView(PermissionRequiredMixin, View):
    permission = "cases.answer_referrals"

    def post(self, request, task_id):
        task = selectors.task_list_for_user(user=request.user).filter(pk=task_id).first()
        if task is None:
            selectors._deny(
                request, permission=self.permission, object_type="cases.task", object_id=task_id
            )
        services.task_complete(actor=request.user, task=task)
        return redirect(safe_next(request, reverse("backoffice:referral-inbox")))


# ---------------------------------------------------------------------------------------------
# Providers: the closed loop of referrals


class ReferralInboxView(PermissionRequiredMixin, View):
    permission = "cases.answer_referrals"

    def get(self, request):
        referrals = selectors.referral_inbox_for_user(user=request.user)[:200]
        selectors.audit_read(
            user=request.user,
            object_type="cases.referral",
            object_id="inbox",
            fields=["given_name", "family_name", "email", "phone"],
        )
        return render(
            request,
            "cases/referral_inbox.html",
            {"referrals": referrals, "tasks": selectors.task_list_for_user(user=request.user)},
        )


class ReferralConfirmView(PermissionRequiredMixin, View):
    permission = "cases.answer_referrals"

    def post(self, request, referral_id):
        referral = selectors.referral_get_for_provider(request=request, referral_id=referral_id)
        try:
            services.referral_confirm_contact(actor=request.user, referral=referral)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Contact confirmed."))
        return redirect("backoffice:referral-inbox")


# ---------------------------------------------------------------------------------------------
# Gaps


class GapListView(PermissionRequiredMixin, View):
    permission = "cases.record_gap"
    template_name = "cases/gap_list.html"

    def render_page(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "gaps": selectors.gap_list_for_user(user=request.user)[:100]},
            status=status,
        )

    def get(self, request):
        return self.render_page(request, forms.GapForm())

    def post(self, request):
        form = forms.GapForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        services.gap_record(
            actor=request.user,
            organisation=_first_org(request.user, Role.CASE_MANAGER),
            **form.cleaned_data,
        )
        messages.success(request, _("Gap recorded. Thank you."))
        return redirect("backoffice:gap-list")


def _gap_context():
    cells = selectors.gap_report()
    largest = max((cell.count or 0 for cell in cells), default=0) or 1
    return {
        "cells": [(cell, 10 * round(10 * (cell.count or 0) / largest)) for cell in cells],
        "min_cell": selectors.GAP_MIN_CELL,
    }


class GapReportView(PermissionRequiredMixin, View):
    permission = "cases.view_gap_report"

    def get(self, request):
        return render(request, "cases/gap_report.html", _gap_context())


class GapReportPdfView(PermissionRequiredMixin, View):
    permission = "cases.view_gap_report"

    def get(self, request):
        from django.template.loader import render_to_string

        from wegweiser.core.pdf import pdf_from_html

        html = render_to_string("cases/gap_report_pdf.html", _gap_context(), request=request)
        pdf = pdf_from_html(html=html, base_url=request.build_absolute_uri("/"))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="bruchstellen.pdf"'
        return response


class CaseManagementSettingsView(PermissionRequiredMixin, View):
    """The coordinator keeps which organisations do case management, where, and how many."""

    permission = "cases.distribute_intakes"
    template_name = "cases/settings.html"

    def render_page(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "settings": selectors.case_management_settings()},
            status=status,
        )

    def get(self, request):
        return self.render_page(request, forms.CaseManagementSettingForm())

    def post(self, request):
        form = forms.CaseManagementSettingForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        services.case_management_configure(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("backoffice:casemanagement-settings")
