"""Reading a scoring scheme from the table secretariats already keep: an STT column (I, II …
for groups, 1, 2 … for criteria, a, b … for sub-criteria), a content column and a
maximum-points column, with bonus ("điểm thưởng/cộng") and deduction ("điểm trừ") sections.
Tolerated: the header on any of the first rows, merged title cells, blank spacer rows, a
row of column numbers under the header, a total row, "50 điểm" written as text, Roman
numerals in either case, titles continued on the next row.

Called by the scheme import view (views.scheme) and the `import_scheme` command.
"""

import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import ranking
from ..numbers import parse_number
from ..workbooks import WorkbookError
from .reading import _open, plain

HEADER_SCAN_ROWS = 15


ROMAN_RE = re.compile(r"^[ivxlc]+$", re.IGNORECASE)


# A number written in a cell's text: digits with separators inside ("1.050,5 điểm").
NUMBER_RE = re.compile(r"\d(?:[\d.,]*\d)?")


# Scheme workbooks are Vietnamese documents: their text numbers are read the Vietnamese way
# whatever the language of the page that imports them.
WORKBOOK_LANGUAGE = "vi"


def roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total, previous = 0, 0
    for ch in reversed(text.lower()):
        value = values[ch]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


@dataclass
class ParsedNode:
    row: int
    code: str
    title: str
    level: int
    parent_code: str | None
    kind: str = ranking.Kind.JUDGED
    max_points: str | None = None  # Decimal as text, for the session
    per_occurrence: str | None = None
    guidance: str = ""

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


