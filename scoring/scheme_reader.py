"""Reading a scoring scheme from the rows of the table a secretariat typed.

Pure functions over rows of cell values (no openpyxl, no database): `read_scheme` takes
`(row number, [cell values])` pairs, finds the header, and returns the criteria tree with
every problem and its row. `scoring.excel.parse_scheme_workbook` feeds it a workbook's rows.

How the table is read:

- The header is on any of the first rows: an STT column ("STT", "TT"), a content column
  ("Nội dung", "Tiêu chí") and a points column ("Điểm", preferring "chuẩn"/"tối đa"/"thang
  điểm"); optionally a rule column ("Cách chấm", "Phương pháp chấm") and a note column ("Ghi
  chú"). A second header row under it ("Tối đa | Ghi chú") refines the columns and is skipped,
  as is a row of column numbers "(1) (2) (3)".
- Depth comes from each code's shape and the order of rows, not from a pattern per level. The
  open ancestors form a stack; a code is the next sibling of the nearest open node of the same
  shape whose numbering it continues ("2" after "1", "b" after "a", "II" after "I"), a child of
  the open node its dotted prefix names ("1.1.2" under "1.1", "2.a)" under "2", "27a" under
  "27"), and otherwise starts a new level under the deepest open node — numbering restarts
  under each parent. Upper-case Roman numerals are always groups.
- Parts split the table: "A", "B", "C" or "Phần I/II/III". Their words decide their section,
  not their letter: "điểm thưởng"/"điểm cộng" is bonus, "điểm trừ" deductions, anything else
  content. A part whose rows are Roman-numbered groups only wraps them (it is not a criterion;
  its maximum is checked against theirs); otherwise the part is itself a group.
- Maxima as numbers, as text ("150 điểm", "tối đa 50 điểm") or only in the title ("… (150
  điểm)"); deductions may be typed negative. A group without a maximum takes its children's sum.
- A total row ("Tổng cộng", "Cộng …") is checked against the groups above it and not imported.
- Every problem is collected with its row, in Vietnamese, so the secretariat sees them all at
  once; nothing is guessed (an unknown "Cách chấm" phrase is a problem, not a judged criterion).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import ranking
from .numbers import parse_number
from .rules import PER_OCCURRENCE, rule_from_text

HEADER_SCAN_ROWS = 15
MAX_CODE_LENGTH = 50  # Criterion.code
MAX_DEPTH = 8  # scoring.models.MAX_DEPTH (the reader knows no models)
# A number written in a cell's text: digits with separators inside ("1.050,5 điểm").
NUMBER_RE = re.compile(r"\d(?:[\d.,]*\d)?")
# Scheme workbooks are Vietnamese documents: their text numbers are read the Vietnamese way
# whatever the language of the page that imports them.
WORKBOOK_LANGUAGE = "vi"
ROMAN_RE = re.compile(r"^[ivxl]+$", re.IGNORECASE)
PART_RE = re.compile(r"^phan\s+([ivx]+|\d+|[a-z])$")
PART_LETTERS = "ABCDĐEFGH"
LATIN = "abcdefghijklmnopqrstuvwxyz"
VIETNAMESE = "abcdđeghiklmnopqrstuvxy"  # Vietnamese sub-criteria skip f, j, w, z
PATH_RE = re.compile(r"^[0-9a-zđ]+(?:\.[0-9a-zđ]+)+$", re.IGNORECASE)
NUMBER_LETTER_RE = re.compile(r"^(\d+)([a-zđ])$", re.IGNORECASE)
BULLETS = {"-", "+", "*", "•", "–", "—"}
SUBHEADER_WORDS = ("toi da", "ghi chu", "diem chuan", "thang diem", "tu cham", "cach cham")
RULE_HEADERS = ("cach cham", "phuong phap cham", "cach tinh diem", "huong dan cham")
TOTAL_STARTS = ("tong cong", "tong so", "tong diem", "tong")
# Rules the criterion model stores today; the others are kept in the guidance.
STORED_RULES = {
    ranking.Kind.JUDGED.value: (ranking.Kind.JUDGED, ""),
    ranking.Kind.PASS_FAIL.value: (ranking.Kind.PASS_FAIL, ""),
    ranking.Rule.PROPORTIONAL.value: (ranking.Kind.QUANTITATIVE, ranking.Rule.PROPORTIONAL),
    ranking.Rule.FULL_AT_TARGET.value: (ranking.Kind.QUANTITATIVE, ranking.Rule.FULL_AT_TARGET),
}


@dataclass
class ParsedNode:
    row: int
    code: str  # the path, unique in the scheme: "Phần I.1.1"
    title: str
    level: int
    parent_code: str | None
    kind: str = ranking.Kind.JUDGED
    max_points: str | None = None  # Decimal as text, for the session
    per_occurrence: str | None = None
    guidance: str = ""
    typed_code: str = ""  # as the secretariat typed it: "1.1.", "2.a)", "-"
    rule: str = ""  # ranking.Rule for quantitative criteria
    method: str = ""  # the rule the "Cách chấm" phrase names (rules.rule_from_text)

    @property
    def kind_label(self) -> str:
        """The kind as the user reads it ("điểm thưởng"), not its stored value ("bonus")."""
        return ranking.Kind(self.kind).label


@dataclass
class ParsedScheme:
    sheet: str = ""
    header_row: int = 0
    nodes: list[ParsedNode] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    issues: list[dict] = field(default_factory=list)  # {"row": int | None, "message": str}
    content_total: str = "0"
    bonus_cap: str | None = None
    deduction_cap: str | None = None

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        scheme = cls(**{k: v for k, v in data.items() if k != "nodes"})
        scheme.nodes = [ParsedNode(**node) for node in data["nodes"]]
        return scheme

    def problem(self, row: int | None, message: str) -> None:
        self.problems.append(message)
        self.issues.append({"row": row, "message": message})


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
    return None


# --- The header -------------------------------------------------------------------------------


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


def _refine(columns: Columns, values: Sequence) -> bool:
    """Reads a second header row ("Tối đa | Ghi chú") into `columns`; False when `values`
    is not one."""
    texts = [plain(v) for v in values]
    if _cell(values, columns.stt) not in (None, ""):
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


def _cell(values: Sequence, index: int | None):
    if index is None or index >= len(values):
        return None
    return values[index]


# --- Codes ----------------------------------------------------------------------------------


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


def _follows(letter: str, previous: str) -> bool:
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


@dataclass
class _Open:
    """A node on the stack of open ancestors."""

    node: ParsedNode | None  # None for a part that only wraps groups
    shape: Shape
    bare: str
    section: str
    children: int = 0


# --- The reader -----------------------------------------------------------------------------


def read_scheme(rows: Iterable[tuple[int, Sequence]], *, sheet: str = "") -> ParsedScheme | None:
    """The scheme in `rows` ((row number, cell values) in order), or None when none of the
    first rows is a scheme header. Row problems are collected in the result, never raised."""
    rows = iter(rows)
    columns = None
    for number, values in rows:
        columns = find_header(values)
        if columns is not None:
            break
        if number >= HEADER_SCAN_ROWS:
            return None
    if columns is None:
        return None
    reader = _Reader(ParsedScheme(sheet=sheet, header_row=number), columns)
    for number, values in rows:
        reader.read(number, list(values))
    return reader.finish()


class _Reader:
    def __init__(self, result: ParsedScheme, columns: Columns):
        self.result = result
        self.columns = columns
        self.stack: list[_Open] = []
        self.codes: set[str] = set()
        self.previous: ParsedNode | None = None
        self.first_row = True
        self.wrapper: tuple[ParsedNode, list[ParsedNode]] | None = None  # part, its groups
        self.wrappers: list[tuple[ParsedNode, list[ParsedNode]]] = []
        self.totals: list[tuple[int, Decimal, list[Decimal]]] = []
        self.rule_texts: dict[int, str] = {}  # id(node) → phrase, checked once leaves are known
        self.part_codes: list[str] = []
        self.wrapper_section = ranking.Section.CONTENT

    def problem(self, row: int, message: str) -> None:
        """`message` with its "%(row)s" filled in."""
        self.result.problem(row, message % {"row": row} if "%(row)s" in message else message)

    # One row ----------------------------------------------------------------------------------

    def read(self, number: int, values: list) -> None:
        columns = self.columns
        first, self.first_row = self.first_row, False
        raw_stt = _cell(values, columns.stt)
        typed = typed_code(raw_stt)
        title = re.sub(r"\s+", " ", str(_cell(values, columns.content) or "")).strip()
        raw_points = _cell(values, columns.points)
        rule_text = str(_cell(values, columns.rule) or "").strip()
        note = str(_cell(values, columns.note) or "").strip()
        if not typed and not title and raw_points in (None, "") and not rule_text:
            return  # spacer row
        if first and _refine(columns, values):
            return  # second header row
        if title.startswith("(") and number_in(title) is not None and not typed[:1].isalpha():
            return  # a row of column numbers: (1) (2) (3)
        if self._total(number, typed, title, raw_points):
            return
        if not typed:
            named = section_named(title) if title.isupper() else None
            if named is not None:
                typed = title  # a section heading without a letter: "ĐIỂM THƯỞNG"
            elif self.previous is not None and title and raw_points in (None, ""):
                self.previous.title = f"{self.previous.title} {title}".strip()[:500]
                return
            else:
                self.problem(number, _("Row %(row)s: the STT (number) is missing."))
                return
        if typed.startswith("="):
            self.problem(number, _("Row %(row)s: formulas are not accepted in the STT column."))
            return
        part = self._part(typed, title)
        if part is not None:
            self._open_part(number, part, typed, title, raw_points, note)
            return
        bare = bare_code(typed)
        shape = shape_of(bare)
        if shape is None:
            self.problem(
                number,
                _(
                    "Row %(row)s: “%(stt)s” is not a group (I, II…), a criterion (1, 2…) or a "
                    "sub-criterion (a, b…)."
                )
                % {"row": number, "stt": bare},
            )
            return
        parent, shape = self._place(bare, shape)
        if not title:
            self.problem(number, _("Row %(row)s: the content is empty.") % {"row": number})
            return
        self._add(number, typed, bare, shape, parent, title, raw_points, rule_text, note)

    def _total(self, number, typed, title, raw_points) -> bool:
        """A total row: checked against the groups above it, never imported."""
        words = plain(title) if not typed else plain(typed) if not title else ""
        if not words or not (words.startswith(TOTAL_STARTS) or re.match(r"^cong\b", words)):
            return False
        value = number_in(raw_points)
        if value is not None:
            self.totals.append((number, abs(value), self._subtotals()))
        return True

    def _subtotals(self) -> list[Decimal]:
        """What a total row may add up: all content groups so far, those of the current part,
        the last group alone, and the content with the bonus cap."""
        groups = [n for n in self.result.nodes if n.level == 1 and n.kind not in _SIDE_KINDS]
        maxima = [Decimal(n.max_points) for n in groups if n.max_points is not None]
        sums = [sum(maxima, Decimal(0))]
        if self.wrapper:
            sums.append(sum((Decimal(g.max_points or 0) for g in self.wrapper[1]), Decimal(0)))
        if maxima:
            sums.append(maxima[-1])
        if self.result.bonus_cap is not None:
            sums.append(sums[0] + Decimal(self.result.bonus_cap))
        return sums

    # Parts ------------------------------------------------------------------------------------

    def _part(self, typed: str, title: str) -> str | None:
        """The part's code ("A", "Phần II", "Điểm thưởng") when the row opens a part."""
        bare = bare_code(typed)
        match = PART_RE.match(plain(bare))
        if match:
            label = match[1].upper()
            return f"Phần {label}"
        if typed == title:  # "ĐIỂM THƯỞNG (tối đa 50 điểm)" → "Điểm thưởng"
            words = title.split()[:2]
            return " ".join(words).capitalize()
        if len(bare) == 1 and bare in PART_LETTERS:
            letters = [code for code in self.part_codes if len(code) == 1]
            if letters:
                following = PART_LETTERS.index(letters[-1]) + 1
                named = title.isupper() or section_named(title)
                if following < len(PART_LETTERS) and PART_LETTERS[following] == bare and named:
                    return bare
                return None
            if not self.result.nodes and not self.part_codes:
                return bare
            if section_named(title) and title.isupper():
                return bare
        return None

    def _open_part(self, number, code, typed, title, raw_points, note):
        self.part_codes.append(code)
        section = section_named(title) or ranking.Section.CONTENT
        self.stack = []
        self.wrapper = None
        if code in self.codes:
            self.problem(
                number,
                _("Row %(row)s: the number %(code)s appears twice.")
                % {"row": "%(row)s", "code": code},
            )
            return
        shape = Shape(style="part")
        node = self._node(number, typed, code, None, 1, section, title, raw_points, "", note)
        self.stack = [_Open(node=node, shape=shape, bare=code, section=section)]

    def _unwrap(self) -> None:
        """The open part turns out to hold Roman-numbered groups: it only wraps them."""
        part = self.stack[0].node
        if part in self.result.nodes:
            self.result.nodes.remove(part)
        self.codes.discard(part.code)
        if self.previous is part:
            self.previous = None
        self.wrapper = (part, [])
        self.wrappers.append(self.wrapper)
        self.wrapper_section = self.stack[0].section
        self.stack = []

    # Placing a code -----------------------------------------------------------------------------

    def _place(self, bare: str, shape: Shape) -> tuple[_Open | None, Shape]:
        """The open node the code goes under (None: the top), after closing the levels it
        leaves; the shape may be settled on the way (a single "i" is a letter or a numeral)."""
        stack = self.stack
        if shape.style == "letter" and shape.segment in "ivxl":
            shape = self._letter_or_roman(bare, shape)
        if shape.style == "roman" and shape.upper:
            if (
                len(stack) == 1
                and stack[0].shape.style == "part"
                and stack[0].children == 0
                and stack[0].node is not None
            ):
                self._unwrap()
            self.stack = []
            return None, shape
        if shape.prefix:
            for index in range(len(stack) - 1, -1, -1):
                if stack[index].bare.lower() == shape.prefix.lower():
                    del stack[index + 1 :]
                    return stack[index], shape
            # No open node has the prefix: the whole code is the step ("2.a" under "1").
            value = 0 if shape.style == "numletter" else shape.value
            shape = Shape(style=shape.style, value=value, segment=bare.lower(), key=shape.key)
        for index in range(len(stack) - 1, -1, -1):
            opened = stack[index]
            if opened.shape.style != shape.style:
                continue
            if self._continues(shape, opened.shape):
                return self._sibling_of(index), shape
        if stack and stack[-1].shape.style == shape.style and shape.value != 1:
            return self._sibling_of(len(stack) - 1), shape  # a gap or a repeat in the numbering
        if shape.style == "roman" and shape.value != 1:
            for index in range(len(stack) - 1, -1, -1):
                opened = stack[index].shape
                if opened.style == "roman" and opened.upper == shape.upper:
                    return self._sibling_of(index), shape  # a gap or a repeat
        return (stack[-1] if stack else None), shape

    def _sibling_of(self, index: int) -> _Open | None:
        del self.stack[index:]
        return self.stack[-1] if self.stack else None

    @staticmethod
    def _continues(shape: Shape, opened: Shape) -> bool:
        if shape.key:
            return bool(opened.key) and _follows(shape.key, opened.key)
        if shape.style.startswith("bullet") or not shape.value:
            return True
        if shape.style == "roman" and opened.upper != shape.upper:
            return False
        return shape.value == opened.value + 1

    def _letter_or_roman(self, bare: str, shape: Shape) -> Shape:
        """ "i" after "h" is a letter; "i" opening a list, or "v" after "iv", a numeral."""
        for opened in reversed(self.stack):
            if opened.shape.style == "letter" and _follows(bare, opened.shape.segment):
                return shape
            if opened.shape.style == "roman" and roman_value(bare) == opened.shape.value + 1:
                break
        else:
            if bare.lower() != "i" and self.stack and not bare.isupper():
                return shape
        return Shape(
            style="roman", value=roman_value(bare), segment=bare.lower(), upper=bare.isupper()
        )

    # Adding a node ----------------------------------------------------------------------------

    def _add(self, number, typed, bare, shape, parent, title, raw_points, rule_text, note):
        if parent is None:
            code = bare.upper() if shape.style == "roman" else bare
            section = section_named(title)
            if section is None:
                section = self.wrapper_section if self.wrapper else ranking.Section.CONTENT
            level = 1
        else:
            if shape.style.startswith("bullet"):
                segment = str(parent.children + 1)
            else:
                segment = shape.segment
            code = f"{parent.node.code}.{segment}" if parent.node else segment
            section = parent.section
            level = parent.node.level + 1 if parent.node else 1
        if code in self.codes:
            self.problem(
                number,
                _("Row %(row)s: the number %(code)s appears twice.")
                % {"row": "%(row)s", "code": code},
            )
            return
        if len(code) > MAX_CODE_LENGTH or level > MAX_DEPTH:
            self.problem(
                number, _("Row %(row)s: the criterion is nested too deep.") % {"row": number}
            )
            return
        node = self._node(
            number, typed, code, parent, level, section, title, raw_points, rule_text, note
        )
        if parent is not None:
            parent.children += 1
        elif self.wrapper is not None:
            self.wrapper[1].append(node)
        self.stack.append(_Open(node=node, shape=shape, bare=bare, section=section))

    def _node(self, number, typed, code, parent, level, section, title, raw_points, rule, note):
        kind = {
            ranking.Section.BONUS: ranking.Kind.BONUS,
            ranking.Section.DEDUCTION: ranking.Kind.DEDUCTION,
        }.get(section, ranking.Kind.JUDGED)
        node = ParsedNode(
            row=number,
            code=code,
            title=title[:500],
            level=level,
            parent_code=parent.node.code if parent is not None and parent.node else None,
            kind=kind,
            guidance=note,
            typed_code=typed[:30],
        )
        value = number_in(raw_points)
        flawed = raw_points not in (None, "") and value is None
        if flawed:
            self.problem(number, _("Row %(row)s: the maximum points are not a number."))
        elif value is not None and value < 0:
            if section == ranking.Section.CONTENT:
                self.problem(number, _("Row %(row)s: the maximum points cannot be negative."))
                flawed = True
            else:
                value = -value  # deductions typed negative
        if section == ranking.Section.CONTENT:
            if value is None and raw_points in (None, ""):
                value = points_in_title(title)
            node.max_points = str(value) if value is not None else None
        elif level == 1:
            cap = cap_in(raw_points) or cap_in(title) or value
            if section == ranking.Section.BONUS:
                self.result.bonus_cap = str(cap) if cap is not None else None
            else:
                self.result.deduction_cap = str(cap) if cap is not None else None
        else:
            node.per_occurrence = str(value) if value is not None else None
            cap = cap_in(raw_points) or cap_in(title)
            node.max_points = str(cap) if cap is not None else None
        self.codes.add(code)
        if flawed:
            # Kept out of the tree, as the rows below it still need their place.
            return node
        if rule:
            self.rule_texts[id(node)] = rule
        self.result.nodes.append(node)
        self.previous = node
        return node

    # The whole table --------------------------------------------------------------------------

    def finish(self) -> ParsedScheme:
        result = self.result
        nodes = result.nodes
        children: dict[str, list[ParsedNode]] = {}
        for node in nodes:
            if node.parent_code:
                children.setdefault(node.parent_code, []).append(node)
        for node in nodes:
            kids = children.get(node.code)
            rule = self.rule_texts.get(id(node), "")
            if kids:
                continue
            self._leaf(node, rule)
        # Sums, deepest groups first, so that a group without a maximum takes its children's.
        for node in sorted(nodes, key=lambda n: -n.level):
            kids = children.get(node.code)
            if kids and node.kind not in _SIDE_KINDS and node.max_points is None:
                node.max_points = str(_sum(kids)) if all(k.max_points for k in kids) else None
        for node in nodes:
            kids = children.get(node.code)
            if not kids or node.kind in _SIDE_KINDS or node.max_points is None:
                continue
            if _sum(kids) != Decimal(node.max_points):
                self._sum_problem(node, _sum(kids))
        for part, groups in self.wrappers:
            if part.max_points is not None and _sum(groups) != Decimal(part.max_points):
                self._sum_problem(part, _sum(groups))
        for number, value, sums in self.totals:
            if value not in sums:
                self.problem(
                    number,
                    _("Row %(row)s: the total row says %(total)s but the groups add up to %(sum)s.")
                    % {
                        "row": number,
                        "total": ranking.format_points(value),
                        "sum": ranking.format_points(sums[0]),
                    },
                )
        result.content_total = str(
            sum(
                (
                    Decimal(n.max_points)
                    for n in nodes
                    if n.level == 1 and n.kind not in _SIDE_KINDS and n.max_points
                ),
                Decimal(0),
            )
        )
        if not nodes and not result.problems:
            result.problem(None, _("The table has no criteria."))
        return result

    def _sum_problem(self, node: ParsedNode, total: Decimal) -> None:
        self.problem(
            node.row,
            _("Row %(row)s: %(code)s has %(max)s points but its criteria add up to %(sum)s.")
            % {
                "row": node.row,
                "code": bare_code(node.typed_code) or node.code,
                "max": ranking.format_points(Decimal(node.max_points)),
                "sum": ranking.format_points(total),
            },
        )

    def _leaf(self, node: ParsedNode, text: str) -> None:
        """A leaf's rule from its "Cách chấm" phrase, and what a leaf of its kind needs."""
        named = rule_from_text(text) if text else (ranking.Kind.JUDGED.value, {})
        if named is None:
            self.problem(
                node.row,
                _(
                    "Row %(row)s: the scoring method “%(text)s” is not recognised; write one "
                    "the importer knows or choose the rule after importing without it."
                )
                % {"row": node.row, "text": text},
            )
            return
        method, params = named
        if text:
            node.method = method
            line = _("Scoring method: %(text)s") % {"text": text}
            node.guidance = f"{node.guidance}\n{line}".strip()
        if node.kind in _SIDE_KINDS:
            if node.level == 1:
                return
            if method == PER_OCCURRENCE:
                if node.per_occurrence is None:
                    node.per_occurrence = str(params["point_per_unit"])
                if node.max_points is None and "cap" in params:
                    node.max_points = str(params["cap"])
            if node.per_occurrence is None:
                self.problem(
                    node.row,
                    _("Row %(row)s: the points per occurrence are missing.") % {"row": node.row},
                )
            return
        if node.max_points is None:
            self.problem(
                node.row, _("Row %(row)s: the maximum points are missing.") % {"row": node.row}
            )
        if method in STORED_RULES:  # the others (cluster-relative…) stay judged for now
            node.kind, node.rule = STORED_RULES[method]


_SIDE_KINDS = (ranking.Kind.BONUS, ranking.Kind.DEDUCTION)


def _sum(nodes: list[ParsedNode]) -> Decimal:
    """The maxima of `nodes` added up; a missing one (already reported) counts as 0."""
    return sum((Decimal(n.max_points or 0) for n in nodes), Decimal(0))
