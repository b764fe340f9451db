"""Synthetic demo data for the back office: proposed changes waiting in the review queue."""

import copy

from wegweiser.accounts.constants import Role
from wegweiser.accounts.models import User
from wegweiser.offers.models import Offer

from .models import OfferRevision
from .services import revision_save, revision_submit
from .snapshots import offer_snapshot

# (provider editor's e-mail, what the provider changes, submitted for review?)
DEMO_REVISIONS = [
    (
        "traeger-caritas@example.org",
        {"summary": "Neue Sprechzeiten ab dem nächsten Monat – bitte vorher anrufen."},
        True,
    ),
    (
        "traeger-awo@example.org",
        {"phone": "+49 2043 555 0100", "registration_required": True},
        True,
    ),
    ("traeger-vhs@example.org", {"cost_description": "12 € pro Kurstag, ermäßigt 6 €"}, False),
]


def editorial_seed() -> int:
    """Give each demo provider editor one proposed change (idempotent); return how many were made."""
    created = 0
    for email, changes, submit in DEMO_REVISIONS:
        editor = User.objects.filter(email=email).first()
        if editor is None:
            continue
        membership = editor.memberships.filter(role=Role.PROVIDER_EDITOR).first()
        offer = (
            Offer.objects.filter(organisation=membership.organisation, is_published=True)
            .order_by("pk")
            .first()
            if membership
            else None
        )
        if (
            offer is None
            or OfferRevision.objects.filter(offer__organisation=offer.organisation).exists()
        ):
            continue
        data = copy.deepcopy(offer_snapshot(offer))
        data["fields"].update(changes)
        revision = revision_save(actor=editor, offer=offer, data=data)
        if submit:
            revision_submit(actor=editor, revision=revision)
        created += 1
    return created
