"""The privacy app's rows of the role × URL matrix (read by core's URL-walk test).

Each part of the app keeps its rows and its test beside it; this module only collects them.
"""

from .test_consent_permissions import CONSENT_MATRIX
from .test_subject_rights_permissions import SUBJECT_RIGHTS_MATRIX

MATRIX = [*CONSENT_MATRIX, *SUBJECT_RIGHTS_MATRIX]
