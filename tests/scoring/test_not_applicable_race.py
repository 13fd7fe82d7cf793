"""Marking a criterion not applicable and saving a score on the same cell, at the same time:
one waits for the other, so a score never lands on a cell just marked not applicable. Row
locks need PostgreSQL (DATABASE_URL); the other thread gives up after a short lock timeout
instead of waiting for the first transaction to end."""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from scoring.models import NotApplicable, Score
from scoring.not_applicable import NewMark, save_not_applicable
from scoring.ranking import Side
from scoring.services import CellInput, record_scores
from tests.factories import ScoreFactory, UserFactory, build_compact

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def in_other_transaction(action) -> dict:
    """Runs `action` in another thread (its own connection and transaction), giving up on
    any lock it would wait for more than a moment. Returns {"value": …} or {"error": …}."""
    outcome = {}

    def run():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                outcome["value"] = action()
        except Exception as error:  # reported to the test
            outcome["error"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome


@pytest.fixture
def cell():
    """A cell whose score row exists without a value yet (a note was saved, say): saving
    its value updates the row, no insert takes a lock on the compact."""
    compact, (unit, *_), criteria = build_compact()
    criterion = criteria["G1.1"]
    ScoreFactory(compact=compact, unit=unit, criterion=criterion, verified_note="Chờ số liệu")
    return compact, unit, criterion, UserFactory()


def save_value(compact, unit, criterion, user):
    version = Score.objects.get(unit=unit, criterion=criterion).version
    return record_scores(
        compact=compact,
        user=user,
        side=Side.VERIFIED,
        cells=[CellInput(unit.pk, criterion.pk, "5", version=version)],
    )


def mark(compact, unit, criterion, user):
    add = NewMark(unit.pk, criterion.pk, "Không có cảng biển")
    return save_not_applicable(compact=compact, user=user, add=add)


def test_marking_waits_for_a_score_save_in_progress(cell):
    compact, unit, criterion, user = cell

    with transaction.atomic():
        save_value(compact, unit, criterion, user)
        marking = in_other_transaction(lambda: mark(compact, unit, criterion, user))

    assert isinstance(marking.get("error"), OperationalError), marking
    assert not NotApplicable.objects.exists()
    assert Score.objects.get(unit=unit, criterion=criterion).verified_value == 5


def test_a_score_save_waits_for_a_marking_in_progress(cell):
    compact, unit, criterion, user = cell

    with transaction.atomic():
        mark(compact, unit, criterion, user)
        saving = in_other_transaction(lambda: save_value(compact, unit, criterion, user))

    assert isinstance(saving.get("error"), OperationalError), saving
    assert NotApplicable.objects.filter(unit=unit, criterion=criterion).count() == 1
    assert Score.objects.get(unit=unit, criterion=criterion).verified_value is None
