"""What a save reads to check its cells: the scores as rows (no user read unless a cell is
refused as a conflict, and then every name in one query), and the scheme's leaves found by
NOT EXISTS on the parent index. Run on SQLite and on PostgreSQL (DATABASE_URL)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Criterion, Score
from scoring.services import CellInput, SaveRefused, record_scores
from scoring.services.bulk_rows import _memoized_prep
from tests.factories import CriterionFactory, UserFactory, build_compact

pytestmark = pytest.mark.django_db


def save(compact, user, *cells):
    return record_scores(compact=compact, user=user, cells=list(cells), side="verified")


def user_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if '"auth_user"' in q["sql"]]


def test_a_save_without_conflicts_reads_no_user():
    compact, (a, b, _c), cr = build_compact()
    user = UserFactory()
    save(compact, user, CellInput(a.id, cr["G1.1"].id, "6"), CellInput(b.id, cr["G1.1"].id, "6"))

    with CaptureQueriesContext(connection) as queries:
        written = save(
            compact,
            user,
            CellInput(a.id, cr["G1.1"].id, "7", version=1),
            CellInput(b.id, cr["G1.1"].id, "7", version=1),
        )

    assert written == 2
    assert user_reads(queries) == []
    assert Score.objects.filter(updated_by=user, version=2).count() == 2


def test_conflicts_name_who_saved_each_cell_read_in_one_query():
    compact, (a, b, c), cr = build_compact()
    first, careful = UserFactory(), UserFactory(first_name="Bình", last_name="Trần")
    plain = UserFactory(username="thu.ky", first_name="", last_name="")
    save(compact, first, *(CellInput(u.id, cr["G1.1"].id, "6") for u in (a, b, c)))
    save(compact, careful, CellInput(a.id, cr["G1.1"].id, "8", version=1))
    save(compact, plain, CellInput(b.id, cr["G1.1"].id, "9", version=1))
    save(compact, careful, CellInput(c.id, cr["G1.1"].id, "5", version=1))
    Score.objects.filter(unit=c).update(updated_by=None)  # the account was removed

    with CaptureQueriesContext(connection) as queries, pytest.raises(SaveRefused) as refused:
        save(compact, first, *(CellInput(u.id, cr["G1.1"].id, "7", version=1) for u in (a, b, c)))

    messages = {key[0]: p.message for key, p in refused.value.problems.items()}
    assert [messages[u.id].split(" đã ")[0] for u in (a, b, c)] == [
        careful.get_full_name(),
        "thu.ky",
        "người khác",  # the message's own words when nobody is known
    ]
    assert len(user_reads(queries)) == 1


def test_leaves_are_the_criteria_without_children_of_any_compact():
    compact, _units, cr = build_compact(groups=2, criteria_per_group=2)
    build_compact(groups=1, criteria_per_group=1)
    grandchild = CriterionFactory(compact=compact, parent=cr["G1.2"], code="G1.2.1")

    leaves = Criterion.objects.filter(compact=compact).leaves()

    assert sorted(c.code for c in leaves) == sorted(
        ["G1.1", "G2.1", "G2.2", "B.1", "D.1", grandchild.code]
    )
    assert Criterion.objects.leaves().count() == leaves.count() + 3  # G1.1, B.1, D.1 of other
    sql = str(leaves.query)  # NOT EXISTS, not a join of every criterion to its children
    assert ("NOT EXISTS" in sql, "LEFT OUTER JOIN" in sql) == (True, False)


class CountingField:
    """A field whose preparation is counted: `_memoized_prep` must call it once per value."""

    def __init__(self):
        self.calls = []

    def get_db_prep_save(self, value, connection):
        self.calls.append(value)
        return ("prepared", value)


def test_update_values_are_prepared_once_per_distinct_value_and_type():
    field = CountingField()
    prep = _memoized_prep(field, connection)

    prepared = [prep(v) for v in ("a", "a", 1, True, 1, None, None, ["x"], ["x"])]

    assert prepared == [
        ("prepared", "a"),
        ("prepared", "a"),
        ("prepared", 1),
        ("prepared", True),
        ("prepared", 1),
        ("prepared", None),
        ("prepared", None),
        ("prepared", ["x"]),
        ("prepared", ["x"]),
    ]
    assert type(prepared[3][1]) is bool  # True is not taken for the 1 before it
    assert field.calls == ["a", 1, True, None, ["x"], ["x"]]  # a list cannot be remembered
