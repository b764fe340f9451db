"""The upload page for KI editors: upload → preview and mapping → check → import → report."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wegweiser.accounts.constants import Role
from wegweiser.hsds import forms as import_forms
from wegweiser.hsds.schemas import EXAMPLES_DIR
from wegweiser.offers.models import Offer

pytestmark = pytest.mark.django_db

CSV = (
    "Angebot;Verein;Stadt;Farbe\nTanzkurs;TV Marl;Marl;rot\nLesecafé;Bücherei Herten;Herten;blau\n"
)


@pytest.fixture
def editor(make_member, login, org_a, district):
    return login(make_member(Role.KI_EDITOR, org_a))


def upload(client, content: bytes, name="liste.csv", fmt="csv"):
    return client.post(
        "/backoffice/imports/", {"format": fmt, "file": SimpleUploadedFile(name, content)}
    )


def test_upload_preview_mapping_check_and_run(editor):
    form = editor.get("/backoffice/imports/")
    assert form.status_code == 200
    assert "Angebote importieren" in form.content.decode()  # German first
    response = upload(editor, CSV.encode())
    assert response.status_code == 302
    preview_url = response["Location"]
    page = editor.get(preview_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tanzkurs" in html and "Farbe" in html
    assert "Vorschau des Imports" in html and "nicht verwenden" in html
    mapping = {"map-0": "name", "map-1": "organisation", "map-2": "town", "map-3": ""}
    check = editor.post(preview_url, {"action": "check", **mapping})
    assert check.status_code == 200
    assert check.context["report"].created == 2 and check.context["report"].dry_run
    assert Offer.objects.count() == 0
    assert 'name="map-1" value="organisation"' in check.content.decode()
    run = editor.post(preview_url, {"action": "run", **mapping})
    # The import runs as a job (inline in the tests); its page shows progress, then the report.
    assert run.status_code == 302 and run["Location"].endswith("/progress/")
    report = editor.get(run["Location"])
    assert report.status_code == 200 and report.context["report"]["created"] == 2
    assert Offer.objects.count() == 2
    # The upload is gone after a successful import.
    assert editor.get(preview_url).status_code == 404


def test_check_reports_rejected_rows(editor):
    preview_url = upload(editor, b"Name;Tr\xc3\xa4ger\n;Ohne Namen\nGut;AWO\n")["Location"]
    check = editor.post(preview_url, {"action": "check", "map-0": "name", "map-1": "organisation"})
    report = check.context["report"]
    assert [r.line for r in report.rejected] == [2]
    assert "2" in check.content.decode()
    mapping = {"map-0": "name", "map-1": "organisation"}
    # "Import now" would import nothing: the editor must choose to leave the row out.
    refused = editor.get(editor.post(preview_url, {"action": "run", **mapping})["Location"])
    assert refused.status_code == 400 and Offer.objects.count() == 0
    assert "abgelehnt" in refused.context["report"]["failed"]
    assert 'value="run-skip-rejected"' in check.content.decode()
    run = editor.get(
        editor.post(preview_url, {"action": "run-skip-rejected", **mapping})["Location"]
    )
    assert run.status_code == 200 and run.context["report"]["created"] == 1
    assert Offer.objects.filter(name="Gut").exists()


def test_hsds_upload_needs_no_mapping(editor):
    content = (EXAMPLES_DIR / "service_full.json").read_bytes()
    preview_url = upload(editor, content, name="service.json", fmt="hsds")["Location"]
    assert editor.get(preview_url).status_code == 200
    run = editor.get(editor.post(preview_url, {"action": "run"})["Location"])
    assert run.context["report"]["created"] == 1


def test_bad_uploads_are_refused_with_a_message(editor, monkeypatch):
    wrong = upload(editor, b"{}", name="liste.json", fmt="csv")
    assert wrong.status_code == 400 and ".csv" in wrong.content.decode()
    broken = upload(editor, b"not an excel file", name="x.xlsx", fmt="xlsx")
    preview = editor.get(broken["Location"])
    assert "xlsx" in preview.content.decode()
    monkeypatch.setattr(import_forms, "MAX_IMPORT_BYTES", 10)
    huge = upload(editor, b"x" * 11)
    assert huge.status_code == 400 and "MB" in huge.content.decode()
    assert Offer.objects.count() == 0


def test_discard_upload(editor):
    preview_url = upload(editor, CSV.encode())["Location"]
    response = editor.post(preview_url, {"action": "cancel"})
    assert response.status_code == 302
    assert editor.get(preview_url).status_code == 404


def test_another_editor_cannot_see_my_upload(editor, make_member, login, org_a):
    preview_url = upload(editor, CSV.encode())["Location"]
    colleague = login(make_member(Role.KI_EDITOR, org_a))
    assert colleague.get(preview_url).status_code == 404
    assert colleague.post(preview_url, {"action": "run"}).status_code == 404


@pytest.mark.parametrize("role", [Role.PROVIDER_EDITOR, Role.ADMIN, Role.CASE_MANAGER])
def test_other_roles_cannot_upload(make_member, login, org_a, district, role):
    client = login(make_member(role, org_a))
    assert upload(client, CSV.encode()).status_code == 404
    assert Offer.objects.count() == 0


def test_import_job_shows_progress_while_running_and_survives_a_dead_worker(editor, tmp_path):
    import time

    from wegweiser.hsds import jobs

    preview_url = upload(editor, b"Name;Tr\xc3\xa4ger;Ort\nKurs;AWO;Herten\n")["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    folder = Path(editor.session["hsds_imports"][token]["path"]).parent
    job_url = reverse("backoffice:import-job", kwargs={"token": token})
    assert editor.get(job_url).status_code == 404  # no job yet

    jobs._write(folder, state=jobs.JobState.RUNNING, done=50, total=200)
    page = editor.get(job_url)
    assert page.status_code == 200
    assert '<progress id="import-progress-bar" max="200" value="50">' in page.content.decode()
    assert editor.get(job_url, headers={"HX-Request": "true"}).templates[0].name == (
        "hsds/partials/import_progress.html"
    )

    # A job whose progress stopped long ago died with its worker: nothing was imported.
    state = (folder / jobs.JOB_FILE).read_text()
    (folder / jobs.JOB_FILE).write_text(
        state.replace(str(json.loads(state)["updated"]), str(time.time() - 3600))
    )
    done = editor.get(job_url, headers={"HX-Request": "true"})
    assert done.headers["HX-Refresh"] == "true"
    report = editor.get(job_url)
    assert report.status_code == 400 and "unterbrochen" in report.context["report"]["failed"]
    assert Offer.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_a_background_thread(editor, settings):
    import threading
    import time

    settings.WEGWEISER_IMPORT_IN_BACKGROUND = True
    preview_url = upload(editor, b"Name;Tr\xc3\xa4ger;Ort\nKurs;AWO;Herten\n")["Location"]
    mapping = {"map-0": "name", "map-1": "organisation", "map-2": "town"}
    job_url = editor.post(preview_url, {"action": "run", **mapping})["Location"]
    # The page is asked for once the thread is done: SQLite's shared in-memory test database
    # refuses a read of a table another connection is writing ("database table is locked")
    # instead of waiting, as a database file does.
    deadline = time.monotonic() + 60
    while any(thread.name == "wegweiser-import" for thread in threading.enumerate()):
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.05)
    page = editor.get(job_url)
    assert page.templates[0].name != "hsds/import_job.html"
    assert page.status_code == 200 and page.context["report"]["created"] == 1
    assert Offer.objects.filter(name="Kurs").exists()
