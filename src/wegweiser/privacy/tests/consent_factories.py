"""Test data for consents, written through the services (they compute hashes and audit)."""

import io
import uuid

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.privacy.constants import ConsentPlace, DataCategory, Purpose
from wegweiser.privacy.services import consent_record, notice_create

NOTICE_TEXT = (
    "Ich willige ein, dass meine Kontaktdaten an das Kommunale Integrationsmanagement "
    "übermittelt werden. (Synthetischer Testtext.)"
)

# The smallest valid files of each kind, built in memory (no fixtures on disk).
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="JPEG")
    return buffer.getvalue()


def upload(content: bytes, name: str = "scan.pdf", content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def make_notice(
    *,
    actor=None,
    key="kim-welcome",
    language="de",
    purposes=(Purpose.CONTACT_TRANSFER, Purpose.CASE_MANAGEMENT),
    recipient_organisations=(),
    recipient_kinds=(OrganisationKind.WELFARE_ASSOCIATION,),
    text=NOTICE_TEXT,
    version=None,
):
    return notice_create(
        actor=actor,
        key=key,
        language=language,
        title="Einwilligung KIM",
        text=text,
        purposes=purposes,
        version=version,
        recipient_organisations=recipient_organisations,
        recipient_kinds=recipient_kinds,
        data_categories=[DataCategory.IDENTITY, DataCategory.CONTACT],
    )


def make_consent(
    *, notice=None, actor=None, organisation=None, given=True, subject_id=None, **extra
):
    return consent_record(
        actor=actor,
        subject_id=subject_id or uuid.uuid4(),
        notice=notice or make_notice(),
        given=given,
        place=ConsentPlace.REGISTRATION_OFFICE_PAPER,
        language="ar",
        interpreter=True,
        organisation=organisation,
        **extra,
    )
