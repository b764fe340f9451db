"""Rendering of the authenticator enrolment QR code (an inline SVG, no image request)."""

import segno
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_qr_svg(device: TOTPDevice) -> str:
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", light="#fff", title="QR-Code")
    # segno renders the SVG itself from the otpauth URL; no user input reaches the markup.
    return mark_safe(svg)  # noqa: S308
