"""The look every workbook shares: fonts, fills and number formats, the `Book` and
`ReportSheet` writers, the official heading (Nghị định 30) and the signature block, and the
first cells of a criterion row. Used by `reports` and `template`.
"""

import datetime
import io
import re
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter

from .. import ranking
from ..documents import MOTTO, NATIONAL_TITLE, administrative_date

FONT_NAME = "Times New Roman"


POINTS_FORMAT = "[$-42A]#,##0.00"  # Vietnamese locale: 1.234,50


COUNT_FORMAT = "[$-42A]#,##0"


HEADER_FILL = "#E7E6E6"


GROUP_FILL = "#F2F2F2"


INPUT_FILL = "#FFF2CC"


TEMPLATE_MARKER = "cumthidua-template:1"


HEADER_ROW = 8  # the table header follows the seven rows of the official heading


VERTICAL = {"center": "vcenter", "top": "top", "bottom": "bottom"}


class Styled(NamedTuple):
    """A value with its cell format; `wrap` and `size` serve the row-height estimate."""

    value: object
    format: object
    wrap: bool
    size: int


class Formula:
    """A formula to write together with the value it evaluates to, in the look of `style`
    (ReportSheet.cell's options) or of `cell_format`, a format made beforehand for a run of
    alike cells (the matrix's 4,000 group sums)."""

    __slots__ = ("cell_format", "style", "text", "value")

    def __init__(self, text: str, value, *, cell_format=None, **style):
        self.text, self.value, self.style, self.cell_format = text, value, style, cell_format


class Book:
    """An XlsxWriter workbook, written into `file` (a binary file open for writing) or else
    kept in memory; each style combination becomes one format."""

    def __init__(self, *, streaming: bool = False, file=None):
        # Streaming writes each row out as the next one begins (XlsxWriter's constant memory
        # mode): for reports of unbounded length, which only ever append.
        self.file = file
        self.buffer = io.BytesIO() if file is None else file
        self.workbook = xlsxwriter.Workbook(
            self.buffer, {"in_memory": not streaming, "constant_memory": streaming}
        )
        self.workbook.set_properties({"author": "Cụm thi đua"})
        self.formats: dict[tuple, object] = {}

    def format(self, key: tuple):
        found = self.formats.get(key)
        if found is None:
            bold, italic, size, align, wrap, border, number, fill, locked, underline, valign = key
            spec = {
                "font_name": FONT_NAME,
                "font_size": size,
                "bold": bold,
                "italic": italic,
                "align": align,
                "valign": VERTICAL[valign],
                "text_wrap": wrap,
                "locked": locked,
            }
            if underline:
                spec["underline"] = 1
            if border:
                spec.update(border=1, border_color="#000000")
            if number:
                spec["num_format"] = number
            if fill:
                spec.update(pattern=1, bg_color=fill)
            found = self.formats[key] = self.workbook.add_format(spec)
        return found

    def save(self) -> bytes | None:
        """The workbook's bytes, or None when it was written into a file."""
        self.workbook.close()  # formulas are recalculated when opened (fullCalcOnLoad)
        return self.buffer.getvalue() if self.file is None else None