def _number(value) -> Decimal | None:
    """50, 50.0, "50", "50 điểm", "50,5đ", "1.050 điểm", "(50)" → Decimal; None when there is
    no number or it is not one by the product's number rule ("12,5,3")."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    match = NUMBER_RE.search(str(value))
    if not match:
        return None
    return _parse_number(match.group())


def _cap_in(text) -> Decimal | None:
    """ "trừ 2 điểm/lần, tối đa 10 điểm" → 10."""
    match = re.search(r"toi da\D*(\d(?:[\d.,]*\d)?)", plain(text))
    return _parse_number(match.group(1)) if match else None


def _parse_number(text: str) -> Decimal | None:
    try:
        return parse_number(text, language=WORKBOOK_LANGUAGE)
    except ValueError:
        return None


def _find_header(sheet):
    """(row, stt column, content column, points column), 1-based, or None."""
    for row in sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        stt = content = points = None
        for cell in row:
            text = plain(cell.value)
            if not text:
                continue
            if stt is None and text.rstrip(".") in ("stt", "tt", "so tt", "so thu tu"):
                stt = cell.column
            elif content is None and ("noi dung" in text or "tieu chi" in text):
                content = cell.column
            elif "diem" in text and content is not None and cell.column > content:
                preferred = any(w in text for w in ("chuan", "toi da", "thang diem"))
                if points is None or (preferred and not points[1]):
                    points = (cell.column, preferred)
        if stt and content and points:
            return row[0].row, stt, content, points[0]
    return None


def parse_scheme_workbook(upload) -> ParsedScheme:
    """Reads a scheme table into nodes with codes, and every problem with its row.

    Raises WorkbookError when the file as a whole is unusable; row problems are collected
    in `problems` so the user sees them all at once.
    """
    sheet, (header_row, *columns) = _find_table(_open(upload))
    reader = _SchemeReader(ParsedScheme(sheet=sheet.title, header_row=header_row))
    for row in sheet.iter_rows(min_row=header_row + 1):
        reader.read(_Line.of(row, *columns))
    return reader.finish()


def _find_table(workbook):
    """The first sheet with a scheme table, and where its header is (see `_find_header`)."""
    for sheet in workbook.worksheets:
        found = _find_header(sheet)
        if found:
            return sheet, found
    raise WorkbookError(
        _(
            "No scoring table found: the first rows need the headings “STT”, “Nội dung” "
            "(or “Tiêu chí”) and “Điểm” (maximum points)."
        )
    )


@dataclass
class _Line:
    """One row of the table: its number, STT (as written and cleaned), content and points."""

    number: int
    raw_stt: object
    stt: str
    title: str
    raw_points: object

    @classmethod
    def of(cls, row, stt_col, content_col, points_col):
        cells = {cell.column: cell.value for cell in row}
        raw_stt = cells.get(stt_col)
        stt = str(raw_stt).strip() if raw_stt is not None else ""
        if isinstance(raw_stt, float) and raw_stt.is_integer():
            stt = str(int(raw_stt))
        return cls(
            number=row[0].row,
            raw_stt=raw_stt,
            stt=stt.rstrip(".)").strip(),
            title=str(cells.get(content_col) or "").strip(),
            raw_points=cells.get(points_col),
        )

    @property
    def has_points(self) -> bool:
        return self.raw_points not in (None, "")

    def is_filler(self) -> bool:
        """A spacer row, a row of column numbers ((1) (2) (3)) or the total row."""
        if not self.stt and not self.title and not self.has_points:
            return True
        numbered = self.title.startswith("(") and _number(self.title) is not None
        if numbered and not self.stt[:1].isalpha():
            return True
        return not self.stt and plain(self.title).startswith("tong")


class _RowProblem(Exception):
    """A row that cannot be read; its message names the row."""


class _SchemeReader:
    """Reads the table row by row: where each row stands in the tree (group, criterion,
    sub-criterion), its code, kind and points, and a problem for each row it cannot read."""

    def __init__(self, result: ParsedScheme):
        self.result = result
        self.group = self.criterion = self.previous = None
        self.section = ranking.Section.CONTENT
        self.codes = set()

    def read(self, line: _Line) -> None:
        if line.is_filler() or self._continues_previous(line):
            return
        try:
            node = self._node(line)
        except _RowProblem as problem:
            self.result.problems.append(str(problem))
            return
        self._append(node)

    def finish(self) -> ParsedScheme:
        result = self.result
        _check_sums(result)
        result.content_total = str(
            sum(
                (
                    Decimal(n.max_points)
                    for n in result.nodes
                    if n.level == 1 and n.kind == ranking.Kind.JUDGED and n.max_points
                ),
                Decimal(0),
            )
        )
        if not result.nodes and not result.problems:
            result.problems.append(_("The table has no criteria."))
        return result

    def _continues_previous(self, line: _Line) -> bool:
        """A title continued on the next row, without a number or points."""
        if line.stt or self.previous is None or not line.title or line.has_points:
            return False
        self.previous.title = f"{self.previous.title} {line.title}".strip()
        return True

    def _node(self, line: _Line) -> ParsedNode:
        level, letter = self._level(line)
        if not line.title:
            raise _RowProblem(_("Row %(row)s: the content is empty.") % {"row": line.number})
        code, parent = self._code_and_parent(line, level, letter)
        if code in self.codes:
            raise _RowProblem(
                _("Row %(row)s: the number %(code)s appears twice.")
                % {"row": line.number, "code": code}
            )
        self.codes.add(code)
        node = ParsedNode(
            row=line.number,
            code=code,
            title=line.title[:500],
            level=level,
            parent_code=parent.code if parent else None,
            kind=_KIND_OF_SECTION.get(self.section, ranking.Kind.JUDGED),
        )
        self._set_points(node, line)
        return node

    def _level(self, line: _Line) -> tuple[int, str | None]:
        """1 for a group (I, II…), 2 for a criterion (1, 2…), 3 for a sub-criterion (a, b…,
        or -, +, *), with the letter a sub-criterion's code ends in."""
        number, stt = line.number, line.stt
        if not stt:
            raise _RowProblem(_("Row %(row)s: the STT (number) is missing.") % {"row": number})
        if isinstance(line.raw_stt, str) and line.raw_stt.startswith("="):
            raise _RowProblem(
                _("Row %(row)s: formulas are not accepted in the STT column.") % {"row": number}
            )
        lower = stt.lower()
        is_letter = len(lower) == 1 and lower.isalpha()
        expected_letter = None
        if self.criterion is not None:
            subs = [n for n in self.result.nodes if n.parent_code == self.criterion.code]
            expected_letter = "abcdefghijklmnopqrstuvwxyz"[len(subs)] if len(subs) < 26 else None
        if stt in ("-", "+", "*") or (
            is_letter
            and self.criterion is not None
            and (not ROMAN_RE.match(lower) or lower == expected_letter)
        ):
            return 3, lower if is_letter else expected_letter or str(len(self.result.nodes))
        if ROMAN_RE.match(stt):
            return 1, None
        if stt.isdigit():
            return (2 if self.group is not None else 1), None
        raise _RowProblem(
            _(
                "Row %(row)s: “%(stt)s” is not a group (I, II…), a criterion (1, 2…) or a "
                "sub-criterion (a, b…)."
            )
            % {"row": number, "stt": stt}
        )

    def _code_and_parent(self, line: _Line, level: int, letter: str | None):
        """The node's code and parent; a group also opens its section (content, bonus,
        deduction) for the rows under it."""
        stt = line.stt
        if level == 1:
            self.section = _section_of(line.title)
            return (ROMAN_RE.match(stt) and stt.upper()) or stt, None
        if level == 2:
            return f"{self.group.code}.{stt}", self.group
        if self.criterion is None:
            raise _RowProblem(
                _("Row %(row)s: a sub-criterion must follow a criterion.") % {"row": line.number}
            )
        return f"{self.criterion.code}.{letter}", self.criterion

    def _set_points(self, node: ParsedNode, line: _Line) -> None:
        """Content rows carry their maximum; a bonus or deduction group its cap; a bonus or
        deduction item its points per occurrence and its own cap."""
        number, raw_points = line.number, line.raw_points
        value = _number(raw_points)
        if line.has_points and value is None:
            raise _RowProblem(
                _("Row %(row)s: the maximum points are not a number.") % {"row": number}
            )
        if self.section == ranking.Section.CONTENT:
            if value is None:
                raise _RowProblem(
                    _("Row %(row)s: the maximum points are missing.") % {"row": number}
                )
            node.max_points = str(value)
        elif node.level == 1:
            cap = _cap_in(raw_points) or _cap_in(line.title) or value
            if self.section == ranking.Section.BONUS:
                self.result.bonus_cap = str(cap) if cap is not None else None
            else:
                self.result.deduction_cap = str(cap) if cap is not None else None
        else:
            if value is None:
                raise _RowProblem(
                    _("Row %(row)s: the points per occurrence are missing.") % {"row": number}
                )
            node.per_occurrence = str(value)
            cap = _cap_in(raw_points) or _cap_in(line.title)
            node.max_points = str(cap) if cap is not None else None

    def _append(self, node: ParsedNode) -> None:
        self.result.nodes.append(node)
        self.previous = node
        if node.level == 1:
            self.group, self.criterion = node, None
        elif node.level == 2:
            self.criterion = node


