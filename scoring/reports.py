"""The four Excel reports by name, for the download views and `export_report`."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from . import excel, selectors

REPORTS = ("ranking", "matrix", "unit", "template")
UNIT_REPORTS = ("unit", "template")


def build_report(compact, report: str, *, unit=None, day: datetime.date | None = None):
    """(file name, xlsx bytes). `unit` is required for the unit sheet and the template."""
    if report not in REPORTS:
        raise ValueError(report)
    day = day or timezone.localdate()
    data = selectors.report_data(compact, unit_ids=[unit.pk] if unit else None)
    stem = f"cum{compact.cluster.number}-{compact.year}"
    if report == "ranking":
        content = excel.ranking_workbook(selectors.standings_for(compact), data, day=day)
        return f"{stem}-xep-hang.xlsx", content
    if report == "matrix":
        return f"{stem}-bang-diem.xlsx", excel.matrix_workbook(data, day=day)
    if unit is None:
        raise ValueError("unit")
    member = data.members[0]
    name = slugify(member.short_name) or unit.code
    if report == "unit":
        return f"{stem}-phieu-cham-{name}.xlsx", excel.unit_workbook(data, member, day=day)
    return f"{stem}-mau-tu-cham-{name}.xlsx", excel.template_workbook(data, member, day=day)
