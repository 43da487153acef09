"""Text that goes into the office's spreadsheets and Word files: always text, always openable.

Progress notes are typed by unit staff. A note starting with ``=`` would become
a live formula in the ranking or an export (formula injection), and a control
character makes the file unreadable (openpyxl refuses it; Word reports damage).
"""

from __future__ import annotations

import re

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value) -> str:
    """``value`` as text without the control characters XML forbids."""
    return _ILLEGAL.sub("", "" if value is None else str(value))


def keep_as_text(cell):
    """Make a cell holding a string stay a string, even when it starts with ``=``."""
    if isinstance(cell.value, str):
        cell.value = clean_text(cell.value)
        cell.data_type = "s"
    return cell
