import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wegweiser.offers import services
from wegweiser.offers.models import OfferAttachment
from wegweiser.offers.tests.factories import LocationFactory, OfferFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%fake but starts right\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def test_attachment_flyer_and_photo_are_shown_on_the_detail_page(client, district, settings):
    offer = OfferFactory(
        is_good_practice=True, good_practice_story="Eine Geschichte.", locations=[LocationFactory()]
    )
    services.attachment_add(
        offer=offer,
        kind="flyer",
        title="Flyer auf Arabisch",
        language="ar",
        file=SimpleUploadedFile("flyer.pdf", PDF),
    )
    services.attachment_add(
        offer=offer,
        kind="photo",
        title="Das Team",
        alt_text="Fünf Menschen vor einem Haus",
        file=SimpleUploadedFile("team.png", PNG),
    )
    content = client.get(f"/de/angebote/{offer.uuid}/").content.decode()
    assert "Flyer auf Arabisch" in content and 'hreflang="ar"' in content
    assert 'alt="Fünf Menschen vor einem Haus"' in content
    # Stored under a random name inside the offer's folder, not under the uploaded name.
    flyer = OfferAttachment.objects.get(kind="flyer")
    assert flyer.file.name.startswith(f"offers/{offer.uuid}/") and "flyer" not in flyer.file.name


@pytest.mark.parametrize(
    ("name", "content", "kind", "alt"),
    [
        ("evil.pdf", b"<script>alert(1)</script>", "flyer", ""),
        ("page.html", b"<html></html>", "flyer", ""),
        ("photo.png", PNG, "photo", ""),
        ("flyer.pdf", PDF, "photo", "Beschreibung"),
    ],
)
def test_attachment_rejects_wrong_types_and_missing_alt_text(
    district, name, content, kind, alt, settings
):
    offer = OfferFactory()
    with pytest.raises(ValidationError):
        services.attachment_add(
            offer=offer, kind=kind, title="x", alt_text=alt, file=SimpleUploadedFile(name, content)
        )
    assert not OfferAttachment.objects.exists()
    assert not any(settings.MEDIA_ROOT.glob(f"offers/{offer.uuid}/*"))


def test_attachment_rejects_files_over_the_limit(district, monkeypatch):
    from wegweiser.offers import constants

    monkeypatch.setattr(constants, "ATTACHMENT_MAX_BYTES", 10)
    with pytest.raises(ValidationError):
        services.attachment_add(
            offer=OfferFactory(), kind="flyer", title="x", file=SimpleUploadedFile("f.pdf", PDF)
        )
