"""The shape of a criterion's code as typed ("I.", "1.1.2", "2.a)", "27a", "-"): its style,
its place in a numbering and the parent its prefix names."""

import re
from dataclasses import dataclass

from .text import roman_value

ROMAN_RE = re.compile(r"^[ivxl]+$", re.IGNORECASE)

LATIN = "abcdefghijklmnopqrstuvwxyz"
VIETNAMESE = "abcdđeghiklmnopqrstuvxy"  # Vietnamese sub-criteria skip f, j, w, z
PATH_RE = re.compile(r"^[0-9a-zđ]+(?:\.[0-9a-zđ]+)+$", re.IGNORECASE)
NUMBER_LETTER_RE = re.compile(r"^(\d+)([a-zđ])$", re.IGNORECASE)
BULLETS = {"-", "+", "*", "•", "–", "—"}


@dataclass
class Shape:
    style: str  # "roman", "digit", "letter", "numletter", "path:dl", "bullet:-"
    value: int = 0  # its place in a numbering (1 for "I", "1", "a"); 0 when none
    prefix: str = ""  # the parent code a dotted or lettered code names ("1.1" of "1.1.2")
    segment: str = ""  # what the code adds to its parent's path
    upper: bool = False
    key: str = ""  # the letter a lettered numbering continues on ("b" of "2.b")


def typed_code(raw) -> str:
    """The STT cell as text: 1.0 → "1", 1.1 → "1.1", "  a) " → "a)"."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return re.sub(r"\s+", " ", str(raw)).strip()


def bare_code(typed: str) -> str:
    """ "I." → "I", "a)" → "a", "(b)" → "b", "2.a)" → "2.a"."""
    return typed.strip().lstrip("(").rstrip(".)").strip()


def _letter_value(letter: str) -> int:
    letter = letter.lower()
    return VIETNAMESE.index(letter) + 1 if letter in VIETNAMESE else LATIN.index(letter) + 1


def follows(letter: str, previous: str) -> bool:
    letter, previous = letter.lower(), previous.lower()
    for alphabet in (LATIN, VIETNAMESE):
        following = alphabet.index(previous) + 1 if previous in alphabet else len(alphabet)
        if following < len(alphabet) and alphabet[following] == letter:
            return True
    return False


def shape_of(code: str) -> Shape | None:
    """The shape of a bare code, or None when it is no code we know ("x1")."""
    if code in BULLETS:
        return Shape(style=f"bullet:{code}")
    if code.isdigit():
        return Shape(style="digit", value=int(code), segment=str(int(code)))
    if ROMAN_RE.match(code) and len(code) > 1:
        return Shape(
            style="roman", value=roman_value(code), segment=code.lower(), upper=code.isupper()
        )
    if len(code) == 1 and code.isalpha() and code.lower() in LATIN + "đ":
        return Shape(
            style="letter",
            value=_letter_value(code),
            segment=code.lower(),
            upper=code.isupper(),
            key=code.lower(),
        )
    match = NUMBER_LETTER_RE.match(code)
    if match:
        return Shape(
            style="numletter",
            value=_letter_value(match[2]),
            prefix=match[1],
            segment=match[2].lower(),
            key=match[2].lower(),
        )
    if PATH_RE.match(code):
        parts = code.split(".")
        pattern = "".join("d" if part.isdigit() else "l" for part in parts)
        last = parts[-1]
        value = int(last) if last.isdigit() else _letter_value(last) if len(last) == 1 else 0
        return Shape(
            style=f"path:{pattern}",
            value=value,
            prefix=".".join(parts[:-1]),
            segment=last.lower() if not last.isdigit() else str(int(last)),
            key="" if last.isdigit() else last.lower(),
        )
    return None
