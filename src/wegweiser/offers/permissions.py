"""Offer permissions. The public side needs none; the editorial back office comes with issue 5."""

import rules

from wegweiser.accounts.permissions import is_admin, is_ki_editor, is_provider_editor

rules.add_perm("offers.edit_offers", is_ki_editor | is_provider_editor)
rules.add_perm("offers.review_offers", is_ki_editor | is_admin)
