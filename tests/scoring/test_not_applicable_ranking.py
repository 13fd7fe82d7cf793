"""What a mark changes downstream: the unit's maximum, its completeness, the ranking by
percentage, the sheet, ranking.json and the Excel reports."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring import selectors
from scoring.excel import matrix_workbook, ranking_workbook, template_workbook
from scoring.lifecycle import missing_verified
from scoring.models import Compact
from scoring.not_applicable import NewMark, save_not_applicable
from tests.factories import UserFactory, UserRoleFactory, build_compact, score

pytestmark = pytest.mark.django_db
DAY = datetime.date(2017, 11, 28)


@pytest.fixture
def marked():
    """Three units, 40 content points + 10 bonus. Unit a: G1.2 (10) does not apply, and it
    scores 27 of the 30 left (27/40 = 67.5 %); b scores 28 of 40 (28/50 = 56 %); c 20."""
    compact, (a, b, c), cr = build_compact(rank_by=Compact.RankBy.PERCENTAGE)
    user = UserFactory()
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.2"].pk, "Không có"))
    for unit, values in ((a, (9, None, 9, 9)), (b, (7, 7, 7, 7)), (c, (5, 5, 5, 5))):
        for code, value in zip(("G1.1", "G1.2", "G2.1", "G2.2"), values, strict=True):
            if value is not None:
                score(compact, unit, cr[code], value)
    return compact, (a, b, c), cr, user


def test_the_unit_maximum_drops_and_percentage_decides_the_rank(marked):
    compact, (a, b, c), _cr, _user = marked

    standings = selectors.standings_for(compact)

    assert [(r.unit.pk, r.ranked.rank) for r in standings.rows] == [(a.pk, 1), (b.pk, 2), (c.pk, 3)]
    by_unit = {r.unit.pk: r for r in standings.rows}
    assert (by_unit[a.pk].totals.total, by_unit[a.pk].totals.maximum) == (D(27), D(40))
    assert by_unit[a.pk].totals.percent == D("67.50")
    assert by_unit[b.pk].totals.percent == D("56.00")
    # The marked cell is not missing: a is complete with 3 verified criteria of 3.
    assert (by_unit[a.pk].complete, by_unit[a.pk].verified, by_unit[a.pk].criteria) == (
        True,
        3,
        3,
    )
    assert standings.completeness == 100
    assert missing_verified(compact) == 0


def test_by_total_the_same_scores_rank_b_first(marked):
    compact, (a, b, c), _cr, _user = marked
    Compact.objects.filter(pk=compact.pk).update(rank_by=Compact.RankBy.TOTAL)
    compact.refresh_from_db()

    standings = selectors.standings_for(compact)

    assert [r.unit.pk for r in standings.rows] == [b.pk, a.pk, c.pk]


def test_the_sheet_shows_a_dash_with_the_reason_and_both_figures(client, marked):
    compact, (a, _b, _c), cr, _user = marked
    secretariat = UserFactory()
    UserRoleFactory(user=secretariat, role="secretariat", cluster=compact.cluster)
    client.force_login(secretariat)

    content = client.get(reverse("scoring:sheet", args=[compact.pk])).content.decode()

    assert f'name="v-{a.pk}-{cr["G1.2"].pk}"' not in content
    assert 'title="không áp dụng: Không có"' in content
    assert "Điểm tối đa áp dụng" in content
    assert f'data-total="percent" data-unit="{a.pk}" data-maximum="40">67,5<' in content


def test_ranking_json_gives_maximum_and_percent(client, marked):
    compact, (_a, _b, _c), _cr, _user = marked
    viewer = UserFactory()
    UserRoleFactory(user=viewer, role="viewer", cluster=compact.cluster)
    client.force_login(viewer)

    data = client.get(reverse("scoring:ranking_json", args=[compact.pk])).json()

    assert (data["rank_by"], data["scale"]) == ("percentage", "50.00")
    first = data["ranking"][0]
    assert (first["total"], first["maximum"], first["percent"]) == ("27.00", "40.00", "67.50")


def test_the_ranking_page_shows_both_figures(client, marked):
    compact, _units, _cr, _user = marked
    viewer = UserFactory()
    UserRoleFactory(user=viewer, role="viewer", cluster=compact.cluster)
    client.force_login(viewer)

    content = client.get(reverse("scoring:dashboard", args=[compact.pk])).content.decode()

    assert "Xếp hạng theo tỷ lệ % trên điểm tối đa áp dụng" in content
    assert '<td class="text-end fw-bold percent">67,5</td>' in content
    assert '<td class="text-end col-secondary maximum">40</td>' in content


def test_excel_ranking_has_maximum_and_percentage_columns(marked):
    compact, (_a, _b, _c), _cr, _user = marked
    standings = selectors.standings_for(compact)
    content = ranking_workbook(standings, selectors.report_data(compact), day=DAY)
    formulas = load_workbook(io.BytesIO(content)).active
    values = load_workbook(io.BytesIO(content), data_only=True).active

    header = [c.value for c in formulas[8]]
    maximum, percent = header.index("Điểm tối đa áp dụng") + 1, header.index("Tỷ lệ (%)") + 1
    assert header[maximum] == "Tỷ lệ (%)" and header[maximum - 2] == "Tổng điểm"
    assert [values.cell(9, col).value for col in (maximum, percent)] == [40, 67.5]
    assert formulas.cell(9, percent).value.startswith("=IF(")
    assert "không áp dụng" in values.cell(9, len(header)).value.lower()


def test_other_exports_mark_the_cell_kad(marked):
    compact, (a, _b, _c), _cr, _user = marked
    data = selectors.report_data(compact)
    matrix = load_workbook(io.BytesIO(matrix_workbook(data, day=DAY)), data_only=True).active
    member = next(m for m in data.members if m.membership.unit_id == a.pk)
    template = load_workbook(io.BytesIO(template_workbook(data, member, day=DAY))).active

    kad = [c.coordinate for row in matrix.iter_rows() for c in row if c.value == "KAD"]
    assert len(kad) == 1
    percent_row = next(r for r in matrix.iter_rows() if r[0].value == "Tỷ lệ (%)")
    assert 67.5 in [c.value for c in percent_row]
    kad_cells = [c for row in template.iter_rows() for c in row if c.value == "KAD"]
    assert len(kad_cells) == 1 and kad_cells[0].protection.locked
