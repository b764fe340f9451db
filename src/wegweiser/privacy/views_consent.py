"""Back office: consent notices (admins, KIM coordination) and consent records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.core.access import PermissionRequiredMixin

from . import selectors, services
from .constants import ERROR_NOTICE_IN_USE, DataCategory, Purpose
from .forms_consent import ConsentWithdrawForm, NoticeForm
from .models import ConsentNotice


def _labels(choices, values) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(value, value)) for value in values]


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class NoticeListView(PermissionRequiredMixin, View):
    permission = "privacy.manage_notices"

    def get(self, request):
        return render(request, "privacy/notice_list.html", {"notices": selectors.notice_list()})


class NoticeCreateView(PermissionRequiredMixin, View):
    """A new notice; with a source notice (`copy`) its content is the starting point."""

    permission = "privacy.manage_notices"
    template_name = "privacy/notice_form.html"

    def _initial(self, pk):
        if pk is None:
            return {"language": "de"}, None
        source = selectors.notice_get(pk=pk)
        initial = {
            "key": source.key,
            "version": services.notice_next_version(key=source.key),
            "language": source.language,
            "title": source.title,
            "text": source.text,
            "purposes": source.purposes,
            "recipient_organisations": list(source.recipient_organisations.all()),
            "recipient_kinds": source.recipient_kinds,
            "data_categories": source.data_categories,
        }
        return initial, source

    def get(self, request, pk=None):
        initial, source = self._initial(pk)
        return render(
            request, self.template_name, {"form": NoticeForm(initial=initial), "source": source}
        )

    def post(self, request, pk=None):
        _initial, source = self._initial(pk)
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                notice = services.notice_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Notice %(title)s (version %(version)s, %(language)s) created.")
                    % {
                        "title": notice.title,
                        "version": notice.version,
                        "language": notice.language,
                    },
                )
                return redirect("backoffice:privacy-notice-detail", pk=notice.pk)
        return render(request, self.template_name, {"form": form, "source": source}, status=400)


class NoticeDetailView(PermissionRequiredMixin, View):
    permission = "privacy.manage_notices"

    def get(self, request, pk):
        notice = selectors.notice_get(pk=pk)
        return render(
            request,
            "privacy/notice_detail.html",
            {
                "notice": notice,
                "is_used": notice.is_used,
                "versions": selectors.notice_versions(notice=notice),
                "purposes": _labels(Purpose, notice.purposes),
                "recipient_kinds": _labels(OrganisationKind, notice.recipient_kinds),
                "data_categories": _labels(DataCategory, notice.data_categories),
            },
        )


class NoticeUpdateView(PermissionRequiredMixin, View):
    """Correct a notice that no consent uses yet; a used one is refused with a clear message."""

    permission = "privacy.manage_notices"
    template_name = "privacy/notice_form.html"

    def _refuse_if_used(self, request, notice: ConsentNotice):
        if notice.is_used:
            messages.error(request, ERROR_NOTICE_IN_USE)
            return redirect("backoffice:privacy-notice-detail", pk=notice.pk)
        return None

    def get(self, request, pk):
        notice = selectors.notice_get(pk=pk)
        refusal = self._refuse_if_used(request, notice)
        if refusal:
            return refusal
        form = NoticeForm(
            initial={
                "key": notice.key,
                "version": notice.version,
                "language": notice.language,
                "title": notice.title,
                "text": notice.text,
                "purposes": notice.purposes,
                "recipient_organisations": list(notice.recipient_organisations.all()),
                "recipient_kinds": notice.recipient_kinds,
                "data_categories": notice.data_categories,
            }
        )
        return render(request, self.template_name, {"form": form, "notice": notice})

    def post(self, request, pk):
        notice = selectors.notice_get(pk=pk)
        refusal = self._refuse_if_used(request, notice)
        if refusal:
            return refusal
        form = NoticeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["version"] = data["version"] or notice.version
            try:
                services.notice_update(actor=request.user, notice=notice, **data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("backoffice:privacy-notice-detail", pk=notice.pk)
        return render(request, self.template_name, {"form": form, "notice": notice}, status=400)


class ConsentDetailView(PermissionRequiredMixin, View):
    """One consent with its events and who accessed it. Reading it is audited."""

    permission = "privacy.view_consent"

    def get(self, request, pk):
        consent = selectors.consent_get_for_user(request=request, pk=pk)
        return render(
            request,
            "privacy/consent_detail.html",
            {
                "consent": consent,
                "can_withdraw": request.user.has_perm("privacy.record_consent")
                and consent.state == "given",
                "withdraw_form": ConsentWithdrawForm(),
                "access_log": selectors.access_log_for_object(
                    object_type="privacy.consent", object_id=consent.pk
                ),
            },
        )


class ConsentEvidenceView(PermissionRequiredMixin, View):
    """Download the evidence of one event; only from the private storage, always as attachment."""

    permission = "privacy.view_consent"

    def get(self, request, pk, event):
        found = selectors.consent_evidence_get_for_user(request=request, pk=pk, event=event)
        suffix = found.evidence.name.rsplit(".", 1)[-1]
        # Evidence is small (EVIDENCE_MAX_BYTES): read it whole, so no file handle outlives the
        # request.
        with found.evidence.open("rb") as file:
            content = file.read()
        response = HttpResponse(content, content_type=found.evidence_content_type)
        filename = f"consent-{found.consent_id}-{found.uuid}.{suffix}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ConsentWithdrawView(PermissionRequiredMixin, View):
    permission = "privacy.record_consent"

    def post(self, request, pk):
        consent = selectors.consent_get_for_user(request=request, pk=pk)
        form = ConsentWithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.consent_withdraw(
                    actor=request.user, consent=consent, reason=form.cleaned_data["reason"]
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request,
                    error.messages[0] if isinstance(error, ValidationError) else str(error),
                )
            else:
                messages.success(request, _("The withdrawal is recorded and takes effect now."))
        else:
            messages.error(request, _("Please check your input."))
        return redirect("backoffice:privacy-consent-detail", pk=consent.pk)
