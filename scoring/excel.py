"""Excel in and out. The only module that imports openpyxl (reading) and XlsxWriter (reports).

Reading a scoring scheme: the workbook is opened and bounded by `scoring.workbooks`, and its
rows are read into a criteria tree by `scoring.scheme_reader` (which knows no openpyxl).
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import xlsxwriter
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from . import ranking, scheme_reader, workbooks
from .documents import MOTTO, NATIONAL_TITLE, administrative_date
from .scheme_reader import ParsedNode, ParsedScheme  # noqa: F401 (the importers' names)
from .workbooks import WorkbookError


def parse_scheme_workbook(upload) -> ParsedScheme:
    """Reads a scheme table (see `scoring.scheme_reader`) from the first sheet that has one.

    Raises WorkbookError when the file as a whole is unusable; row problems are collected
    in `problems` so the user sees them all at once.
    """
    workbook = _open(upload)
    for sheet in workbook.worksheets:
        rows = ((cells[0].row, [c.value for c in cells]) for cells in sheet.iter_rows() if cells)
        parsed = scheme_reader.read_scheme(rows, sheet=sheet.title)
        if parsed is not None:
            return parsed
    raise WorkbookError(
        _(
            "No scoring table found: the first rows need the headings “STT”, “Nội dung” "
            "(or “Tiêu chí”) and “Điểm” (maximum points)."
        )
    )


def _open(upload, *, data_only=True, limits=None):
    """The checked workbook (see scoring/workbooks.py), read as a stream."""
    return workbooks.open_workbook(
        upload, limits=limits or workbooks.scheme_limits(), data_only=data_only
    )


# --- Reports --------------------------------------------------------------------------------
#
# Every report is one worksheet in the official layout of Nghị định 30/2020: the issuing body
# top-left over the cluster in bold capitals, the national title and motto top-right, place
# and date in italics, a bold title, Times New Roman, the leader's signature block; A4
# landscape fitted to the page width, the table header repeated on every printed page, frozen
# panes. Numbers are numbers; totals are SUM formulas stored together with their results, so
# that a reader that does not recalculate sees the same totals as the application.
#
# Reports are written with XlsxWriter, which stores a formula's result natively and writes
# styled cells several times faster than openpyxl; openpyxl reads workbooks (scheme and
# template imports).


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
    """A formula to write together with the value it evaluates to."""

    def __init__(self, text: str, value, **style):
        self.text, self.value, self.style = text, value, style


class Book:
    """An in-memory XlsxWriter workbook; each style combination becomes one format."""

    def __init__(self, *, streaming: bool = False):
        # Streaming writes each row out as the next one begins (XlsxWriter's constant memory
        # mode): for reports of unbounded length, which only ever append.
        self.buffer = io.BytesIO()
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

    def save(self) -> bytes:
        self.workbook.close()  # formulas are recalculated when opened (fullCalcOnLoad)
        return self.buffer.getvalue()


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
        cells = []
        for column, value in enumerate(values):
            if isinstance(value, Formula):
                styled = self.cell(value.text, **value.style)
                sheet.write_formula(row, column, value.text, styled.format, _num(value.value))
                value = styled
            elif value is not None:
                _write(sheet, row, column, value.value, value.format)
            cells.append(value)
        self._last = cells
        height = height or self._wrapped_height(cells)
        if height:
            sheet.set_row(row, height)
        return self.row

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


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    # Nor may it begin or end with an apostrophe (XlsxWriter refuses it, as Excel does).
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip("'") or "Sheet1"


def _xml_number(value) -> str:
    value = Decimal(value)
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _num(value):
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


def _place(data) -> str:
    leader = data.leader
    return leader.unit.province if leader else ""


def _signer(data) -> str:
    signature = data.leader_signature
    return signature.representative if signature else ""


def ranking_workbook(ranking, data, *, day: datetime.date) -> bytes:
    """Bảng tổng hợp kết quả chấm điểm và xếp hạng: STT, unit, group subtotals, bonus,
    deductions, total (a formula), rank, band, notes."""
    compact = ranking.compact
    groups = ranking.content_groups
    widths = [6, 34] + [10] * len(groups) + [10, 10, 11, 8, 11, 22]
    book = Book()
    sheet = ReportSheet(book, "Xếp hạng", widths, freeze=f"C{HEADER_ROW + 1}")
    sheet.heading(
        cluster=compact.cluster,
        place=_place(data),
        day=day,
        title=f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM {compact.year}",
        subtitle=f"Phong trào thi đua “{compact.movement}” – {compact.cluster.name}"
        + ("" if compact.is_finalized else " (kết quả tạm tính)"),
        left_span=4,
    )
    labels = ["STT", "Đơn vị"] + [f"{g.code}\n({ranking_points(g.max_points)})" for g in groups]
    labels += ["Điểm thưởng", "Điểm trừ", "Tổng điểm", "Xếp hạng", "Xếp loại", "Ghi chú"]
    sheet.header_row(labels)
    first_group = 3
    last_group = first_group + len(groups) - 1
    bonus_col, deduction_col = last_group + 1, last_group + 2
    for index, row in enumerate(ranking.rows, start=1):
        r = sheet.row + 1
        totals = row.totals
        notes = []
        if not row.complete:
            # No place, band or tie for a unit not verified on every criterion (ranking.py).
            notes.append(
                f"Chưa thẩm định xong ({row.verified}/{row.criteria} tiêu chí): "
                "chưa xếp hạng, điểm tạm tính"
            )
        if row.ranked.shared:
            notes.append("Bằng điểm, quyết định khi bỏ phiếu")
        if row.ranked.disqualified:
            notes.append("Không đủ điều kiện xét cờ")
        group_range = f"{get_column_letter(first_group)}{r}:{get_column_letter(last_group)}{r}"
        sheet.append(
            [
                sheet.cell(index, align="center", border=True),
                sheet.cell(row.full_name, border=True, wrap=True),
            ]
            + [
                sheet.cell(_num(h.points), align="right", border=True, number=POINTS_FORMAT)
                for h in row.heat
            ]
            + [
                sheet.cell(_num(totals.bonus), align="right", border=True, number=POINTS_FORMAT),
                sheet.cell(
                    _num(totals.deductions), align="right", border=True, number=POINTS_FORMAT
                ),
                Formula(
                    f"=SUM({group_range})+{get_column_letter(bonus_col)}{r}"
                    f"-{get_column_letter(deduction_col)}{r}",
                    totals.total,
                    bold=True,
                    align="right",
                    border=True,
                    number=POINTS_FORMAT,
                ),
                sheet.cell(row.ranked.rank if row.complete else None, align="center", border=True),
                sheet.cell(row.ranked.band if row.complete else None, align="center", border=True),
                sheet.cell("; ".join(notes), border=True, wrap=True, size=10),
            ]
        )
    sheet.signature_block(cluster=compact.cluster, signer=_signer(data), right_span=5)
    return book.save()


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
    return _num(criterion.max_points)


def _points_of(data, side):
    field = "verified_points" if side == "verified" else "self_points"
    return lambda unit_id, criterion: getattr(data.scores.get((unit_id, criterion.id)), field, None)


def _criteria_table(sheet, data, columns, *, lead, tail=None):
    """Writes the criteria rows, then the totals rows, and returns nothing.

    `columns` maps a column number to (unit id, "verified" or "self"): leaves show that
    side's points, groups a SUM of their children, and the totals rows the content total,
    the capped bonus, the deductions and the total, each a formula with its stored result.
    `lead(criterion, group)` gives the cells before the point columns, `tail(criterion,
    group)` those after them.
    """
    kids: dict[int, list[int]] = {}
    for criterion in data.criteria:
        if criterion.parent_id:
            kids.setdefault(criterion.parent_id, []).append(criterion.id)
    start = sheet.row + 1
    row_of = {c.id: start + i for i, c in enumerate(data.criteria)}
    value_of = {side: _points_of(data, side) for side in ("verified", "self")}
    sums_of = {"verified": data.sums, "self": data.self_sums}
    # Most cells are a leaf's points: one format, looked up once.
    points = sheet.cell(None, align="right", number=POINTS_FORMAT, border=True).format
    for criterion in data.criteria:
        group = not criterion.is_leaf
        style = {"border": True, "fill": GROUP_FILL if group else None}
        values = lead(criterion, group)
        for col, (unit_id, side) in columns.items():
            if not group:
                values.append(Styled(_num(value_of[side](unit_id, criterion)), points, False, 12))
            else:
                refs = ",".join(f"{get_column_letter(col)}{row_of[k]}" for k in kids[criterion.id])
                values.append(
                    Formula(
                        f"=SUM({refs})",
                        sums_of[side][unit_id].get(criterion.id, 0),
                        bold=True,
                        align="right",
                        number=POINTS_FORMAT,
                        **style,
                    )
                )
        if tail:
            values += tail(criterion, group)
        sheet.append(values)

    top = [c for c in data.criteria if c.parent_id is None]
    by_section = {
        section: [row_of[c.id] for c in top if c.section == section]
        for section in ranking.Section.values
    }
    compact = data.compact
    totals_of = {"verified": data.totals, "self": data.self_totals}
    lead_span = len(lead(data.criteria[0], False)) if data.criteria else 3
    first = sheet.row + 1

    def refs(col, rows):
        return ",".join(f"{get_column_letter(col)}{r}" for r in rows) or "0"

    def capped(text, cap):
        return text if cap is None else f"MIN({text},{_xml_number(cap)})"

    def line(label, formula, attribute, bold=False):
        values = [sheet.cell(label, bold=True, border=True, fill=GROUP_FILL)]
        values += [sheet.cell(None, border=True, fill=GROUP_FILL)] * (lead_span - 1)
        for col, (unit_id, side) in columns.items():
            values.append(
                Formula(
                    formula(col),
                    getattr(totals_of[side][unit_id], attribute),
                    bold=bold,
                    align="right",
                    border=True,
                    number=POINTS_FORMAT,
                    fill=GROUP_FILL,
                )
            )
        sheet.append(values)
        sheet.merge(1, lead_span)

    line(
        f"Tổng điểm nội dung (tối đa {ranking_points(compact.content_max)})",
        lambda col: f"=SUM({refs(col, by_section[ranking.Section.CONTENT])})",
        "content",
    )
    line(
        f"Điểm thưởng (tối đa {ranking_points(compact.bonus_cap)})",
        lambda col: (
            "=" + capped(f"SUM({refs(col, by_section[ranking.Section.BONUS])})", compact.bonus_cap)
        ),
        "bonus",
    )
    deduction_label = "Điểm trừ" + (
        f" (tối đa {ranking_points(compact.deduction_cap)})" if compact.deduction_cap else ""
    )
    line(
        deduction_label,
        lambda col: (
            "="
            + capped(
                f"SUM({refs(col, by_section[ranking.Section.DEDUCTION])})", compact.deduction_cap
            )
        ),
        "deductions",
    )
    line(
        "TỔNG ĐIỂM",
        lambda col: (
            f"={get_column_letter(col)}{first}"
            f"+{get_column_letter(col)}{first + 1}"
            f"-{get_column_letter(col)}{first + 2}"
        ),
        "total",
        bold=True,
    )


def _lead(sheet, *, targets_for=None, data=None):
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
            values.append(sheet.cell(_num(target), align="right", number=COUNT_FORMAT, **style))
        return values

    return lead


def matrix_workbook(data, *, day: datetime.date) -> bytes:
    """Every criterion × every unit: verified points, group subtotals and totals."""
    compact = data.compact
    book = Book()
    sheet = ReportSheet(
        book, "Bảng điểm", [8, 46, 11] + [11] * len(data.members), freeze=f"D{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=_place(data),
        day=day,
        title=f"BẢNG ĐIỂM CHI TIẾT THEO TIÊU CHÍ NĂM {compact.year}",
        subtitle=f"{compact.cluster.name} – điểm thẩm định"
        + ("" if compact.is_finalized else " (tạm tính)"),
        left_span=2,
    )
    sheet.header_row(
        ["TT", "Nội dung tiêu chí", "Điểm chuẩn"] + [m.short_name for m in data.members]
    )
    columns = {4 + i: (m.membership.unit_id, "verified") for i, m in enumerate(data.members)}
    _criteria_table(sheet, data, columns, lead=_lead(sheet))
    sheet.signature_block(
        cluster=compact.cluster, signer=_signer(data), right_span=max(1, min(5, len(data.members)))
    )
    return book.save()


def unit_workbook(data, member, *, day: datetime.date) -> bytes:
    """A unit's scoring sheet: self-assessed against verified points, notes, evidence count."""
    compact = data.compact
    unit_id = member.membership.unit_id
    book = Book()
    sheet = ReportSheet(
        book, member.short_name, [8, 44, 11, 10, 11, 11, 30, 30, 10], freeze=f"C{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=_place(data),
        day=day,
        title=f"PHIẾU CHẤM ĐIỂM THI ĐUA NĂM {compact.year}",
        subtitle=f"Đơn vị: {member.full_name} – {compact.cluster.name}",
        left_span=3,
    )
    sheet.header_row(
        [
            "TT",
            "Nội dung tiêu chí",
            "Điểm chuẩn",
            "Chỉ tiêu",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Ghi chú của đơn vị",
            "Lý do thẩm định",
            "Số minh chứng",
        ]
    )

    def tail(criterion, group):
        style = {"border": True, "fill": GROUP_FILL if group else None}
        if group:
            return [sheet.cell(None, **style)] * 3
        score = data.scores.get((unit_id, criterion.id))
        return [
            sheet.cell(getattr(score, "self_note", "") or None, wrap=True, size=10, **style),
            sheet.cell(getattr(score, "verified_note", "") or None, wrap=True, size=10, **style),
            sheet.cell(
                data.evidence_counts.get((unit_id, criterion.id)) or None, align="center", **style
            ),
        ]

    _criteria_table(
        sheet,
        data,
        {5: (unit_id, "self"), 6: (unit_id, "verified")},
        lead=_lead(sheet, targets_for=unit_id, data=data),
        tail=tail,
    )
    sheet.signature_block(cluster=compact.cluster, signer=_signer(data), right_span=4)
    return book.save()


