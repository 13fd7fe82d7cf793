"""Finding the table's header row (and a second header row under it) and its columns."""

from collections.abc import Sequence
from dataclasses import dataclass

from .text import plain

HEADER_SCAN_ROWS = 15
SUBHEADER_WORDS = ("toi da", "ghi chu", "diem chuan", "thang diem", "tu cham", "cach cham")
RULE_HEADERS = ("cach cham", "phuong phap cham", "cach tinh diem", "huong dan cham")


@dataclass
class Columns:
    """0-based column indexes of the table."""

    stt: int
    content: int
    points: int
    rule: int | None = None
    note: int | None = None


def find_header(values: Sequence) -> Columns | None:
    """The table's columns when `values` (one row) is its header."""
    stt = content = points = rule = note = None
    preferred = False
    for index, value in enumerate(values):
        text = plain(value)
        if not text:
            continue
        if stt is None and text.rstrip(".") in ("stt", "tt", "so tt", "so thu tu"):
            stt = index
        elif content is None and ("noi dung" in text or "tieu chi" in text):
            content = index
        elif rule is None and any(word in text for word in RULE_HEADERS):
            rule = index
        elif note is None and text.startswith("ghi chu"):
            note = index
        elif "diem" in text and content is not None and index > content:
            better = any(w in text for w in ("chuan", "toi da", "thang diem"))
            if points is None or (better and not preferred):
                points, preferred = index, better
    if stt is None or content is None or points is None:
        return None
    return Columns(stt=stt, content=content, points=points, rule=rule, note=note)


def refine_header(columns: Columns, values: Sequence) -> bool:
    """Reads a second header row ("Tối đa | Ghi chú") into `columns`; False when `values`
    is not one."""
    texts = [plain(v) for v in values]
    if cell(values, columns.stt) not in (None, ""):
        return False
    if not any(any(w in text for w in SUBHEADER_WORDS) for text in texts):
        return False
    for index, text in enumerate(texts):
        if any(w in text for w in ("toi da", "diem chuan", "thang diem")):
            columns.points = index
        elif text.startswith("ghi chu") and columns.note is None:
            columns.note = index
        elif any(w in text for w in RULE_HEADERS) and columns.rule is None:
            columns.rule = index
    return True


def cell(values: Sequence, index: int | None):
    if index is None or index >= len(values):
        return None
    return values[index]
