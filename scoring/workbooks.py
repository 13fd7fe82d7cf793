"""Opening an uploaded .xlsx safely: the guards every Excel import goes through.

An .xlsx is a zip of XML parts, and each of its layers can be turned against the reader: a
small file that unpacks to gigabytes (zip bomb), a sheet that declares or holds a cell at
XFD1048576 (openpyxl walks every row and column up to it), nested entity declarations
(billion laughs; expat crashes on 40,000 chained ones), external entities. Before openpyxl
sees the file, `open_workbook` checks, in this order and each step bounded in time and memory:

1. the upload's size (`Limits.max_bytes`);
2. the zip's directory: at most `MAX_MEMBERS` parts, each at most `MAX_MEMBER_BYTES` and all
   together at most `MAX_UNPACKED_BYTES` once unpacked. Python's zipfile never inflates a part
   past the size its directory declares (a lying part fails its CRC), so the declared sizes
   bound the work;
3. every part for a DTD or entity declaration (Excel and LibreOffice never write one), read
   as a stream; defusedxml (a dependency, which openpyxl uses when present) stays as a
   second guard;
4. each worksheet's declared dimension, then its real extent (its cells, read as a stream
   with defusedxml, stopping at the first one out of bounds): at most `Limits.max_rows` rows
   and `Limits.max_columns` columns, and its merged ranges (kept so covered cells read as
   empty, as in openpyxl's normal mode);
5. a time budget over the whole read (`settings.EXCEL_IMPORT_SECONDS`, default
   `READ_SECONDS`), checked while scanning and while the caller reads rows.

The workbook is then opened in openpyxl's read-only mode (no charts, images or comments are
parsed) and handed out as `WorkbookView`: sheets whose rows are tuples of cells with `row`,
`column`, `coordinate`, `value` and `data_type`, like openpyxl's normal mode, bounded by the
sheet's checked extent. Every refusal is a `WorkbookError` with a message for the user.

The bounds: a scoring scheme has at most `SCHEME_MAX_ROWS` (2,000) rows and `SCHEME_MAX_COLUMNS`
(30) columns in any sheet — real schemes have 100–300 rows and 3–8 columns; a filled template
at most its heading, one row per criterion of the compact and `TEMPLATE_ROW_MARGIN` rows more,
and `TEMPLATE_MAX_COLUMNS` columns (the template has 8).
"""

import time
import zipfile
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import InvalidFileException

from .errors import Refusal

MB = 1024 * 1024
MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 10 * MB
MAX_UNPACKED_BYTES = 30 * MB
READ_SECONDS = 10
SCHEME_MAX_BYTES = 5 * MB
SCHEME_MAX_ROWS = 2_000
SCHEME_MAX_COLUMNS = 30
TEMPLATE_MAX_BYTES = 2 * MB
TEMPLATE_HEADING_ROWS = 20  # the official heading, the instructions and the table header
TEMPLATE_ROW_MARGIN = 50
TEMPLATE_MAX_CRITERIA = 1_000  # when the compact is not known yet (the command's first check)
TEMPLATE_MAX_COLUMNS = 12
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 64 * 1024
# Declarations Excel never writes, in the encodings expat accepts.
FORBIDDEN = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
# What a broken or hostile file makes the zip, XML and openpyxl layers raise.
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    ParseError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    NotImplementedError,
    RuntimeError,  # an encrypted part; RecursionError too
)


