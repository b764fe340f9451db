"""Who may change info pages. Reading published pages is public and needs no rule."""

import rules

from wegweiser.accounts.permissions import is_admin, is_ki_editor

# KI editors curate the district's info pages; administrators may step in.
rules.add_perm("pages.edit_pages", is_admin | is_ki_editor)
