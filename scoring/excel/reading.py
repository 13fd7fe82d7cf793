"""What both importers share: opening an uploaded workbook within its limits and reading text
without diacritics. Used by `scheme_import` and `template`.
"""

import unicodedata

from .. import workbooks


def plain(text) -> str:
    """Lower case without Vietnamese diacritics, for matching headers and section names."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


def _open(upload, *, data_only=True, limits=None):
    """The checked workbook (see scoring/workbooks.py), read as a stream."""
    return workbooks.open_workbook(
        upload, limits=limits or workbooks.scheme_limits(), data_only=data_only
    )
