"""The matrix report streamed from the database (selectors.matrix_data) is the workbook the
report data in memory gives, cell by cell and style by style; its download is streamed and
its queries do not grow with the units."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from scoring import selectors
from scoring.excel import matrix_workbook
from scoring.models import Criterion, NotApplicable, Score
from tests.factories import (
    CriterionFactory,
    build_compact,
    build_scored_compact,
    score,
    secretariat_for,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2017, 11, 28)


def described(content):
    """Every cell's value and look, merged ranges, row heights, column widths and the page
    set-up: with formulas, and with their stored results."""
    described = {}
    for data_only in (False, True):
        sheet = load_workbook(io.BytesIO(content), data_only=data_only).active
        cells = [
            (
                cell.coordinate,
                cell.value,
                cell.data_type,
                cell.font.name,
                cell.font.sz,
                cell.font.b,
                cell.font.i,
                cell.font.u,
                cell.fill.patternType,
                cell.fill.fgColor.rgb,
                tuple(getattr(cell.border, side).style for side in ("left", "right", "top")),
                cell.border.bottom.style,
                cell.alignment.horizontal,
                cell.alignment.vertical,
                cell.alignment.wrap_text,
                cell.number_format,
                cell.protection.locked,
            )
            for row in sheet.iter_rows()
            for cell in row
        ]
        described[data_only] = {
            "cells": cells,
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "heights": {n: d.height for n, d in sheet.row_dimensions.items()},
            "widths": {n: d.width for n, d in sheet.column_dimensions.items()},
            "panes": (sheet.freeze_panes, sheet.print_title_rows, sheet.title),
            "page": (
                sheet.page_setup.orientation,
                sheet.page_setup.paperSize,
                sheet.page_setup.fitToHeight,
                sheet.sheet_properties.pageSetUpPr.fitToPage,
                sheet.print_options.horizontalCentered,
                sheet.page_margins.left,
            ),
        }
    return described


@pytest.fixture
def deep_compact():
    """Four levels, a leaf at the top, a leaf turned group (its old score ignored), a child
    whose position sorts it after the next group, a criterion that does not apply, missing
    and unverified scores, bonus and deduction items, and points whose sums are not exact in
    floating point (0.1 + 0.2)."""
    compact, members, criteria = build_compact(units=4, groups=2, criteria_per_group=3)
    g1, g2 = criteria["G1"], criteria["G2"]
    for unit in members:
        for code in ("G1.1", "G1.2", "G1.3", "G2.1", "G2.2", "G2.3"):
            score(compact, unit, criteria[code], "0.1" if code.endswith("1") else "0.2")
        score(compact, unit, criteria["B.1"], 2)
        score(compact, unit, criteria["D.1"], 1)
    # G1.3 becomes a group of two levels; the child sorts after G2 by position.
    g13 = criteria["G1.3"]
    g131 = CriterionFactory(compact=compact, parent=g13, code="G1.3.1", position=g2.position + 5)
    g1311 = CriterionFactory(compact=compact, parent=g131, code="G1.3.1.1", max_points=D(5))
    g132 = CriterionFactory(compact=compact, parent=g13, code="G1.3.2", position=g1.position)
    top_leaf = CriterionFactory(compact=compact, code="III", max_points=D(7))
    first, second, third, fourth = members
    score(compact, first, g1311, "3.35")
    score(compact, second, g1311, "0.3")
    score(compact, first, g132, "9.99")
    score(compact, third, top_leaf, "6.5")
    Score.objects.filter(compact=compact, unit=fourth, criterion=criteria["G2.2"]).update(
        verified_value=None, verified_points=None
    )
    Score.objects.filter(compact=compact, unit=third, criterion=criteria["G2.3"]).delete()
    NotApplicable.objects.create(
        compact=compact,
        unit=second,
        criterion=g132,
        reason="Không có đơn vị trực thuộc",
        marked_at=timezone.now(),
    )
    return compact, members


def test_streamed_matrix_is_the_in_memory_matrix_cell_by_cell(deep_compact):
    compact, _members = deep_compact
    in_memory = matrix_workbook(selectors.report_data(compact), day=DAY)

    with selectors.matrix_data(compact, chunk_size=3) as data:  # several fetches
        streamed = matrix_workbook(data, day=DAY)

    assert described(streamed) == described(in_memory)
    values = load_workbook(io.BytesIO(streamed), data_only=True).active
    codes = [values.cell(r, 1).value for r in range(9, 9 + Criterion.objects.count())]
    assert codes[:7] == ["G1", "G1.1", "G1.2", "G1.3", "G1.3.2", "G1.3.1", "G1.3.1.1"]
    assert values.cell(codes.index("G1.3") + 9, 4).value == pytest.approx(13.34)
    assert values.cell(codes.index("G1") + 9, 4).value == 13.64  # 0.1 + 0.2 + 13.34, exactly


def test_streamed_matrix_written_into_a_file(deep_compact, tmp_path):
    compact, members = deep_compact
    path = tmp_path / "matrix.xlsx"

    with path.open("wb") as file, selectors.matrix_data(compact) as data:
        assert matrix_workbook(data, day=DAY, file=file) is None

    sheet = load_workbook(path).active
    assert [sheet.cell(8, c).value for c in range(4, 8)] == [
        m.shown_short_name for m in sorted(members, key=lambda u: u.shown_short_name)
    ]


def scored(units):
    compact, _members, _criteria, _leaves = build_scored_compact(
        units=units, groups=3, criteria_per_group=4
    )
    return compact, secretariat_for(compact)


@pytest.mark.parametrize("units", [2, 9])
def test_matrix_download_is_streamed_in_constant_queries(client, django_assert_num_queries, units):
    compact, user = scored(units)
    client.force_login(user)
    url = reverse("scoring:export", args=[compact.pk, "matrix"])
    client.get(url)  # the session and the user's roles are read once warm

    with django_assert_num_queries(9):
        response = client.get(url)

    assert response.streaming
    assert response["Content-Disposition"] == (
        f'attachment; filename="cum{compact.cluster.number}-{compact.year}-bang-diem.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), data_only=True)
    total_row = next(r for r in sheet.active.iter_rows() if r[0].value == "TỔNG ĐIỂM")
    assert [c.value for c in total_row[3:]] == [12] * units  # 12 leaves, +1 bonus, -1 deduction