class WorkbookError(Refusal):
    """The file as a whole cannot be read; `message` is for the user (one line)."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int
    max_columns: int
    too_large: str = ""  # the message for a file over max_bytes


def scheme_limits() -> Limits:
    return Limits(
        max_bytes=SCHEME_MAX_BYTES,
        max_rows=SCHEME_MAX_ROWS,
        max_columns=SCHEME_MAX_COLUMNS,
        too_large=_("The file is larger than %(limit)s MB; a scoring scheme is much smaller.")
        % {"limit": SCHEME_MAX_BYTES // MB},
    )


def template_limits(criteria: int | None = None) -> Limits:
    """A filled template of a compact with `criteria` criteria (any compact when None)."""
    count = TEMPLATE_MAX_CRITERIA if criteria is None else criteria
    return Limits(
        max_bytes=TEMPLATE_MAX_BYTES,
        max_rows=TEMPLATE_HEADING_ROWS + count + TEMPLATE_ROW_MARGIN,
        max_columns=TEMPLATE_MAX_COLUMNS,
        too_large=_("The file is far larger than a scoring template (at most %(limit)s MB).")
        % {"limit": TEMPLATE_MAX_BYTES // MB},
    )


def not_a_workbook() -> WorkbookError:
    return WorkbookError(_("The file is not an Excel workbook (.xlsx)."))


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise WorkbookError(
                _(
                    "Reading the file took longer than %(seconds)s seconds and was stopped; "
                    "a scoring workbook reads in about a second. Check that it is the right file."
                )
                % {"seconds": f"{self.seconds:g}"}
            )


@dataclass
class Cell:
    row: int
    column: int
    value: object = None
    data_type: str = "n"

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


class SheetView:
    """One worksheet read as a stream, within its checked extent."""

    def __init__(self, sheet, *, rows: int, columns: int, covered: set, deadline: Deadline):
        self._sheet = sheet
        self.title = sheet.title
        self.max_row = rows
        self.max_column = columns
        self._covered = covered
        self._deadline = deadline

    def iter_rows(self, min_row=1, max_row=None, min_col=1, max_col=None):
        max_row = min(max_row or self.max_row, self.max_row)
        max_col = max_col or self.max_column
        if min_row > max_row:
            return
        rows = self._sheet.iter_rows(
            min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col
        )
        number = min_row
        try:
            for row in rows:
                self._deadline.check()
                yield tuple(
                    self._cell(number, column, cell)
                    for column, cell in enumerate(row, start=min_col)
                )
                number += 1
        except WorkbookError:
            raise
        except (*UNREADABLE, DefusedXmlException):
            raise not_a_workbook() from None

    def _cell(self, row, column, cell) -> Cell:
        value = getattr(cell, "value", None)
        if value is None or (row, column) in self._covered:
            return Cell(row, column)
        return Cell(row, column, value, getattr(cell, "data_type", "n"))

    def cell(self, row: int, column: int) -> Cell:
        for cells in self.iter_rows(min_row=row, max_row=row, min_col=column, max_col=column):
            return cells[0]
        return Cell(row, column)


class WorkbookView:
    def __init__(self, worksheets: list[SheetView]):
        self.worksheets = worksheets


def open_workbook(upload, *, limits: Limits, data_only: bool = True) -> WorkbookView:
    """Checks the upload (see the module's docstring) and opens it; raises WorkbookError."""
    deadline = Deadline(getattr(settings, "EXCEL_IMPORT_SECONDS", READ_SECONDS))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, 2)
        upload.seek(0)
    if size == 0 or not head:
        raise WorkbookError(_("The file is empty."))
    if size > limits.max_bytes:
        raise WorkbookError(limits.too_large)
    if head.startswith(OLE_SIGNATURE):
        raise WorkbookError(
            _(
                "The file is password-protected or in the old .xls format. Save it as an .xlsx "
                "workbook without a password and try again."
            )
        )
    try:
        with zipfile.ZipFile(upload) as archive:
            _check_members(archive, deadline)
        upload.seek(0)
        workbook = load_workbook(upload, read_only=True, data_only=data_only)
        deadline.check()
        sheets = []
        for sheet in workbook.worksheets:
            if not hasattr(sheet, "_worksheet_path"):
                continue  # a chart sheet: no cells
            with workbook._archive.open(sheet._worksheet_path) as source:
                rows, columns, covered = _scan_sheet(source, sheet.title, limits, deadline)
            sheets.append(
                SheetView(sheet, rows=rows, columns=columns, covered=covered, deadline=deadline)
            )
    except WorkbookError:
        raise
    except DefusedXmlException:
        raise _declarations() from None
    except UNREADABLE:
        raise not_a_workbook() from None
    return WorkbookView(sheets)


def _declarations() -> WorkbookError:
    return WorkbookError(
        _(
            "The file holds XML declarations (DTD or entities) that Excel never writes; it was "
            "refused for safety. Open it in Excel or LibreOffice, save it as a new .xlsx and "
            "try again."
        )
    )


