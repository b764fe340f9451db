"""Cells of CSV and XLSX files that people open in a spreadsheet program.

A cell that starts with one of `FORMULA_PREFIXES` is run as a formula by Excel and LibreOffice
(CSV/formula injection: `=HYPERLINK(...)` in a name typed at a counter). Every export meant for
spreadsheets writes its cells through `safe_cell`, which puts an apostrophe in front; the HSDS
import takes it off again (`hsds.parsers.unformula`).

XLSX cells cannot hold most control characters at all: openpyxl refuses them, and one offer
whose text was pasted from a word processor (vertical tab for a line break) would make the
whole download fail. `xlsx_cell` turns those line breaks into newlines and drops the rest.
"""

import re
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The characters below 0x20 that XML 1.0, and so XLSX, cannot hold (tab, LF and CR it can).
XLSX_LINE_BREAKS = re.compile("[\x0b\x0c]")
XLSX_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f]")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: '=1+1' -> "'=1+1"; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def xlsx_cell(value: Any) -> Any:
    """A value for an XLSX cell: without the control characters XLSX cannot hold (vertical tab
    and form feed become line breaks), then neutralised as by `safe_cell`."""
    if isinstance(value, str):
        value = XLSX_ILLEGAL.sub("", XLSX_LINE_BREAKS.sub("\n", value))
    return safe_cell(value)
