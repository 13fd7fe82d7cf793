"""The reader: rows in order, a stack of open ancestors, every problem with its row."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .. import ranking
from ..rules import CLUSTER_RELATIVE, PER_OCCURRENCE, lower_is_better_title, rule_from_text
from .codes import Shape, bare_code, follows, shape_of, typed_code
from .header import HEADER_SCAN_ROWS, Columns, cell, find_header, refine_header
from .result import MAX_CODE_LENGTH, MAX_DEPTH, STORED_RULES, ParsedNode, ParsedScheme
from .text import cap_in, number_in, plain, points_in_title, roman_value, section_named

PART_RE = re.compile(r"^phan\s+([ivx]+|\d+|[a-z])$")
PART_LETTERS = "ABCDĐEFGH"

TOTAL_STARTS = ("tong cong", "tong so", "tong diem", "tong")


@dataclass
class _Open:
    """A node on the stack of open ancestors."""

    node: ParsedNode | None  # None for a part that only wraps groups
    shape: Shape
    bare: str
    section: str
    children: int = 0


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

    def repeated(self, row: int, code: str) -> bool:
        """Whether `code` was read before; if so, the row's problem says so."""
        if code in self.codes:
            self.problem(
                row,
                _("Row %(row)s: the number %(code)s appears twice.")
                % {"row": "%(row)s", "code": code},
            )
        return code in self.codes

    # One row ----------------------------------------------------------------------------------

    def read(self, number: int, values: list) -> None:
        columns = self.columns
        first, self.first_row = self.first_row, False
        raw_stt = cell(values, columns.stt)
        typed = typed_code(raw_stt)
        title = re.sub(r"\s+", " ", str(cell(values, columns.content) or "")).strip()
        raw_points = cell(values, columns.points)
        rule_text = str(cell(values, columns.rule) or "").strip()
        note = str(cell(values, columns.note) or "").strip()
        if not typed and not title and raw_points in (None, "") and not rule_text:
            return  # spacer row
        if first and refine_header(columns, values):
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
        if self.repeated(number, code):
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
            return bool(opened.key) and follows(shape.key, opened.key)
        if shape.style.startswith("bullet") or not shape.value:
            return True
        if shape.style == "roman" and opened.upper != shape.upper:
            return False
        return shape.value == opened.value + 1

    def _letter_or_roman(self, bare: str, shape: Shape) -> Shape:
        """ "i" after "h" is a letter; "i" opening a list, or "v" after "iv", a numeral."""
        for opened in reversed(self.stack):
            if opened.shape.style == "letter" and follows(bare, opened.shape.segment):
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
        if self.repeated(number, code):
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
        if node.max_points is None and method == PER_OCCURRENCE and "cap" in params:
            node.max_points = str(params["cap"])
        if node.max_points is None:
            self.problem(
                node.row, _("Row %(row)s: the maximum points are missing.") % {"row": node.row}
            )
        if method in STORED_RULES:
            node.kind, node.rule = STORED_RULES[method]
        if method == CLUSTER_RELATIVE:
            node.lower_is_better = params["lower_is_better"] or lower_is_better_title(node.title)
        elif method == PER_OCCURRENCE:  # count × points per occurrence, capped at the maximum
            node.kind, node.per_occurrence = ranking.Kind.COUNT, str(params["point_per_unit"])


_SIDE_KINDS = (ranking.Kind.BONUS, ranking.Kind.DEDUCTION)


def _sum(nodes: list[ParsedNode]) -> Decimal:
    """The maxima of `nodes` added up; a missing one (already reported) counts as 0."""
    return sum((Decimal(n.max_points or 0) for n in nodes), Decimal(0))
