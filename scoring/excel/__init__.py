"""Excel in and out. The only package that imports openpyxl (reading) and XlsxWriter (reports).

- `scheme_import`: reading a scoring scheme (the rows go to `scoring.scheme_reader`);
- `template`: the self-assessment template, written and read back filled;
- `reports`: the ranking, the matrix, a unit's sheet and the audit log as documents to sign;
- `layout`: the shared styles, cells and the official heading every workbook opens with;
- `reading`: opening an upload within its limits, for both importers.

Callers (views, commands, reports, services, bench, tests) import from `scoring.excel`.
"""

from ..workbooks import WorkbookError
from .layout import TEMPLATE_MARKER, Book, ReportSheet
from .reports import audit_workbook, matrix_workbook, ranking_workbook, unit_workbook
from .scheme_import import ParsedScheme, parse_scheme_workbook
from .template import cell_problem, read_filled_template, template_workbook

__all__ = [
    "TEMPLATE_MARKER",
    "Book",
    "ParsedScheme",
    "ReportSheet",
    "WorkbookError",
    "audit_workbook",
    "cell_problem",
    "matrix_workbook",
    "parse_scheme_workbook",
    "ranking_workbook",
    "read_filled_template",
    "template_workbook",
    "unit_workbook",
]
