"""The self-assessment template: written for one unit (`template_workbook`), with only the
value and note cells unlocked and validated, and read back filled (`read_filled_template`).
Called by the template export and import views, the `import_scores` command and services.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .. import ranking, workbooks
from ..workbooks import WorkbookError
from .layout import (
    GROUP_FILL,
    HEADER_ROW,
    INPUT_FILL,
    TEMPLATE_MARKER,
    Book,
    ReportSheet,
    criterion_lead_cells,
    excel_number,
    xml_number,
)
from .reading import open_upload

VALUE_COLUMN, NOTE_COLUMN, VERSION_COLUMN, META_COLUMN = 5, 6, 7, 8


def template_workbook(data, member, *, day: datetime.date) -> bytes:
    """A unit's self-assessment form to fill offline: criteria with their maxima and the
    unit's targets; only the value and note cells can be edited, with validation. A hidden
    column holds what the import checks: the template's cluster, year and unit, and the
    version of each score when it was exported (a later change is reported, not lost)."""
    compact = data.compact
    unit_id = member.membership.unit_id
    book = Book()
    sheet = _blank_template(book, compact, member, day=day)
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
    lead = criterion_lead_cells(sheet, targets_for=unit_id, data=data)
    for criterion in data.criteria:
        group = not criterion.is_leaf
        values = lead(criterion, group)
        if group:
            values += [sheet.cell(None, border=True, fill=GROUP_FILL)] * 2
        elif (unit_id, criterion.id) in data.not_applicable:
            values += _not_applicable_cells(sheet, data.not_applicable[(unit_id, criterion.id)])
        else:
            values += _input_cells(sheet, data.scores.get((unit_id, criterion.id)))
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


def _blank_template(book, compact, member, *, day: datetime.date) -> ReportSheet:
    """The unit's sheet with its columns, the official heading and the instructions row."""
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
    return sheet


def _not_applicable_cells(sheet, reason: str) -> list:
    """A criterion that does not apply to the unit: "KAD" and the reason, locked; without a
    version the import skips the row, as a group's."""
    return [
        sheet.cell("KAD", align="center", border=True),
        sheet.cell(reason, border=True, size=10),
    ]


def _input_cells(sheet, score) -> list:
    """A criterion's value and note cells (unlocked, to fill) and its score's version."""
    return [
        sheet.cell(
            excel_number(getattr(score, "self_value", None)),
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


def _validation_rule(criterion) -> tuple:
    kind = criterion.kind
    if kind == ranking.Kind.PASS_FAIL:
        return ("integer", 0, 1)
    if kind == ranking.Kind.QUANTITATIVE:
        return ("decimal", 0, None)
    if criterion.points_per_occurrence is not None:
        return ("integer", 0, None)
    return ("decimal", 0, xml_number(criterion.max_points) if criterion.max_points else None)


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
    workbook = open_upload(upload, data_only=False, limits=workbooks.template_limits(criteria))
    sheet = _template_sheet(workbook)
    result = FilledTemplate(sheet=sheet.title)
    extra = [s.title for s in workbook.worksheets if s is not sheet]
    if extra:
        result.problems.append(
            _(
                "The file has sheets that are not part of the template: %(sheets)s. Remove them "
                "and import again."
            )
            % {"sheets": ", ".join(extra)}
        )
    header = _read_identification(sheet, result)
    for row in sheet.iter_rows(min_row=header + 1, max_col=VERSION_COLUMN):
        code = row[0].value
        if code is None or str(code).strip() == "":
            break
        _read_row(sheet, row, result)
    return result


def _template_sheet(workbook):
    """The sheet our export marked as a template; WorkbookError for any other file."""
    ours = [s for s in workbook.worksheets if s.cell(1, META_COLUMN).value == TEMPLATE_MARKER]
    if not ours:
        raise WorkbookError(
            _(
                "This is not a scoring template exported by the application: export the unit's "
                "template, fill it in, and import that file."
            )
        )
    return ours[0]


def _read_identification(sheet, result: FilledTemplate) -> int:
    """Reads the hidden cluster, year and unit into `result`; returns the header's row."""
    try:
        result.cluster_number = int(sheet.cell(2, META_COLUMN).value)
        result.year = int(sheet.cell(3, META_COLUMN).value)
        header = int(sheet.cell(5, META_COLUMN).value)
    except (TypeError, ValueError):
        raise WorkbookError(
            _("The template's hidden identification was changed; export a new template.")
        ) from None
    result.unit_code = str(sheet.cell(4, META_COLUMN).value or "")
    return header


def _read_row(sheet, row, result: FilledTemplate) -> None:
    """One criterion's row: its value, note and exported version, or its problem. Group rows
    (no version) and blank values (unchanged) are skipped."""
    value_cell, note_cell, version_cell = (
        row[VALUE_COLUMN - 1],
        row[NOTE_COLUMN - 1],
        row[VERSION_COLUMN - 1],
    )
    if version_cell.value is None:
        return  # a group row: nothing to fill
    if value_cell.data_type == "f" or (
        isinstance(value_cell.value, str) and value_cell.value.startswith("=")
    ):
        result.problems.append(
            cell_problem(
                sheet.title, value_cell.coordinate, _("formulas are not accepted; type the value")
            )
        )
        return
    text = _typed_text(value_cell.value)
    if text == "":
        return  # left blank: unchanged
    try:
        version = int(version_cell.value)
    except (TypeError, ValueError):
        version = -1
    note = note_cell.value
    result.rows.append(
        TemplateRow(
            sheet=sheet.title,
            row=row[0].row,
            code=str(row[0].value).strip(),
            value=text,
            note="" if note is None else str(note).strip(),
            version=version,
        )
    )


def _typed_text(raw) -> str:
    """A value cell as the text a person would have typed on the sheet."""
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, float):
        # Shown in the page's language, which record_scores reads back ("1,234" in
        # Vietnamese is 1.234; a plain "1.234" would read as 1234 there).
        raw = ranking.format_points(Decimal(repr(raw)))
    return "" if raw is None else str(raw).strip()