class ReportSheet:
    """A report sheet: set columns first, then append rows top to bottom."""

    def __init__(
        self,
        book: Book,
        title: str,
        widths: list[float],
        *,
        landscape: bool = True,
        columns: int | None = None,
        freeze: str | None = None,
        hidden: tuple[int, ...] = (),
    ):
        self.book = book
        self.sheet = book.workbook.add_worksheet(_sheet_title(title))
        self.sheet._prepare_formula = _formula_preparer(self.sheet._prepare_formula)
        self.freeze = freeze
        if freeze:
            self.sheet.freeze_panes(freeze)
        # The printed width: the heading and signature span it; hidden columns come after.
        self.columns = columns or len(widths)
        self.widths = widths
        self.row = 0
        self._last: list = []
        for index, width in enumerate(widths):
            options = {"hidden": True} if index + 1 in hidden else None
            self.sheet.set_column(index, index, width, None, options)
        if landscape:
            self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)
        self.sheet.set_margins(left=0.8, right=0.5, top=0.6, bottom=0.6)
        self.sheet.center_horizontally()

    def cell(
        self,
        value=None,
        *,
        bold=False,
        italic=False,
        size=12,
        align="left",
        wrap=False,
        border=False,
        number=None,
        fill=None,
        locked=True,
        underline=None,
        valign="center",
    ) -> Styled:
        key = (bold, italic, size, align, wrap, border, number, fill, locked, underline, valign)
        return Styled(value, self.book.format(key), wrap, size)

    def append(self, values, *, height=None) -> int:
        """Appends a row of cells (Styled, Formula or None); returns its 1-based number."""
        self.row += 1
        row = self.row - 1
        sheet = self.sheet
        write_number = sheet.write_number
        cells = list(values)
        for column, value in enumerate(cells):
            if value is None:
                continue
            if type(value) is Formula:
                cells[column] = self._write_formula(row, column, value)
            elif type(value.value) is float:  # most cells: points, written as _write would
                write_number(row, column, value.value, value.format)
            else:
                _write(sheet, row, column, value.value, value.format)
        self._last = cells
        height = height or self._wrapped_height(cells)
        if height:
            sheet.set_row(row, height)
        return self.row

    def _write_formula(self, row: int, column: int, formula: Formula) -> Styled:
        """Writes a formula cell with its value; returns it as a Styled cell of its look."""
        if formula.cell_format is None:
            styled = self.cell(formula.text, **formula.style)
        else:
            styled = Styled(formula.text, formula.cell_format, False, 12)
        value = formula.value
        self.sheet.write_formula(
            row, column, formula.text, styled.format, None if value is None else float(value)
        )
        return styled

    def put(self, row: int, column: int, value) -> None:
        """Writes a bare value at a 1-based row and column (hidden identification cells)."""
        _write(self.sheet, row - 1, column - 1, value, None)

    def _wrapped_height(self, cells) -> float | None:
        """Spreadsheet programs do not re-fit rows of a written file: estimate the lines a
        wrapped text needs in its column (about one character per unit of width)."""
        lines = 1
        for column, cell in enumerate(cells):
            if cell is None or not cell.wrap or not isinstance(cell.value, str):
                continue
            if column >= len(self.widths):
                continue
            per_line = max(1, int(self.widths[column] * 1.15 / (cell.size / 12)))
            needed = sum(-(-max(1, len(part)) // per_line) for part in cell.value.split("\n"))
            lines = max(lines, needed)
        return 15.5 * lines if lines > 1 else None

    def merge(self, first_column, last_column):
        """Merges cells of the last appended row, keeping its first cell."""
        if last_column > first_column:
            first = self._last[first_column - 1] if first_column <= len(self._last) else None
            value, fmt = (first.value, first.format) if first is not None else (None, None)
            row = self.row - 1
            self.sheet.merge_range(row, first_column - 1, row, last_column - 1, None, fmt)
            _write(self.sheet, row, first_column - 1, value, fmt)  # by its type, as append

    def blank(self, count=1):
        for _blank in range(count):
            self.append([])

    def protect(self):
        """Locks every cell but the unlocked inputs; column widths and row heights may change."""
        self.sheet.protect("", {"format_columns": True, "format_rows": True})

    def validate(self, cells: list[str], options: dict):
        """One validation rule over several cells ("E10", "E12", …)."""
        if cells:
            self.sheet.data_validation(cells[0], {**options, "multi_range": " ".join(cells)})

    def heading(
        self, *, cluster, place: str, day: datetime.date, title: str, subtitle: str, left_span: int
    ):
        """The official heading, the title and subtitle; leaves the cursor on a blank row."""
        body, name = (cluster.managing_body.upper(), cluster.name.upper())
        right = self.columns - left_span
        pad = [None] * (left_span - 1)
        rpad = [None] * (right - 1)
        self.append(
            [
                self.cell(body, align="center", size=12),
                *pad,
                self.cell(NATIONAL_TITLE, bold=True, align="center", size=12),
                *rpad,
            ]
        )
        self.merge(1, left_span)
        self.merge(left_span + 1, self.columns)
        self.append(
            [
                self.cell(name, bold=True, align="center", size=12, underline="single"),
                *pad,
                self.cell(MOTTO, bold=True, align="center", size=13, underline="single"),
                *rpad,
            ]
        )
        self.merge(1, left_span)
        self.merge(left_span + 1, self.columns)
        self.append(
            [None] * left_span
            + [
                self.cell(administrative_date(day, place), italic=True, align="center", size=13),
                *rpad,
            ]
        )
        self.merge(left_span + 1, self.columns)
        self.blank()
        self.append([self.cell(title, bold=True, align="center", size=14)])
        self.merge(1, self.columns)
        self.append([self.cell(subtitle, italic=True, align="center", size=13)])
        self.merge(1, self.columns)
        self.blank()

    def header_row(self, labels: list[str]) -> int:
        expected = self.freeze
        row = self.append(
            [
                self.cell(
                    label,
                    bold=True,
                    align="center",
                    wrap=True,
                    border=True,
                    fill=HEADER_FILL,
                    size=11,
                )
                for label in labels
            ],
            height=45,
        )
        self.sheet.repeat_rows(row - 1)
        if expected:
            assert expected.endswith(str(row + 1)), "the frozen panes must start under the header"
        return row

    def signature_block(self, *, cluster, signer: str, right_span: int):
        """ "Nơi nhận" on the left, the leader's signature block on the right."""
        self.blank()
        left = self.columns - right_span
        rpad = [None] * (right_span - 1)
        lines = [
            (
                self.cell("Nơi nhận:", bold=True, italic=True, size=11),
                self.cell(f"TM. {cluster.name.upper()}", bold=True, align="center"),
            ),
            (
                self.cell("- Các đơn vị trong Cụm;", size=11),
                self.cell("CỤM TRƯỞNG", bold=True, align="center"),
            ),
            (self.cell("- Lưu: VT, Cụm.", size=11), None),
        ]
        for left_cell, right_cell in lines:
            self.append([left_cell, *([None] * (left - 1)), right_cell, *rpad])
            if right_cell is not None:
                self.merge(left + 1, self.columns)
        self.blank(3)
        self.append([None] * left + [self.cell(signer, bold=True, align="center"), *rpad])
        self.merge(left + 1, self.columns)


def _formula_preparer(prepare):
    """XlsxWriter runs some 30 regular expressions over each written formula to spell the
    newest functions (XLOOKUP, FILTER…) as Excel stores them; the reports' formulas use SUM,
    MIN, IF and ROUND only, so they are stored as written (this was most of the matrix's time:
    4,000 group cells at 25 units × 500 criteria). Other callers keep XlsxWriter's own."""

    def prepare_formula(formula, expand_future_functions=False):
        if expand_future_functions or not formula.startswith("="):
            return prepare(formula, expand_future_functions)
        return formula[1:]

    return prepare_formula


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    # Nor may it begin or end with an apostrophe (XlsxWriter refuses it, as Excel does).
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip("'") or "Sheet1"


def xml_number(value) -> str:
    value = Decimal(value)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def excel_number(value):
    """Decimal → float for the cell (Excel has no decimal type); None stays empty."""
    return None if value is None else float(value)


_WRITERS = {
    float: "write_number",
    int: "write_number",
    Decimal: "write_number",
    str: "write_string",
    bool: "write_boolean",
    datetime.datetime: "write_datetime",
    datetime.date: "write_datetime",
}


def _write(sheet, row: int, column: int, value, fmt) -> None:
    """Writes a value by its type: a text is never taken for a formula or a link."""
    if value is None:
        sheet.write_blank(row, column, None, fmt)
        return
    method = _WRITERS.get(type(value), "write_string")
    if method == "write_number":
        value = float(value)
    elif method == "write_string":
        value = str(value)
    getattr(sheet, method)(row, column, value, fmt)


def signing_place(data) -> str:
    leader = data.leader
    return leader.unit.province if leader else ""


def leader_signer(data) -> str:
    signature = data.leader_signature
    return signature.representative if signature else ""


def ranking_points(value) -> str:
    return ranking.format_points(value) if value is not None else ""


def _criterion_max(criterion):
    """The "Điểm chuẩn" cell: the maximum as a number, or the per-occurrence rule as text."""
    if criterion.disqualifying:
        return "Không xét cờ"
    if criterion.points_per_occurrence is not None:
        sign = "−" if criterion.kind == ranking.Kind.DEDUCTION else "+"
        text = f"{sign}{ranking_points(criterion.points_per_occurrence)}/lần"
        if criterion.max_points is not None:
            text += f" (≤ {ranking_points(criterion.max_points)})"
        return text
    return excel_number(criterion.max_points)


def criterion_lead_cells(sheet, *, targets_for=None, data=None):
    """TT, content and maximum cells; with `targets_for` (a unit id), its target too."""

    def lead(criterion, group):
        style = {"border": True, "fill": GROUP_FILL if group else None, "bold": group}
        maximum = _criterion_max(criterion)
        values = [
            sheet.cell(criterion.code, align="center", **style),
            sheet.cell("    " * (criterion.level - 1) + criterion.title, wrap=True, **style),
            sheet.cell(
                maximum,
                align="right",
                wrap=True,
                number=POINTS_FORMAT if isinstance(maximum, float) else None,
                **style,
            ),
        ]
        if targets_for is not None:
            target = data.targets.get((targets_for, criterion.id))
            values.append(
                sheet.cell(excel_number(target), align="right", number=COUNT_FORMAT, **style)
            )
        return values

    return lead