# --- The offline template and its import ----------------------------------------------------

VALUE_COLUMN, NOTE_COLUMN, VERSION_COLUMN, META_COLUMN = 5, 6, 7, 8


def template_workbook(data, member, *, day: datetime.date) -> bytes:
    """A unit's self-assessment form to fill offline: criteria with their maxima and the
    unit's targets; only the value and note cells can be edited, with validation. A hidden
    column holds what the import checks: the template's cluster, year and unit, and the
    version of each score when it was exported (a later change is reported, not lost)."""
    compact = data.compact
    unit_id = member.membership.unit_id
    book = Book()
    sheet = ReportSheet(
        book,
        member.short_name,
        [8, 52, 13, 11, 13, 34, 8, 22],
        columns=6,
        freeze=f"C{HEADER_ROW + 2}",  # an instructions row before the header
        hidden=(VERSION_COLUMN, META_COLUMN),
    )
    sheet.heading(
        cluster=compact.cluster,
        place=member.unit.province,
        day=day,
        title=f"PHIẾU TỰ CHẤM ĐIỂM THI ĐUA NĂM {compact.year}",
        subtitle=f"Đơn vị: {member.full_name} – {compact.cluster.name}",
        left_span=3,
    )
    sheet.append(
        [
            sheet.cell(
                "Điền cột “Giá trị tự chấm” (điểm; kết quả thực hiện với tiêu chí định lượng; "
                "1 = đạt, 0 = không đạt; số lần với điểm thưởng, điểm trừ) và cột “Ghi chú”, rồi "
                "nhập tệp vào phần mềm. Không thêm, xóa hay đổi thứ tự dòng. "
                "Ô để trống: giữ nguyên.",
                italic=True,
                size=11,
                wrap=True,
            )
        ],
        height=32,
    )
    sheet.merge(1, 6)
    header = sheet.header_row(
        [
            "TT",
            "Nội dung tiêu chí",
            "Điểm chuẩn / cách tính",
            "Chỉ tiêu",
            "Giá trị tự chấm",
            "Ghi chú",
            "Phiên bản",
            "",
        ]
    )
    validations: dict[tuple, list[str]] = {}
    lead = _lead(sheet, targets_for=unit_id, data=data)
    for criterion in data.criteria:
        group = not criterion.is_leaf
        values = lead(criterion, group)
        if group:
            values += [sheet.cell(None, border=True, fill=GROUP_FILL)] * 2
        else:
            score = data.scores.get((unit_id, criterion.id))
            value = getattr(score, "self_value", None)
            values += [
                sheet.cell(
                    _num(value),
                    align="right",
                    border=True,
                    fill=INPUT_FILL,
                    locked=False,
                    number="General",
                ),
                sheet.cell(
                    getattr(score, "self_note", "") or None,
                    border=True,
                    wrap=True,
                    size=10,
                    fill=INPUT_FILL,
                    locked=False,
                ),
                sheet.cell(getattr(score, "version", 0)),
            ]
            cell = f"{get_column_letter(VALUE_COLUMN)}{sheet.row + 1}"
            validations.setdefault(_validation_rule(criterion), []).append(cell)
        sheet.append(values)
    for rule, cells in validations.items():
        sheet.validate(cells, _validation(*rule))
    # The identification, in the hidden column of the first rows.
    meta = [TEMPLATE_MARKER, compact.cluster.number, compact.year, member.unit.code, header]
    for row, value in enumerate(meta, start=1):
        sheet.put(row, META_COLUMN, value)
    sheet.protect()
    return book.save()


