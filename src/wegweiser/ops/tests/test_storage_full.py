"""Fault: the media disk fills up during an upload — clear error, no record, no partial file."""

import errno
import os
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from wegweiser.accounts.models import Organisation


def _png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (400, 400), "#00557f").save(buffer, "PNG")
    return buffer.getvalue()


class _FillingFile:
    """A file on a disk that fills up: half of the first write reaches the disk, then it fails."""

    def __init__(self, file, calls, error):
        self._file, self._calls, self._error = file, calls, error

    def write(self, data):
        self._calls["n"] += 1
        self._file.write(data[: len(data) // 2])
        self._file.flush()
        raise OSError(self._error, os.strerror(self._error))

    def __getattr__(self, name):
        return getattr(self._file, name)


def _failing_writes(monkeypatch, error):
    real_fdopen = os.fdopen
    calls = {"n": 0}
    monkeypatch.setattr(
        os, "fdopen", lambda fd, *a, **kw: _FillingFile(real_fdopen(fd, *a, **kw), calls, error)
    )
    return calls


@pytest.fixture
def disk_fills_up(monkeypatch):
    return _failing_writes(monkeypatch, errno.ENOSPC)


def _media_files(settings) -> list[str]:
    return sorted(str(path) for path in settings.MEDIA_ROOT.rglob("*") if path.is_file())


def test_upload_on_a_full_disk_answers_507_and_saves_nothing(
    alice, login, org_b, settings, disk_fills_up
):
    files_before = _media_files(settings)
    client = login(alice)
    url = reverse("backoffice:organisation-update", kwargs={"uuid": org_b.uuid})

    response = client.post(
        url,
        {
            "name": "Neuer Name",
            "kind": "club",
            "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        },
    )

    assert disk_fills_up["n"] == 1
    assert response.status_code == 507
    assert "storage is full" in response.content.decode() or "Speicher" in response.content.decode()
    org_b.refresh_from_db()
    assert org_b.name == "Organisation B"  # the transaction rolled back
    assert not org_b.logo
    assert Organisation.objects.filter(name="Neuer Name").count() == 0
    assert _media_files(settings) == files_before  # no half-written file


def test_other_os_errors_are_not_reported_as_a_full_disk(alice, login, org_b, monkeypatch):
    _failing_writes(monkeypatch, errno.EACCES)
    client = login(alice)
    client.raise_request_exception = False
    response = client.post(
        reverse("backoffice:organisation-update", kwargs={"uuid": org_b.uuid}),
        {
            "name": org_b.name,
            "kind": "club",
            "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 500