_KIND_OF_SECTION = {
    ranking.Section.BONUS: ranking.Kind.BONUS,
    ranking.Section.DEDUCTION: ranking.Kind.DEDUCTION,
}


def _section_of(title: str):
    """The section a group's title opens: bonus (điểm thưởng/cộng), deduction (điểm trừ) or
    content."""
    name = plain(title)
    if "thuong" in name or "diem cong" in name:
        return ranking.Section.BONUS
    if "tru" in name.split() or "diem tru" in name:
        return ranking.Section.DEDUCTION
    return ranking.Section.CONTENT


def _check_sums(result: ParsedScheme) -> None:
    by_parent: dict[str, list[ParsedNode]] = {}
    for node in result.nodes:
        if node.parent_code:
            by_parent.setdefault(node.parent_code, []).append(node)
    for node in result.nodes:
        kids = by_parent.get(node.code)
        if not kids or node.kind != ranking.Kind.JUDGED or node.max_points is None:
            continue
        total = sum((Decimal(k.max_points or 0) for k in kids), Decimal(0))
        if total != Decimal(node.max_points):
            result.problems.append(
                _("Row %(row)s: %(code)s has %(max)s points but its criteria add up to %(sum)s.")
                % {
                    "row": node.row,
                    "code": node.code,
                    "max": ranking.format_points(Decimal(node.max_points)),
                    "sum": ranking.format_points(total),
                }
            )
