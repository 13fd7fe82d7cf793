"""The data migration that dates the compacts finalized before `Compact.finalized_on`
existed: the day of their last transition to finalized."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from scoring.models import Compact, CompactEvent
from tests.factories import ClusterFactory, CompactFactory

pytestmark = pytest.mark.django_db


def backfill():
    migration = next(
        Path(__file__)
        .parents[2]
        .glob("scoring/migrations/*_compact_finalized_on_signing_guests.py")
    )
    module = importlib.import_module(f"scoring.migrations.{migration.stem}")
    module.backfill_finalized_on(apps, None)


def event(compact, to_status, at):
    e = CompactEvent.objects.create(compact=compact, kind="transition", to_status=to_status)
    CompactEvent.objects.filter(pk=e.pk).update(at=at)


def test_backfill_dates_finalized_compacts_by_their_last_finalization():
    cluster = ClusterFactory()
    finalized = CompactFactory(cluster=cluster, year=2017, status=Compact.Status.FINALIZED)
    event(finalized, "finalized", datetime.datetime(2017, 12, 10, 3, tzinfo=datetime.UTC))
    event(finalized, "scoring_closed", datetime.datetime(2017, 12, 12, 3, tzinfo=datetime.UTC))
    event(finalized, "finalized", datetime.datetime(2017, 12, 20, 3, tzinfo=datetime.UTC))
    undated = CompactFactory(cluster=cluster, year=2016, status=Compact.Status.FINALIZED)
    open_year = CompactFactory(cluster=cluster, year=2018, status=Compact.Status.IN_FORCE)

    backfill()

    assert [Compact.objects.get(pk=c.pk).finalized_on for c in (finalized, undated, open_year)] == [
        datetime.date(2017, 12, 20),
        None,
        None,
    ]
