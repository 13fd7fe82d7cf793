"""Reading a scoring scheme from a workbook: the workbook is opened and bounded by
`scoring.workbooks`, and the rows of its first sheet that holds a scheme table are read into
a criteria tree by `scoring.scheme_reader` (which knows no openpyxl).

Called by the scheme import view (views.scheme_editor) and the `import_scheme` command.
"""

from django.utils.translation import gettext as _

from .. import scheme_reader
from ..scheme_reader import ParsedNode, ParsedScheme  # noqa: F401 (the importers' names)
from ..workbooks import WorkbookError
from .reading import open_upload


def parse_scheme_workbook(upload) -> ParsedScheme:
    """Reads a scheme table (see `scoring.scheme_reader`) from the first sheet that has one.

    Raises WorkbookError when the file as a whole is unusable; row problems are collected
    in `problems` so the user sees them all at once.
    """
    workbook = open_upload(upload)
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
