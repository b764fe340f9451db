"""Cells of CSV and XLSX files that people open in a spreadsheet program.

A cell that starts with one of `FORMULA_PREFIXES` is run as a formula by Excel and LibreOffice
(CSV/formula injection: `=HYPERLINK(...)` in a name typed at a counter). Every export meant for
spreadsheets writes its cells through `safe_cell`, which puts an apostrophe in front; the HSDS
import takes it off again (`hsds.parsers.unformula`).
"""

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas: '=1+1' -> "'=1+1"; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
