"""The whole-sheet save of bench/run.py: the POST as the sheet's script sends it, its floor
(one raw `UPDATE … FROM (VALUES …)` and its history `INSERT … SELECT`), the maintained
totals' trigger timed alone, and `kept_as_found`, which puts the sheet back as it was.

Every run writes: 1,200 cells a run, each with a history row. `kept_as_found` restores the
cells' stored values, notes, versions and audit fields and removes the history rows the
runs added, so that a shared data set is left as the benchmark found it (but for its
sequences and the dead rows that autovacuum clears).
"""

import json
import statistics
import time
from contextlib import contextmanager
from decimal import Decimal

HISTORY_COLUMNS = (
    "id, self_value, self_points, self_note, verified_value, verified_points, verified_note,"
    " updated_at, version, history_date, history_change_reason, history_type, compact_id,"
    " criterion_id, history_user_id, unit_id, updated_by_id"
)
# What a verified save changes on a score; kept_as_found writes them back.
SAVED = ("verified_value", "verified_points", "verified_note", "version", "updated_by_id",
         "updated_at")  # fmt: skip


def value_of(criterion, turn):
    """Two valid values per rule, so that every save changes every cell."""
    from scoring import ranking

    if criterion.kind in ("bonus", "count"):
        return 1 + turn
    if criterion.kind == "deduction":
        return 0 if criterion.disqualifying else turn
    if criterion.kind == "pass_fail":
        return turn
    if criterion.kind == "quantitative":
        return 100 + turn
    return criterion.max_points - turn * ranking.CENT * 50


def save_and_floor(compact, client):
    """(the sheet's POST, its floor, the cells): each call of either changes every cell to
    the other of its two values and returns its time in ms (set-up left out)."""
    from scoring.models import Criterion, Score

    leaves = list(Criterion.objects.filter(compact=compact).leaves())
    units = list(compact.memberships().values_list("unit_id", flat=True))
    cells = [(u, c) for u in units for c in leaves]
    state = {"turn": 0}

    def current():
        return {
            (s.unit_id, s.criterion_id): (s.id, s.version)
            for s in Score.objects.filter(compact=compact).only("id", "unit_id", "criterion_id",
                                                                 "version")
        }  # fmt: skip

    def save():
        """The page posts its changed cells as one JSON field where the sheet does so (the
        sheet's script), else as form fields."""
        state["turn"] = 1 - state["turn"]
        versions = current()
        posted = [
            [
                unit_id,
                criterion.pk,
                str(value_of(criterion, state["turn"])).replace(".", ","),
                versions.get((unit_id, criterion.pk), (0, 0))[1],
                f"Thẩm định lần {state['turn']}",
            ]
            for unit_id, criterion in cells
        ]
        data = {"cells": json.dumps(posted)}  # what sheet.js posts
        started = time.perf_counter()
        response = client.post(f"/compacts/{compact.pk}/sheet/", data)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, (response.status_code, response.content[:2000])
        return elapsed

    def raw():
        state["turn"] = 1 - state["turn"]
        return raw_save(compact, cells, current(), state["turn"])

    return save, raw, cells


def raw_save(compact, cells, versions, turn) -> float:
    """The floor: the same cells, values and points computed beforehand, in one UPDATE …
    FROM (VALUES …) that checks each version, and one history INSERT … SELECT."""
    from django.db import connection, transaction

    from scoring import ranking
    from scoring.models import Target

    targets = {(t.unit_id, t.criterion_id): t.value for t in Target.objects.filter(compact=compact)}
    rows = []
    for unit_id, criterion in cells:
        score_id, version = versions[(unit_id, criterion.pk)]
        value = Decimal(value_of(criterion, turn))
        points = ranking.points_for(
            criterion=ranking.CriterionRule.of(criterion),
            value=value,
            target=targets.get((unit_id, criterion.pk)),
        )
        rows.append((score_id, version, value, points, f"Thẩm định lần {turn}"))
    values = ",".join(["(%s, %s, %s::numeric, %s::numeric, %s)"] * len(rows))
    params = [x for row in rows for x in row]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Without the maintained totals' trigger (the sheet's save pays for it); the
        # totals are rebuilt once the runs are over.
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE scoring_score s SET verified_value = v.value, verified_points = v.points,"
            " verified_note = v.note, version = s.version + 1, updated_at = now()"
            f" FROM (VALUES {values}) AS v(id, version, value, points, note)"
            " WHERE s.id = v.id AND s.version = v.version RETURNING s.id",
            params,
        )
        changed = [row[0] for row in cursor.fetchall()]
        assert len(changed) == len(rows)
        cursor.execute(
            f"INSERT INTO scoring_historicalscore ({HISTORY_COLUMNS}) "
            "SELECT id, self_value, self_points, self_note, verified_value, verified_points,"
            " verified_note, updated_at, version, now(), NULL, '~', compact_id, criterion_id,"
            " NULL, unit_id, NULL FROM scoring_score WHERE id = ANY(%s)",
            [changed],
        )
    return (time.perf_counter() - started) * 1000


@contextmanager
def kept_as_found(compact):
    """Runs the block, then puts the compact's scores back as they were (SAVED fields),
    removes the history rows added meanwhile and rebuilds its maintained totals."""
    from django.db import connection, transaction

    from scoring.models import Score
    from scoring.services.totals import rebuild_totals

    before = list(Score.objects.filter(compact=compact).values_list("id", *SAVED))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(history_id), 0) FROM scoring_historicalscore")
        last_history = cursor.fetchone()[0]
    try:
        yield
    finally:
        columns = ", ".join(f"{name} = v.{name}" for name in SAVED)
        values = ",".join(
            ["(%s, %s::numeric, %s::numeric, %s, %s, %s::bigint, %s::timestamptz)"] * len(before)
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE scoring_score s SET {columns} FROM (VALUES {values})"
                f" AS v(id, {', '.join(SAVED)}) WHERE s.id = v.id",
                [x for row in before for x in row],
            )
            cursor.execute(
                "DELETE FROM scoring_historicalscore WHERE compact_id = %s AND history_id > %s",
                [compact.pk, last_history],
            )
        rebuild_totals([compact.pk])


def trigger_time(compact):
    """The maintained totals' trigger on a whole-sheet UPDATE (every cell's points changed):
    its time as EXPLAIN ANALYZE reports it, median of three runs, each rolled back."""
    from django.db import connection, transaction

    from scoring.models import Score

    ids = list(Score.objects.filter(compact=compact).values_list("id", flat=True))
    values = ",".join(["(%s)"] * len(ids))
    times = []
    for _ in range(3):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN (ANALYZE, FORMAT JSON) UPDATE scoring_score s"
                " SET verified_points = s.verified_points + 0.5"
                f" FROM (VALUES {values}) AS v(id) WHERE s.id = v.id",
                ids,
            )
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            triggers = plan[0].get("Triggers", [])
            times.append(sum(t["Time"] for t in triggers if "totals" in t["Trigger Name"]))
            transaction.set_rollback(True)
    return statistics.median(times)
