"""Signals other apps listen to, so that accounts does not import them."""

from django.dispatch import Signal

# Sent inside the transaction that deactivates an organisation (organisation_update), with
# `actor` and `organisation`. The offers app takes the organisation's offers off the public site.
organisation_deactivated = Signal()
