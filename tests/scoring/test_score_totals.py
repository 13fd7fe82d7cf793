"""The maintained totals (ScoreTotal, kept by the triggers of migration 0015) always equal the
sums of the scores: random sequences of writes through the real paths — the sheet's saves
(record_scores: new scores, then the one-statement update of bulk_rows), self-assessments
accepted, queryset updates and deletes, criteria moved, re-kinded and deleted, not-applicable
marks, whole compacts deleted — each followed by a comparison of the table with the scores
summed afresh. Runs on SQLite and on PostgreSQL (DATABASE_URL), whose triggers differ.
"""

import contextlib
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from scoring import schemes, selectors
from scoring.errors import Refusal
from scoring.models import Compact, Criterion, Score, ScoreTotal
from scoring.not_applicable import NewMark, save_not_applicable
from scoring.ranking import Kind, Side
from scoring.selectors.totals import stored_totals, totals_from_scores
from scoring.services import (
    CellInput,
    SaveRefused,
    accept_self_assessment,
    record_scores,
    submit_self_assessment,
)
from scoring.services.totals import compare_totals, rebuild_totals
from tests.factories import CriterionFactory, UserFactory, build_compact, score
from units.models import Unit

pytestmark = pytest.mark.django_db

VALUES = ["", "0", "1", "1,5", "2", "3,25", "7", "10"]


def build_world():
    """Two compacts of three units, as (compact id, unit ids): one with a scheme four levels
    deep (G1 → G1.1 → G1.1.a → G1.1.a.1), the other as build_compact makes it."""
    deep, units, criteria = build_compact(units=3, groups=2, criteria_per_group=2)
    sub = CriterionFactory(compact=deep, parent=criteria["G1.1"], code="G1.1.a")
    CriterionFactory(compact=deep, parent=sub, code="G1.1.a.1")
    CriterionFactory(compact=deep, parent=criteria["G1.1"], code="G1.1.b")
    other, other_units, _ = build_compact(units=3, groups=2, criteria_per_group=2, year=2018)
    return [(deep.pk, [u.pk for u in units]), (other.pk, [u.pk for u in other_units])]


def leaves_of(compact):
    return list(Criterion.objects.filter(compact=compact).leaves().order_by("pk"))


def draw_from(data, choices):
    """One of `choices`, or None when there is none left (all deleted)."""
    return data.draw(st.sampled_from(choices)) if choices else None


