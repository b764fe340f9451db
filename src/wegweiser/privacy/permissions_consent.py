"""Privacy permissions. Object scope (which consent) is checked in the selectors."""

import rules

from wegweiser.accounts.permissions import (
    is_admin,
    is_case_manager,
    is_kim_coordinator,
    is_registration_clerk,
)

# Consent notices are the district's texts: administrators and the KIM coordination keep them.
rules.add_perm("privacy.manage_notices", is_admin | is_kim_coordinator)
# Roles that record consents (the registration office at intake, coordination and case
# management later) and, within their organisation's scope, see them and their evidence.
rules.add_perm(
    "privacy.record_consent", is_registration_clerk | is_kim_coordinator | is_case_manager
)
rules.add_perm("privacy.view_consent", is_registration_clerk | is_kim_coordinator | is_case_manager)
