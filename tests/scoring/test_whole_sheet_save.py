"""A whole sheet saved in one UPDATE … FROM (VALUES …) and one history INSERT: the same rows
as simple_history's bulk_update_with_history wrote, in a number of queries that does not grow
with the cells. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history import utils as simple_history_utils

from scoring import services
from scoring.models import Score
from scoring.ranking import Side
from scoring.services import CellInput, record_scores
from tests.factories import UserFactory, build_compact

pytestmark = pytest.mark.django_db

MOMENT = datetime.datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def leaves(criteria):
    return [c for code, c in criteria.items() if "." in code]


def first_values(units, criteria):
    """Every cell of the sheet, one value each (created by the first save)."""
    return [
        CellInput(u.id, c.id, str((i + j) % 9 + 1), None, 0)
        for i, u in enumerate(units)
        for j, c in enumerate(leaves(criteria))
    ]


def second_value(i, j, criterion) -> D | None:
    """The second save's value of cell (unit i, leaf j): some cleared, decimals where the
    criterion is judged, counts of occurrences on bonus and deduction items."""
    if (i + j) % 5 == 0:
        return None
    if criterion.points_per_occurrence:
        return D((i * j) % 4 + 10)  # the first save typed 1 to 9
    return D((i * j) % 9) + D((i + j) % 3 + 1) / 4  # never the whole number typed first


NOTE = 'Lý do "đặc biệt" – it\'s'


def second_values(units, criteria):
    """Every cell changed: decimals typed with a comma, cleared cells, notes with quotes."""
    cells = []
    for i, u in enumerate(units):
        for j, c in enumerate(leaves(criteria)):
            value = second_value(i, j, c)
            typed = "" if value is None else str(value).replace(".", ",")
            cells.append(CellInput(u.id, c.id, typed, NOTE if j % 3 == 0 else None, 1))
    return cells


def rows():
    """Every score and every history row, all fields but the ids (a sequence is not rolled
    back on PostgreSQL); each row is known by its unit and criterion."""
    cell = ("unit_id", "criterion_id", "version")
    scores = [
        {k: v for k, v in s.items() if k != "id"} for s in Score.objects.order_by(*cell).values()
    ]
    history = [
        {k: v for k, v in h.items() if k not in ("id", "history_id")}
        for h in Score.history.order_by(*cell).values()
    ]
    return scores, history


def save_twice(compact, units, criteria, user, *, side, unit_id=None):
    for cells in (first_values(units, criteria), second_values(units, criteria)):
        record_scores(compact=compact, user=user, cells=cells, side=side, unit_id=unit_id)


@pytest.mark.parametrize("side", [Side.VERIFIED, Side.SELF])
def test_whole_sheet_save_writes_the_rows_and_history_the_old_way_wrote(monkeypatch, side):
    compact, units, criteria = build_compact(units=4, groups=3, criteria_per_group=5)
    user = UserFactory()
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)
    if side == Side.SELF:
        units, unit_id = units[:1], units[0].id
    else:
        unit_id = None

    with transaction.atomic():
        with monkeypatch.context() as old_way:
            old_way.setattr(
                services.scores,
                "bulk_update_with_history",
                simple_history_utils.bulk_update_with_history,
            )
            save_twice(compact, units, criteria, user, side=side, unit_id=unit_id)
        expected = rows()
        transaction.set_rollback(True)
    assert not Score.objects.exists()

    save_twice(compact, units, criteria, user, side=side, unit_id=unit_id)

    assert rows() == expected
    assert len(expected[0]) == len(units) * len(leaves(criteria))


def test_whole_sheet_save_records_each_changed_cell_and_its_history(monkeypatch):
    compact, units, criteria = build_compact(units=3, groups=2, criteria_per_group=4)
    user = UserFactory()
    monkeypatch.setattr(timezone, "now", lambda: MOMENT)

    save_twice(compact, units, criteria, user, side=Side.VERIFIED)

    by_unit = {u.id: i for i, u in enumerate(units)}
    by_criterion = {c.id: (j, c) for j, c in enumerate(leaves(criteria))}
    for score in Score.objects.all():
        i, (j, criterion) = by_unit[score.unit_id], by_criterion[score.criterion_id]
        value = second_value(i, j, criterion)
        points = None if value is None else value * (criterion.points_per_occurrence or 1)
        note = NOTE if j % 3 == 0 else ""
        assert (score.verified_value, score.verified_points, score.verified_note) == (
            value,
            points,
            note,
        )
        assert (score.version, score.updated_by, score.updated_at) == (2, user, MOMENT)
        history = [
            (h.history_type, h.version, h.verified_value, h.verified_points, h.verified_note)
            for h in score.history.order_by("version")
        ]
        recorded = {
            (h.history_user, h.history_date, h.updated_by_id, h.updated_at)
            for h in score.history.all()
        }
        assert history == [
            ("+", 1, D((i + j) % 9 + 1), history[0][3], ""),
            ("~", 2, value, points, note),
        ]
        assert recorded == {(user, MOMENT, user.id, MOMENT)}


@pytest.mark.parametrize(("units", "per_group"), [(2, 2), (8, 40)])
def test_whole_sheet_save_takes_the_same_queries_whatever_its_size(
    django_assert_max_num_queries, units, per_group
):
    compact, members, criteria = build_compact(units=units, groups=4, criteria_per_group=per_group)
    user = UserFactory()
    record_scores(
        compact=compact, user=user, cells=first_values(members, criteria), side=Side.VERIFIED
    )

    with django_assert_max_num_queries(10):
        written = record_scores(
            compact=compact, user=user, cells=second_values(members, criteria), side=Side.VERIFIED
        )

    assert written == units * (4 * per_group + 2)
    assert Score.history.filter(history_type="~").count() == written


def test_a_save_larger_than_the_databases_parameter_limit_is_sent_in_chunks(monkeypatch):
    compact, units, criteria = build_compact(units=3, groups=2, criteria_per_group=5)
    user = UserFactory()
    record_scores(
        compact=compact, user=user, cells=first_values(units, criteria), side=Side.VERIFIED
    )
    # 7 parameters a row (id and six fields): 20 allow 2 rows a statement, so 36 cells take 18.
    monkeypatch.setattr(type(connection.features), "max_query_params", 20)
    monkeypatch.delitem(connection.features.__dict__, "max_query_params", raising=False)
    with CaptureQueriesContext(connection) as queries:
        written = record_scores(
            compact=compact, user=user, cells=second_values(units, criteria), side=Side.VERIFIED
        )

    updates = [q["sql"] for q in queries if "UPDATE" in q["sql"] and "VALUES" in q["sql"]]
    assert (written, len(updates)) == (36, 18)
    assert sorted(Score.objects.values_list("version", flat=True)) == [2] * 36