class TotalsMachine(RuleBasedStateMachine):
    """Each run starts from the same world, built once by the test (`start`, `user`), in a
    savepoint rolled back at its end; the rows are read afresh, since a run may delete them."""

    start: list[tuple[int, list[int]]]
    user: object

    @initialize()
    def build(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.world = [
            (
                Compact.objects.get(pk=compact),
                list(Unit.objects.filter(pk__in=units).order_by("pk")),
            )
            for compact, units in self.start
        ]

    def teardown(self):
        if hasattr(self, "atomic"):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

    def pick(self, data):
        compact, units = data.draw(st.sampled_from(self.world))
        return compact, units

    @rule(data=st.data(), side=st.sampled_from([Side.VERIFIED, Side.SELF]))
    def save_cells(self, data, side):
        """The sheet's save: new cells created, existing ones updated in one statement."""
        compact, units = self.pick(data)
        unit = data.draw(st.sampled_from(units))
        leaves = leaves_of(compact)
        if not leaves:
            return
        chosen = data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=6))
        versions = dict(
            Score.objects.filter(compact=compact, unit=unit).values_list("criterion_id", "version")
        )
        cells = [
            CellInput(
                unit.pk, c.pk, data.draw(st.sampled_from(VALUES)), "Ghi chú", versions.get(c.pk, 0)
            )
            for c in {c.pk: c for c in chosen}.values()
        ]
        with contextlib.suppress(SaveRefused, Refusal):  # refused as a whole: nothing written
            record_scores(
                compact=compact,
                user=self.user,
                cells=cells,
                side=side,
                unit_id=unit.pk if side == Side.SELF else None,
            )

    @rule(data=st.data())
    def accept_self(self, data):
        compact, units = self.pick(data)
        unit = data.draw(st.sampled_from(units))
        try:
            with transaction.atomic():
                submit_self_assessment(compact=compact, unit_id=unit.pk, user=self.user)
                accept_self_assessment(compact=compact, unit_id=unit.pk, user=self.user)
        except Refusal:
            pass

    @rule(
        data=st.data(),
        field=st.sampled_from(["self_points", "verified_points"]),
        value=st.sampled_from([None, D(0), D("2.5"), D("4.75")]),
        add=st.booleans(),
    )
    def update_queryset(self, data, field, value, add):
        compact, units = self.pick(data)
        scores = Score.objects.filter(compact=compact, unit=data.draw(st.sampled_from(units)))
        if add:
            scores.filter(**{f"{field}__isnull": False}).update(**{field: F(field) + 1})
        else:
            scores.update(**{field: value})

    @rule(data=st.data())
    def move_score_to_another_unit(self, data):
        compact, units = self.pick(data)
        score_row = Score.objects.filter(compact=compact).order_by("pk").first()
        if score_row is None:
            return
        try:
            with transaction.atomic():
                Score.objects.filter(pk=score_row.pk).update(unit=data.draw(st.sampled_from(units)))
        except IntegrityError:
            pass  # that unit already has a score there

    @rule(data=st.data(), by_unit=st.booleans())
    def delete_queryset(self, data, by_unit):
        compact, units = self.pick(data)
        if by_unit:
            Score.objects.filter(compact=compact, unit=data.draw(st.sampled_from(units))).delete()
        else:
            Score.objects.filter(criterion=draw_from(data, leaves_of(compact))).delete()

    @rule(data=st.data(), through_service=st.booleans())
    def move_criterion(self, data, through_service):
        """A criterion (with what is below it) placed under another content node."""
        compact, _units = self.pick(data)
        nodes = list(Criterion.objects.filter(compact=compact, kind=Kind.JUDGED).order_by("pk"))
        moved = draw_from(data, [n for n in nodes if n.parent_id])
        if moved is None:
            return
        below = {moved.pk}
        for node in nodes * 8:  # up to the scheme's depth
            if node.parent_id in below:
                below.add(node.pk)
        places = [n for n in nodes if n.pk not in below and not n.scores.exists()]
        target = draw_from(data, places)
        if target is None:
            return
        if through_service:
            with contextlib.suppress(Refusal):
                schemes.save_criterion(
                    compact=compact, user=self.user, criterion=moved, data={"parent": target}
                )
        else:
            Criterion.objects.filter(pk=moved.pk).update(parent=target)

    @rule(data=st.data(), kind=st.sampled_from([Kind.JUDGED, Kind.BONUS, Kind.DEDUCTION]))
    def rekind_criterion(self, data, kind):
        compact, _units = self.pick(data)
        leaf = draw_from(data, leaves_of(compact))
        # A content criterion needs its maximum (a database constraint).
        Criterion.objects.filter(pk=getattr(leaf, "pk", None)).update(
            kind=kind, max_points=Coalesce("max_points", D(10))
        )

    @rule(data=st.data())
    def mark_not_applicable(self, data):
        compact, units = self.pick(data)
        criterion = draw_from(data, leaves_of(compact))
        unit = data.draw(st.sampled_from(units))
        if criterion is None:
            return
        with contextlib.suppress(Refusal):
            save_not_applicable(
                compact=compact,
                user=self.user,
                add=NewMark(unit_id=unit.pk, criterion_id=criterion.pk, reason="Không có"),
            )

    @rule(data=st.data())
    def delete_criterion(self, data):
        compact, _units = self.pick(data)
        Criterion.objects.filter(
            pk=getattr(draw_from(data, leaves_of(compact)), "pk", None)
        ).delete()

    @precondition(lambda self: len(self.world) > 1)
    @rule(data=st.data())
    def delete_compact(self, data):
        gone = data.draw(st.sampled_from(self.world))
        gone[0].delete()
        self.world = [w for w in self.world if w is not gone]

    @invariant()
    def totals_equal_the_scores(self):
        if not hasattr(self, "world"):
            return
        ids = [compact.pk for compact, _units in self.world]
        assert stored_totals(ids) == totals_from_scores(ids)
        assert not ScoreTotal.objects.exclude(compact_id__in=ids).exists()
        connection.check_constraints()  # deferred foreign keys hold now, not only at commit


def test_totals_equal_the_scores_after_any_writes(monkeypatch):
    # Built once: building it for each of the runs took over a third of the test's time.
    monkeypatch.setattr(TotalsMachine, "start", build_world(), raising=False)
    monkeypatch.setattr(TotalsMachine, "user", UserFactory(), raising=False)
    TotalsMachine.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    run_state_machine_as_test(TotalsMachine, settings=TotalsMachine.TestCase.settings)


def test_rankings_read_the_totals_as_the_scores_sum_them():
    compact, (a, b, _c), cr = build_compact()
    score(compact, a, cr["G1.1"], "7.5", self_value=8)
    score(compact, a, cr["B.1"], 3)
    score(compact, b, cr["G2.2"], 9)

    points = selectors.group_points_by_compact([compact.pk])[compact.pk]
    own = selectors.group_points_by_compact([compact.pk], source=Side.SELF)[compact.pk]

    assert points == {
        a.pk: {
            "groups": {cr["G1"].pk: D("7.50"), cr["B"].pk: D(15)},
            "scored": 2,
            "content_scored": 1,
        },
        b.pk: {"groups": {cr["G2"].pk: D(9)}, "scored": 1, "content_scored": 1},
    }
    assert own == {a.pk: {"groups": {cr["G1"].pk: D(8)}, "scored": 1, "content_scored": 1}}