def _check_members(archive: zipfile.ZipFile, deadline: Deadline) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise not_a_workbook()
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES or any(m.file_size > MAX_MEMBER_BYTES for m in members):
        raise WorkbookError(
            _(
                "The file unpacks to more than %(limit)s MB; a scoring workbook is far smaller. "
                "Check that it is the right file."
            )
            % {"limit": MAX_UNPACKED_BYTES // MB}
        )
    overlap = max(len(marker) for marker in FORBIDDEN)
    for member in members:
        with archive.open(member) as stream:
            tail = b""
            while chunk := stream.read(CHUNK):
                deadline.check()
                window = tail + chunk
                if any(marker in window for marker in FORBIDDEN):
                    raise _declarations()
                tail = window[-overlap:]


def _scan_sheet(source, title: str, limits: Limits, deadline: Deadline):
    """(rows, columns, merged-away cells) of one worksheet's XML, refusing as soon as its
    declared dimension or a cell lies beyond the limits."""

    def within(row, column):
        if row > limits.max_rows or column > limits.max_columns:
            raise _beyond(title, limits, row, column)

    max_row, max_column, merged = _scan_cells(source, within, deadline)
    return max_row, max_column, _covered_cells(merged, within, limits)


def _beyond(title: str, limits: Limits, row: int, column: int) -> WorkbookError:
    return WorkbookError(
        _(
            "Sheet “%(sheet)s” reaches cell %(cell)s, beyond the %(rows)s rows and "
            "%(columns)s columns such a workbook can have. Delete the rows and columns "
            "after the table (or copy the table into a new workbook) and try again."
        )
        % {
            "sheet": title,
            "cell": f"{get_column_letter(min(column, 16384))}{row}",
            "rows": f"{limits.max_rows:,}".replace(",", "."),
            "columns": limits.max_columns,
        }
    )


def _scan_cells(source, within, deadline: Deadline) -> tuple[int, int, list[str]]:
    """The last row and column with a cell, and the merged ranges, read from the XML as a
    stream; `within(row, column)` refuses a cell or a declared dimension beyond the limits."""
    max_row = max_column = row = column = 0
    merged = []
    parsed = iterparse(source, events=("start", "end"))
    for count, (event, element) in enumerate(parsed):
        if count % 1000 == 0:
            deadline.check()
        tag = element.tag.rpartition("}")[2]
        if event == "end":
            if tag == "row":
                element.clear()  # its cells are counted; keep the memory flat
        elif tag == "c":
            reference = element.get("r")
            if reference:
                letters, row = coordinate_from_string(reference)
                column = column_index_from_string(letters)
            else:
                column += 1
            within(row, column)
            max_row, max_column = max(max_row, row), max(max_column, column)
        elif tag == "row":
            row = int(element.get("r") or row + 1)
            column = 0
        elif tag == "dimension":
            letters, declared = coordinate_from_string(
                (element.get("ref") or "A1").rpartition(":")[2]
            )
            within(declared, column_index_from_string(letters))
        elif tag == "mergeCell":
            merged.append(element.get("ref") or "")
    return max_row, max_column, merged


def _covered_cells(merged: list[str], within, limits: Limits) -> set[tuple[int, int]]:
    """The cells merged ranges hide (all but each range's first), refusing ranges that
    reach beyond the limits or cover more than a sheet can hold."""
    covered = set()
    area = 0
    for reference in merged:
        first, _sep, last = reference.partition(":")
        if not last:
            continue
        left, top = _position(first)
        right, bottom = _position(last)
        within(bottom, right)
        # Merged ranges never overlap, so together they cover at most the sheet.
        area += (bottom - top + 1) * (right - left + 1)
        if area > limits.max_rows * limits.max_columns:
            raise not_a_workbook()
        covered.update(
            (r, c)
            for r in range(top, bottom + 1)
            for c in range(left, right + 1)
            if (r, c) != (top, left)
        )
    return covered


def _position(reference: str) -> tuple[int, int]:
    """ "C12" → (3, 12)."""
    letters, row = coordinate_from_string(reference)
    return column_index_from_string(letters), row
