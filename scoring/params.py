"""Reading ids and counts from URLs and form keys without trusting them.

`str.isdigit()` accepts "²" and "٣", which `int()` then refuses or reads as 3, and an id
beyond the database's range makes SQLite raise instead of finding nothing. Views read every
integer parameter through `int_param`; path ids go through the `id` converter (404).
"""

import re

DB_MAX_ID = 2**63 - 1  # the largest integer the databases store (SQLite INTEGER, bigint)
_DIGITS = re.compile(r"[0-9]{1,19}")


def int_param(text, *, maximum: int = DB_MAX_ID) -> int | None:
    """The non-negative integer `text` writes in ASCII digits, up to `maximum`; None for
    anything else ("", "-1", "²", "٣", "1e3", "9" * 30, NUL, None)."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None


class IdConverter:
    """A path id: ASCII digits within the database's range, else the URL does not match."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int_param(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value) -> str:
        return str(value)
