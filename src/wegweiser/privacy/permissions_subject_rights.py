"""Who handles data-subject requests, legal holds and the records of processing."""

import rules

from wegweiser.accounts.permissions import is_admin, is_kim_coordinator

# Admins handle requests about staff accounts and other non-case subjects, the KIM coordinator
# those about the people of the welcome counselling; the selectors scope each list.
rules.add_perm("privacy.handle_requests", is_admin | is_kim_coordinator)
rules.add_perm("privacy.manage_legal_holds", is_admin)
rules.add_perm("privacy.view_records_of_processing", is_admin)
