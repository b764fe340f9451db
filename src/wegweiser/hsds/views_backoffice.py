"""Back office: upload → preview and column mapping → check (dry run) → import → report.

The upload is kept in a private folder (not under MEDIA_ROOT) and named in the session only, so
an editor sees nothing but their own uploads. The check runs within the request; the import runs
in the background with a progress bar that ends on the report (hsds/jobs.py, docs/imports.md).
"""

import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from wegweiser.core.access import PermissionRequiredMixin

from .constants import PREVIEW_ROWS
from .forms import ImportUploadForm
from .jobs import JobState, import_job_start, import_job_status
from .parsers import SPREADSHEET_COLUMNS, ImportFailed, guess_mapping, table_preview
from .services import import_offers

SESSION_KEY = "hsds_imports"
ERROR_JOB_INTERRUPTED = gettext_lazy(
    "The import was interrupted (the server restarted). Nothing was imported; please start it again."
)
FIELD_LABELS = {
    "source_id": gettext_lazy("ID"),
    "name": gettext_lazy("Name"),
    "summary": gettext_lazy("Short summary"),
    "description": gettext_lazy("Description"),
    "organisation": gettext_lazy("Provider"),
    "life_areas": gettext_lazy("Life areas"),
    "target_groups": gettext_lazy("Target groups"),
    "languages": gettext_lazy("Languages"),
    "cost": gettext_lazy("Cost"),
    "cost_description": gettext_lazy("Cost details"),
    "age_min": gettext_lazy("Minimum age"),
    "age_max": gettext_lazy("Maximum age"),
    "eligibility": gettext_lazy("Who can take part"),
    "registration_required": gettext_lazy("Registration required"),
    "childcare": gettext_lazy("Childcare"),
    "is_online": gettext_lazy("Online"),
    "website": gettext_lazy("Website"),
    "email": gettext_lazy("E-mail address"),
    "phone": gettext_lazy("Phone"),
    "location_name": gettext_lazy("Place"),
    "street": gettext_lazy("Street"),
    "postcode": gettext_lazy("Postcode"),
    "town": gettext_lazy("Town"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "opening_hours": gettext_lazy("Opening hours"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_until": gettext_lazy("Valid until"),
    "contact_name": gettext_lazy("Contact person"),
    "last_verified": gettext_lazy("Last verified"),
}


def upload_dir() -> Path:
    base = getattr(settings, "WEGWEISER_IMPORT_DIR", None)
    return Path(base) if base else Path(tempfile.gettempdir()) / "wegweiser-imports"


def _upload_for(request, token: str) -> dict:
    upload = request.session.get(SESSION_KEY, {}).get(token)
    if upload is None or not Path(upload["path"]).exists():
        raise Http404
    return upload


def _forget(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    upload = uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    if upload:
        shutil.rmtree(Path(upload["path"]).parent, ignore_errors=True)


class ImportUploadView(PermissionRequiredMixin, View):
    permission = "hsds.import_offers"
    template_name = "hsds/import_upload.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportUploadForm()})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        token = secrets.token_urlsafe(16)
        folder = upload_dir() / token
        folder.mkdir(parents=True, exist_ok=True)
        fmt = form.cleaned_data["format"]
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        path = folder / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        uploads = request.session.get(SESSION_KEY, {})
        uploads[token] = {"path": str(path), "format": fmt, "name": Path(upload.name).name[:200]}
        request.session[SESSION_KEY] = uploads
        return redirect("backoffice:import-preview", token=token)


class ImportPreviewView(PermissionRequiredMixin, View):
    permission = "hsds.import_offers"
    template_name = "hsds/import_preview.html"

    def _context(self, upload: dict, token: str, mapping: dict | None = None) -> dict:
        context = {"upload": upload, "token": token, "fields": FIELD_LABELS.items()}
        if upload["format"] in ("csv", "xlsx"):
            try:
                headers, rows, encoding = table_preview(
                    Path(upload["path"]), upload["format"], PREVIEW_ROWS
                )
            except ImportFailed as error:
                context["error"] = str(error)
                return context
            mapping = mapping or guess_mapping(headers)
            context |= {
                "headers": headers,
                "rows": rows,
                "encoding": encoding,
                "columns": [
                    {"index": i, "header": h, "field": mapping.get(h, "")}
                    for i, h in enumerate(headers)
                ],
            }
        return context

    def get(self, request, token):
        upload = _upload_for(request, token)
        return render(request, self.template_name, self._context(upload, token))

    def post(self, request, token):
        upload = _upload_for(request, token)
        if request.POST.get("action") == "cancel":
            _forget(request, token)
            messages.info(request, _("The upload was discarded."))
            return redirect("backoffice:import-upload")
        action = request.POST.get("action")
        dry_run = action not in ("run", "run-skip-rejected")
        mapping = None
        if upload["format"] in ("csv", "xlsx"):
            context = self._context(upload, token)
            if "error" in context:
                return render(request, self.template_name, context, status=400)
            mapping = {}
            for column in context["columns"]:
                value = request.POST.get(f"map-{column['index']}", "")
                mapping[column["header"]] = value if value in SPREADSHEET_COLUMNS else ""
        if not dry_run:
            # Large files take minutes: the import runs in the background (hsds/jobs.py).
            import_job_start(
                actor=request.user,
                folder=Path(upload["path"]).parent,
                fmt=upload["format"],
                path=upload["path"],
                mapping=mapping,
                skip_rejected=action == "run-skip-rejected",
            )
            return redirect("backoffice:import-job", token=token)
        report = import_offers(
            actor=request.user,
            fmt=upload["format"],
            path=upload["path"],
            dry_run=True,
            source_system="",
            mapping=mapping,
        )
        return render(
            request,
            "hsds/import_report.html",
            {
                "report": report,
                "upload": upload,
                "token": token,
                "mapping": mapping or {},
                "can_run": report.ok,
                "hidden": [(k, v) for k, v in request.POST.items() if k.startswith("map-")],
            },
            status=200 if report.ok else 400,
        )


class ImportJobView(PermissionRequiredMixin, View):
    """Progress of a running import (the page reloads itself), then its report."""

    permission = "hsds.import_offers"

    def get(self, request, token):
        upload = _upload_for(request, token)
        job = import_job_status(Path(upload["path"]).parent)
        if job is None:
            raise Http404
        if job["state"] == JobState.RUNNING:
            template = (
                "hsds/partials/import_progress.html" if request.htmx else "hsds/import_job.html"
            )
            return render(request, template, {"job": job, "upload": upload, "token": token})
        if request.htmx:
            # The bar has reached its end: load the whole page, which shows the report.
            return HttpResponse(headers={"HX-Refresh": "true"})
        report = job.get("report")
        if report is None:  # the worker died: the transaction was rolled back
            report = {"format": upload["format"], "failed": str(ERROR_JOB_INTERRUPTED)}
        if not report.get("failed"):
            _forget(request, token)
        return render(
            request,
            "hsds/import_report.html",
            {"report": report, "upload": upload, "token": token, "can_run": False},
            status=200 if not report.get("failed") else 400,
        )
