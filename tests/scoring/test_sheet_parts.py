"""The sheet's rows cut into parts, one per top-level criterion (templatetags/sheet_parts.py),
and the page drawing each part as a table of its own."""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from scoring.templatetags.sheet_parts import (
    EXTRA_LINE_REM,
    GROUP_ROW_REM,
    LAZY_FROM_CELLS,
    LEAF_ROW_REM,
    cut,
    sheet_parts,
)
from tests.factories import UserFactory, UserRoleFactory, build_compact


def row(level, leaf, *cells):
    criterion = SimpleNamespace(level=level, is_leaf=leaf)
    return SimpleNamespace(criterion=criterion, cells=list(cells))


def cell(differs=False, note="", problem=""):
    return SimpleNamespace(differs=differs, note=note, problem=problem)


def test_rows_are_cut_before_each_top_level_criterion_in_order():
    rows = [
        row(1, False),
        row(2, True, cell(), cell()),
        row(2, False),
        row(3, True, cell(), cell(differs=True)),
        row(1, True, cell(), cell(note="a note")),  # a leaf at the top: a part of its own
        row(1, False),
        row(2, True, cell(problem="refused"), cell()),
        row(2, True, cell(), cell()),
    ]
    parts = cut(rows)
    assert [part.rows for part in parts] == [rows[:4], rows[4:5], rows[5:]]
    assert [(p.leaves, p.groups, p.extra_lines) for p in parts] == [(2, 2, 1), (1, 0, 1), (2, 1, 1)]
    assert float(parts[0].height) == pytest.approx(
        2 * LEAF_ROW_REM + 2 * GROUP_ROW_REM + EXTRA_LINE_REM, abs=0.05
    )
    assert cut([]) == []


def test_only_a_large_sheet_leaves_parts_out_of_view_undrawn():
    rows = [row(1, False)] + [row(2, True) for _ in range(100)]
    units = LAZY_FROM_CELLS // 100
    assert sheet_parts(SimpleNamespace(rows=rows, columns=[None] * units)).lazy
    assert not sheet_parts(SimpleNamespace(rows=rows, columns=[None] * (units - 1))).lazy


@pytest.mark.django_db
def test_the_page_draws_a_table_per_part_with_the_same_columns(client):
    compact, _, criteria = build_compact(units=3, groups=3, criteria_per_group=2)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    page = client.get(reverse("scoring:sheet", args=[compact.pk])).content.decode()

    assert page.count('<div class="sheet-part">') == 5  # G1–G3, bonus, deductions
    assert "data-lazy" not in page  # a small sheet is drawn whole
    assert page.count("<colgroup>") == 5 + 2  # and the header's and the totals' tables
    assert page.count('<col class="col-unit">') == 3 * 7
    assert page.count("<thead>") == 1 and page.count("<tfoot>") == 1
    # Each part begins with its top-level group, in scheme order.
    starts = [page.index(f'data-group="{criteria[c].pk}"') for c in ("G1", "G2", "G3", "B", "D")]
    parts = [m.start() for m in re.finditer('<div class="sheet-part"', page)]
    assert all(part < start for part, start in zip(parts, starts, strict=True))
    assert all(start < part for start, part in zip(starts, parts[1:], strict=False))