def _validation_rule(criterion) -> tuple:
    kind = criterion.kind
    if kind == ranking.Kind.PASS_FAIL:
        return ("integer", 0, 1)
    if kind == ranking.Kind.QUANTITATIVE:
        return ("decimal", 0, None)
    if criterion.points_per_occurrence is not None:
        return ("integer", 0, None)
    return ("decimal", 0, _xml_number(criterion.max_points) if criterion.max_points else None)


def _validation(kind, low, high) -> dict:
    """XlsxWriter's data validation options: blanks allowed, a prompt and an error message."""
    if high is None:
        options = {"validate": kind, "criteria": ">=", "value": low}
        message = "Nhập một số không âm." if kind == "decimal" else "Nhập một số nguyên không âm."
    else:
        options = {"validate": kind, "criteria": "between", "minimum": low, "maximum": high}
        message = f"Nhập một số từ {low} đến {str(high).replace('.', ',')}."
    return {
        **options,
        "ignore_blank": True,
        "show_error": True,
        "error_title": "Giá trị không hợp lệ",
        "error_message": message,
        "show_input": True,
        "input_title": "Giá trị tự chấm",
        "input_message": message,
    }


@dataclass
class TemplateRow:
    sheet: str
    row: int
    code: str
    value: str
    note: str | None
    version: int

    @property
    def cell(self):
        return f"{get_column_letter(VALUE_COLUMN)}{self.row}"


