"""The four Excel reports by name, for the download views and `export_report`."""

import datetime
import io

from django.utils import timezone
from django.utils.text import slugify

from . import excel, selectors

REPORTS = ("ranking", "matrix", "unit", "template")
UNIT_REPORTS = ("unit", "template")


def build_report(compact, report: str, *, unit=None, day: datetime.date | None = None):
    """(file name, xlsx bytes). `unit` is required for the unit sheet and the template."""
    buffer = io.BytesIO()
    filename = write_report(compact, report, file=buffer, unit=unit, day=day)
    return filename, buffer.getvalue()


def write_report(compact, report: str, *, file, unit=None, day: datetime.date | None = None):
    """Writes the report's xlsx into `file` (binary, open for writing); returns its file name.
    The matrix, of every criterion × every unit, streams its cells from the database into
    the file: its memory does not grow with the cells."""
    if report not in REPORTS:
        raise ValueError(report)
    day = day or timezone.localdate()
    stem = f"cum{compact.cluster.number}-{compact.year}"
    if report == "matrix":
        with selectors.matrix_data(compact) as data:
            excel.matrix_workbook(data, day=day, file=file)
        return f"{stem}-bang-diem.xlsx"
    data = selectors.report_data(compact, unit_ids=[unit.pk] if unit else None)
    if report == "ranking":
        filename = f"{stem}-xep-hang.xlsx"
        content = excel.ranking_workbook(selectors.standings_for(compact), data, day=day)
    elif unit is None:
        raise ValueError("unit")
    else:
        member = data.members[0]
        name = slugify(member.short_name) or unit.code
        if report == "unit":
            filename = f"{stem}-phieu-cham-{name}.xlsx"
            content = excel.unit_workbook(data, member, day=day)
        else:
            filename = f"{stem}-mau-tu-cham-{name}.xlsx"
            content = excel.template_workbook(data, member, day=day)
    file.write(content)
    return filename