def test_a_deleted_compact_leaves_no_totals():
    compact, (a, *_), cr = build_compact()
    score(compact, a, cr["G1.1"], 5)
    assert ScoreTotal.objects.filter(compact=compact).exists()

    Compact.objects.filter(pk=compact.pk).delete()
    connection.check_constraints()

    assert not ScoreTotal.objects.exists()


def test_a_scheme_eight_levels_deep_counts_in_its_top_group():
    compact, (a, *_), cr = build_compact()
    node = cr["G1.1"]
    for level in range(3, 9):  # G1 is level 1, G1.1 level 2
        node = CriterionFactory(compact=compact, parent=node, code=f"deep{level}")
    score(compact, a, node, 4)

    points = selectors.group_points_by_compact([compact.pk])[compact.pk][a.pk]

    assert points["groups"] == {cr["G1"].pk: D(4)}


def test_rebuild_repairs_totals_that_went_wrong():
    compact, (a, b, _c), cr = build_compact()
    other, (x, *_), other_cr = build_compact(year=2018)
    score(compact, a, cr["G1.1"], 5)
    score(compact, b, cr["D.1"], 1)
    score(other, x, other_cr["G2.1"], 6)
    expected = totals_from_scores([compact.pk, other.pk])
    ScoreTotal.objects.filter(compact=compact, unit=a).update(verified_points=99)
    ScoreTotal.objects.filter(compact=compact, unit=b).delete()

    assert [(d.compact_id, d.rows) for d in compare_totals([compact.pk, other.pk])] == [
        (compact.pk, 2)
    ]
    rebuild_totals([compact.pk])

    assert compare_totals([compact.pk, other.pk]) == []
    assert stored_totals([compact.pk, other.pk]) == expected


def test_check_totals_reports_and_repairs(capsys):
    compact, (a, *_), cr = build_compact()
    score(compact, a, cr["G1.1"], 5)
    ScoreTotal.objects.filter(compact=compact).update(verified_scored=7)

    with pytest.raises(SystemExit) as failed:
        call_command("check_totals")
    reported = capsys.readouterr().out
    call_command("check_totals", "--repair")
    repaired = capsys.readouterr().out
    call_command("check_totals", "--compact", str(compact.pk))
    checked = capsys.readouterr().out

    assert failed.value.code == 1
    assert f"Giao ước {compact.pk}: 1 dòng" in reported
    assert "Đã kiểm tra 1 giao ước: 1 " in reported
    assert "Đã tính lại tổng điểm của 1 giao ước." in repaired
    assert "Đã kiểm tra 1 giao ước: 0 " in checked
    assert ScoreTotal.objects.get(compact=compact).verified_scored == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncating_the_scores_empties_the_totals():
    compact, (a, *_), cr = build_compact()
    score(compact, a, cr["G1.1"], 5)

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key checks pending
        cursor.execute("TRUNCATE scoring_score, scoring_historicalscore")

    assert not ScoreTotal.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the function is PostgreSQL's")
def test_the_migrations_rebuild_function_matches_the_scores():
    """scoring_rebuild_score_totals backfills every compact (migration 0015) and rebuilds a
    compact whose criteria moved."""
    compact, (a, b, _c), cr = build_compact()
    score(compact, a, cr["G1.1"], 5)
    score(compact, b, cr["B.1"], 2)
    expected = totals_from_scores([compact.pk])
    ScoreTotal.objects.all().delete()

    with connection.cursor() as cursor:
        cursor.execute("SELECT scoring_rebuild_score_totals(NULL)")

    assert stored_totals([compact.pk]) == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the functions are PostgreSQL's")
def test_the_trigger_functions_run_without_jit():
    """The planner cannot see how many rows a transition table holds: with JIT on, compiling
    the statement cost 1.3 s of a 1,200-cell save whose work takes 60 ms (the 5 M set)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, proconfig FROM pg_proc WHERE proname IN"
            " ('scoring_score_totals_apply', 'scoring_criterion_totals_apply',"
            " 'scoring_rebuild_score_totals')"
        )
        config = dict(cursor.fetchall())

    assert len(config) == 3
    assert all(values == ["jit=off"] for values in config.values()), config


def test_the_demo_fixture_copies_totals_that_match_its_scores(demo):
    """tests/conftest.py copies the demo's scores before its criteria (the totals' trigger
    then writes nothing) and its totals as they were: they must be the scores' sums, and the
    trigger must work on the copy."""
    compacts = list(Compact.objects.values_list("pk", flat=True))
    assert ScoreTotal.objects.count() > 20
    assert compare_totals(compacts) == []
    compact = Compact.objects.get(year=2018)
    scored = set(Score.objects.filter(compact=compact).values_list("unit_id", "criterion_id"))
    unit_id, criterion = next(
        (unit_id, criterion)
        for criterion in Criterion.objects.filter(compact=compact, kind="judged").leaves()
        for unit_id in compact.memberships().values_list("unit_id", flat=True)
        if (unit_id, criterion.pk) not in scored
    )
    Score.objects.create(
        compact=compact, unit_id=unit_id, criterion=criterion, verified_value=1, verified_points=1
    )
    assert compare_totals(compacts) == []
