"""A failure half-way through a write leaves the database as it was."""

from decimal import Decimal as D

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring import services
from scoring.models import Criterion, Evidence, Score
from scoring.ranking import Side
from units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


class Boom(RuntimeError):
    pass


def state():
    return (
        sorted(Score.objects.values_list("id", "version", "self_value", "verified_value")),
        Score.history.count(),
        Evidence.objects.count(),
    )


def test_a_failure_after_new_scores_were_inserted_undoes_them(c2018, monkeypatch):
    quangninh = Unit.objects.get(code="pccc-quangninh")  # has scores: an update
    binhdinh = Unit.objects.get(code="pccc-binhdinh")  # has none: an insert
    i1 = Criterion.objects.get(compact=c2018, code="I.1")
    before = state()

    def fail(*args, **kwargs):
        raise Boom("the database went away between the insert and the update")

    monkeypatch.setattr(services.scores, "bulk_update_with_history", fail)
    with pytest.raises(Boom):
        services.record_scores(
            compact=c2018,
            user=None,
            side=Side.VERIFIED,
            cells=[
                services.CellInput(binhdinh.pk, i1.pk, "30", None, 0),
                services.CellInput(quangninh.pk, i1.pk, "31", "lý do", 1),
            ],
        )

    assert state() == before


def test_a_failure_while_storing_evidence_undoes_the_scores_of_that_save(
    c2018, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    nghean = Unit.objects.get(code="pccc-nghean")
    i1 = Criterion.objects.get(compact=c2018, code="I.1")
    before = state()
    calls = {"n": 0}
    original = FileSystemStorage._save

    def second_file_fails(self, name, content):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Boom("disk full")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", second_file_fails)
    files = [SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")]
    with pytest.raises(Boom):
        services.save_self_assessment(
            compact=c2018,
            unit_id=nghean.pk,
            user=None,
            cells=[services.CellInput(nghean.pk, i1.pk, "38", "ghi chú", 0)],
            evidence={i1.pk: files},
        )

    assert state() == before
    assert not list((tmp_path / "evidence").rglob("*.pdf"))  # the first file was removed too


def test_a_failure_in_the_middle_of_an_import_writes_nothing(c2018, monkeypatch):
    nghean = Unit.objects.get(code="pccc-nghean")
    leaves = list(Criterion.objects.filter(compact=c2018, kind="judged").leaves())[:5]
    preview = services.ImportPreview(
        unit=nghean, cells=[services.CellInput(nghean.pk, c.pk, str(D(1)), "", 0) for c in leaves]
    )
    before = state()

    def fail(*args, **kwargs):
        raise Boom("killed half-way")

    monkeypatch.setattr(services.scores, "bulk_create_with_history", fail)
    with pytest.raises(Boom):
        services.apply_template_import(compact=c2018, preview=preview, user=None)
    assert state() == before
