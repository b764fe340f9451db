"""Who may use the editorial back office."""

import rules

from wegweiser.accounts.permissions import is_admin, is_ki_editor, is_provider_editor

# Provider editors edit their own organisation's offers; KI editors all of them.
rules.add_perm("editorial.edit_offers", is_ki_editor | is_provider_editor)
# Review, publish, send back, restore: the district's editorial team.
rules.add_perm("editorial.review", is_ki_editor)
# Vocabulary, synonyms, good practice, the public queues and the search log.
rules.add_perm("editorial.curate", is_ki_editor)
# The freshness dashboard: the district's editors and administrators.
rules.add_perm("editorial.view_dashboard", is_ki_editor | is_admin)
