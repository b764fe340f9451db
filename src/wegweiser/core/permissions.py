"""Who may change the shared parts of the public site."""

import rules

from wegweiser.accounts.permissions import is_admin

# Imprint, privacy notice and accessibility statement speak for the operator: its administrators.
rules.add_perm("core.manage_legal_texts", is_admin)
