"""Property test: whatever the notice and the history, covers() follows the rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from wegweiser.accounts.constants import OrganisationKind
from wegweiser.accounts.tests.factories import OrganisationFactory
from wegweiser.privacy.constants import ConsentState, Purpose
from wegweiser.privacy.services import consent_invalidate, consent_withdraw

from .consent_factories import make_consent, make_notice

KINDS = [OrganisationKind.TOWN, OrganisationKind.WELFARE_ASSOCIATION, OrganisationKind.CLUB]
STEPS = st.lists(st.sampled_from(["withdraw", "invalidate"]), max_size=3)


class CoversProperty(TestCase):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        purposes=st.sets(st.sampled_from(Purpose.values), min_size=1),
        kinds=st.sets(st.sampled_from(KINDS)),
        name_first=st.booleans(),
        given_=st.booleans(),
        steps=STEPS,
        recipient_kind=st.sampled_from(KINDS),
        purpose=st.sampled_from(Purpose.values),
    )
    def test_covers_follows_the_rule(
        self, purposes, kinds, name_first, given_, steps, recipient_kind, purpose
    ):
        named = OrganisationFactory(kind=OrganisationKind.OTHER)
        recipient = OrganisationFactory(kind=recipient_kind)
        if not kinds and not name_first:
            name_first = True
        notice = make_notice(
            key=f"p-{named.pk}",
            purposes=sorted(purposes),
            recipient_kinds=sorted(kinds),
            recipient_organisations=[named] if name_first else [],
        )
        before = timezone.now()
        consent = make_consent(notice=notice, given=given_)
        for step in steps:
            try:
                if step == "withdraw":
                    consent_withdraw(actor=None, consent=consent)
                else:
                    consent_invalidate(actor=None, consent=consent, reason="Test")
            except ValidationError:
                pass  # a transition that is not allowed changes nothing
        consent.refresh_from_db()
        assert consent.state == consent.events.order_by("created_at", "id").last().kind
        expected = (
            consent.state == ConsentState.GIVEN and purpose in purposes and recipient_kind in kinds
        )
        assert consent.covers(recipient, purpose) is expected
        assert consent.covers(named, sorted(purposes)[0]) is (
            consent.state == ConsentState.GIVEN and name_first
        )
        # Before the first event nothing was covered.
        assert not consent.covers(recipient, purpose, at=before)


pytestmark = pytest.mark.django_db