@dataclass
class FilledTemplate:
    sheet: str = ""
    cluster_number: int | None = None
    year: int | None = None
    unit_code: str = ""
    rows: list[TemplateRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def cell_problem(sheet: str, cell: str, message: str) -> str:
    return _("Sheet %(sheet)s, cell %(cell)s: %(message)s") % {
        "sheet": sheet,
        "cell": cell,
        "message": message.rstrip("."),
    }


def read_filled_template(upload, *, criteria: int | None = None) -> FilledTemplate:
    """Reads a filled template back. Raises WorkbookError when the file is not one of our
    templates or is larger than a template of `criteria` criteria can be; collects every
    row's problem (with sheet and cell) in `problems`."""
    workbook = _open(upload, data_only=False, limits=workbooks.template_limits(criteria))
    sheets = workbook.worksheets
    ours = [s for s in sheets if s.cell(1, META_COLUMN).value == TEMPLATE_MARKER]
    if not ours:
        raise WorkbookError(
            _(
                "This is not a scoring template exported by the application: export the unit's "
                "template, fill it in, and import that file."
            )
        )
    sheet = ours[0]
    result = FilledTemplate(sheet=sheet.title)
    extra = [s.title for s in sheets if s is not sheet]
    if extra:
        result.problems.append(
            _(
                "The file has sheets that are not part of the template: %(sheets)s. Remove them "
                "and import again."
            )
            % {"sheets": ", ".join(extra)}
        )
    try:
        result.cluster_number = int(sheet.cell(2, META_COLUMN).value)
        result.year = int(sheet.cell(3, META_COLUMN).value)
        header = int(sheet.cell(5, META_COLUMN).value)
    except (TypeError, ValueError):
        raise WorkbookError(
            _("The template's hidden identification was changed; export a new template.")
        ) from None
    result.unit_code = str(sheet.cell(4, META_COLUMN).value or "")
    for row in sheet.iter_rows(min_row=header + 1, max_col=VERSION_COLUMN):
        code = row[0].value
        if code is None or str(code).strip() == "":
            break
        number = row[0].row
        value_cell, note_cell, version_cell = (
            row[VALUE_COLUMN - 1],
            row[NOTE_COLUMN - 1],
            row[VERSION_COLUMN - 1],
        )
        if version_cell.value is None:
            continue  # a group row: nothing to fill
        if value_cell.data_type == "f" or (
            isinstance(value_cell.value, str) and value_cell.value.startswith("=")
        ):
            result.problems.append(
                cell_problem(
                    sheet.title,
                    value_cell.coordinate,
                    _("formulas are not accepted; type the value"),
                )
            )
            continue
        raw = value_cell.value
        if isinstance(raw, bool):
            raw = int(raw)
        if isinstance(raw, float):
            # Shown in the page's language, which record_scores reads back ("1,234" in
            # Vietnamese is 1.234; a plain "1.234" would read as 1234 there).
            raw = ranking.format_points(Decimal(repr(raw)))
        text = "" if raw is None else str(raw).strip()
        note = note_cell.value
        if text == "":
            continue  # left blank: unchanged
        try:
            version = int(version_cell.value)
        except (TypeError, ValueError):
            version = -1
        result.rows.append(
            TemplateRow(
                sheet=sheet.title,
                row=number,
                code=str(code).strip(),
                value=text,
                note="" if note is None else str(note).strip(),
                version=version,
            )
        )
    return result


def audit_workbook(compact, entries, *, day: datetime.date, place: str = "") -> bytes:
    """The audit log of the year: one row per changed field, newest first."""
    book = Book(streaming=True)
    sheet = ReportSheet(
        book, "Nhật ký", [17, 22, 18, 11, 34, 22, 22, 22, 30], freeze=f"A{HEADER_ROW + 1}"
    )
    sheet.heading(
        cluster=compact.cluster,
        place=place,
        day=day,
        title=f"NHẬT KÝ THAY ĐỔI DỮ LIỆU THI ĐUA NĂM {compact.year}",
        subtitle=f"{compact.cluster.name} – ai, lúc nào, thay đổi gì, lý do",
        left_span=4,
    )
    sheet.header_row(
        [
            "Thời gian",
            "Người thực hiện",
            "Loại",
            "Thao tác",
            "Đối tượng",
            "Nội dung",
            "Giá trị cũ",
            "Giá trị mới",
            "Lý do",
        ]
    )
    for entry in entries:
        local = entry.at.astimezone(_local_zone()).replace(tzinfo=None)
        for change in entry.changes or [None]:
            sheet.append(
                [
                    sheet.cell(local, border=True, number="dd/mm/yyyy hh:mm:ss", size=10),
                    sheet.cell(entry.user, border=True, size=10),
                    sheet.cell(entry.kind, border=True, size=10),
                    sheet.cell(str(entry.action_label), border=True, size=10),
                    sheet.cell(entry.subject, border=True, wrap=True, size=10),
                    sheet.cell(change.field if change else None, border=True, size=10),
                    sheet.cell(change.old if change else None, border=True, wrap=True, size=10),
                    sheet.cell(change.new if change else None, border=True, wrap=True, size=10),
                    sheet.cell(entry.reason or None, border=True, wrap=True, size=10),
                ]
            )
    return book.save()


def _local_zone():
    from django.utils import timezone

    return timezone.get_current_timezone()
