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
    workbook = _open(upload)
    found = None
    for sheet in workbook.worksheets:
        found = _find_header(sheet)
        if found:
            break
    if not found:
        raise WorkbookError(
            _(
                "No scoring table found: the first rows need the headings “STT”, “Nội dung” "
                "(or “Tiêu chí”) and “Điểm” (maximum points)."
            )
        )
    header_row, stt_col, content_col, points_col = found
    result = ParsedScheme(sheet=sheet.title, header_row=header_row)
    problem = result.problems.append

    group = criterion = previous = None
    section = ranking.Section.CONTENT
    codes = set()
    for row in sheet.iter_rows(min_row=header_row + 1):
        number = row[0].row
        cells = {cell.column: cell.value for cell in row}
        raw_stt = cells.get(stt_col)
        title = str(cells.get(content_col) or "").strip()
        raw_points = cells.get(points_col)
        stt = str(raw_stt).strip() if raw_stt is not None else ""
        if isinstance(raw_stt, float) and raw_stt.is_integer():
            stt = str(int(raw_stt))
        stt = stt.rstrip(".)").strip()
        if not stt and not title and raw_points in (None, ""):
            continue  # spacer row
        if title.startswith("(") and _number(title) is not None and not stt[:1].isalpha():
            continue  # a row of column numbers: (1) (2) (3)
        if not stt and plain(title).startswith("tong"):
            continue  # total row
        if not stt:
            if previous is not None and title and raw_points in (None, ""):
                previous.title = f"{previous.title} {title}".strip()
                continue
            problem(_("Row %(row)s: the STT (number) is missing.") % {"row": number})
            continue
        if isinstance(raw_stt, str) and raw_stt.startswith("="):
            problem(
                _("Row %(row)s: formulas are not accepted in the STT column.") % {"row": number}
            )
            continue
        lower = stt.lower()
        is_letter = len(lower) == 1 and lower.isalpha()
        expected_letter = None
        if criterion is not None:
            subs = [n for n in result.nodes if n.parent_code == criterion.code]
            expected_letter = "abcdefghijklmnopqrstuvwxyz"[len(subs)] if len(subs) < 26 else None
        if stt in ("-", "+", "*") or (
            is_letter
            and criterion is not None
            and (not ROMAN_RE.match(lower) or lower == expected_letter)
        ):
            level = 3
        elif ROMAN_RE.match(stt):
            level = 1
        elif stt.isdigit():
            level = 2 if group is not None else 1
        else:
            problem(
                _(
                    "Row %(row)s: “%(stt)s” is not a group (I, II…), a criterion (1, 2…) or a "
                    "sub-criterion (a, b…)."
                )
                % {"row": number, "stt": stt}
            )
            continue
        if not title:
            problem(_("Row %(row)s: the content is empty.") % {"row": number})
            continue

        if level == 1:
            code = (ROMAN_RE.match(stt) and stt.upper()) or stt
            name = plain(title)
            section = (
                ranking.Section.BONUS
                if ("thuong" in name or "diem cong" in name)
                else ranking.Section.DEDUCTION
                if "tru" in name.split() or "diem tru" in name
                else ranking.Section.CONTENT
            )
            parent = None
        elif level == 2:
            parent = group
            code = f"{group.code}.{stt}"
        else:
            if criterion is None:
                problem(
                    _("Row %(row)s: a sub-criterion must follow a criterion.") % {"row": number}
                )
                continue
            parent = criterion
            letter = lower if is_letter else expected_letter or str(len(result.nodes))
            code = f"{criterion.code}.{letter}"
        if code in codes:
            problem(
                _("Row %(row)s: the number %(code)s appears twice.") % {"row": number, "code": code}
            )
            continue
        codes.add(code)

        kind = {
            ranking.Section.BONUS: ranking.Kind.BONUS,
            ranking.Section.DEDUCTION: ranking.Kind.DEDUCTION,
        }.get(section, ranking.Kind.JUDGED)
        node = ParsedNode(
            row=number,
            code=code,
            title=title[:500],
            level=level,
            parent_code=parent.code if parent else None,
            kind=kind,
        )
        value = _number(raw_points)
        if raw_points not in (None, "") and value is None:
            problem(_("Row %(row)s: the maximum points are not a number.") % {"row": number})
            continue
        if section == ranking.Section.CONTENT:
            if value is None:
                problem(_("Row %(row)s: the maximum points are missing.") % {"row": number})
                continue
            node.max_points = str(value)
        elif level == 1:
            cap = _cap_in(raw_points) or _cap_in(title) or value
            if section == ranking.Section.BONUS:
                result.bonus_cap = str(cap) if cap is not None else None
            else:
                result.deduction_cap = str(cap) if cap is not None else None
        else:
            if value is None:
                problem(_("Row %(row)s: the points per occurrence are missing.") % {"row": number})
                continue
            node.per_occurrence = str(value)
            cap = _cap_in(raw_points) or _cap_in(title)
            node.max_points = str(cap) if cap is not None else None
        result.nodes.append(node)
        previous = node
        if level == 1:
            group, criterion = node, None
        elif level == 2:
            criterion = node

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
