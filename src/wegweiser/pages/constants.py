"""Translation states, origins and the texts of errors and notes that tests assert."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCE_LANGUAGE = "de"
# Languages written right to left; used for content that is shown outside its own UI language
# (German content inside the Arabic UI, an Arabic handout ...).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ku", "ckb", "yi"})
# ISO 639-1: two lower-case letters. Integreat's "de-si" (Leichte Sprache) and similar regional
# variants are not ISO 639-1 codes and are rejected by the import.
LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2}$")

INTEGREAT = "integreat"
DEMO = "demo"


class TranslationState(models.TextChoices):
    CURRENT = "current", _("current")
    OUTDATED = "outdated", _("outdated (the German text changed)")
    MACHINE = "machine", _("machine translation")
    MISSING = "missing", _("missing")


class TranslationOrigin(models.TextChoices):
    HUMAN = "human", _("written by a person")
    MACHINE = "machine", _("machine translation")
    IMPORT = "import", _("imported")


# States that follow the German source: when its text changes they become outdated.
TRACKED_STATES = (TranslationState.CURRENT, TranslationState.MACHINE)

ERROR_GERMAN_FIRST = _("Write the German text of a page before its translations.")
ERROR_LANGUAGE_CODE = _("Use a two-letter lower-case ISO 639-1 language code.")
ERROR_PARENT_CYCLE = _("A page cannot be placed below itself.")
