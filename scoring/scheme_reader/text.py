"""Reading words and numbers in a cell's text: headers and section names without diacritics,
maxima typed as numbers or as text, Roman numerals."""

import re
import unicodedata
from decimal import Decimal

from .. import ranking
from ..numbers import parse_number

# A number written in a cell's text: digits with separators inside ("1.050,5 điểm").
NUMBER_RE = re.compile(r"\d(?:[\d.,]*\d)?")
# Scheme workbooks are Vietnamese documents: their text numbers are read the Vietnamese way
# whatever the language of the page that imports them.
WORKBOOK_LANGUAGE = "vi"


def plain(text) -> str:
    """Lower case without Vietnamese diacritics, for matching headers and section names."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"\s+", " ", text).strip()


def roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, previous = 0, 0
    for ch in reversed(text.lower()):
        value = values[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


def number_in(value) -> Decimal | None:
    """50, 50.0, "50", "50 điểm", "50,5đ", "1.050 điểm", "(50)", "-5" → Decimal (the sign of
    a number cell is kept); None when there is no number or it is not one by the product's
    number rule ("12,5,3")."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    match = NUMBER_RE.search(str(value))
    if not match:
        return None
    return _parse(match.group())


def cap_in(text) -> Decimal | None:
    """ "trừ 2 điểm/lần, tối đa 10 điểm" → 10."""
    match = re.search(r"(?:toi da|khong qua)\D*?(\d(?:[\d.,]*\d)?)", plain(text))
    return _parse(match.group(1)) if match else None


def points_in_title(title: str) -> Decimal | None:
    """ "CÔNG TÁC PHÒNG CHÁY (150 điểm)" → 150; None when the title names no points."""
    match = re.search(r"(\d(?:[\d.,]*\d)?)\s*(?:diem|d)\b", plain(title))
    return _parse(match.group(1)) if match else None


def _parse(text: str) -> Decimal | None:
    try:
        return parse_number(text, language=WORKBOOK_LANGUAGE)
    except ValueError:
        return None


def section_named(title: str) -> str | None:
    """The section a title's words name: bonus, deduction, or None (content)."""
    words = plain(title)
    if "diem thuong" in words or "diem cong" in words or words.startswith("thuong"):
        return ranking.Section.BONUS
    if "diem tru" in words or words.startswith("tru "):
        return ranking.Section.DEDUCTION
