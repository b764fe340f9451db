"""Who may import offers: the editors of the integration centre (KI) only."""

import rules

from wegweiser.accounts.permissions import is_ki_editor

rules.add_perm("hsds.import_offers", is_ki_editor)
