"""accept_self_assessment: empty verified cells take the self-assessed points; the
secretariat's corrections are kept unless chosen; all or nothing; the trail says why."""

from decimal import Decimal as D

import pytest

from scoring.audit import score_history
from scoring.models import Score
from scoring.services import (
    ServiceError,
    accept_self_assessment,
    plan_self_acceptance,
)
from tests.factories import CriterionFactory, ScoreFactory, UserFactory, build_compact

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    """Unit a self-assessed G1.1 = 8, G1.2 = 9 (corrected to 6 with a reason), G2.1 = 7
    (verified 7 already) and G2.2 = 5 (not verified)."""
    compact, (a, *_), cr = build_compact()
    cells = {
        "G1.1": (8, None, ""),
        "G1.2": (9, 6, "Thiếu minh chứng"),
        "G2.1": (7, 7, ""),
        "G2.2": (5, None, ""),
    }
    for code, (mine, verified, note) in cells.items():
        ScoreFactory(
            compact=compact,
            unit=a,
            criterion=cr[code],
            self_value=D(mine),
            self_points=D(mine),
            verified_value=None if verified is None else D(verified),
            verified_points=None if verified is None else D(verified),
            verified_note=note,
        )
    return compact, a, cr, UserFactory()


def verified(compact, unit):
    return {
        s.criterion.code: (s.verified_points, s.verified_note)
        for s in Score.objects.filter(compact=compact, unit=unit).select_related("criterion")
    }


def test_plan_lists_the_corrections_apart_from_the_empty_cells(setup):
    compact, a, _cr, _user = setup

    plan = plan_self_acceptance(compact=compact, unit_id=a.pk)

    assert [s.criterion.code for s in plan.fills] == ["G1.1", "G2.2"]
    assert [(s.criterion.code, s.verified_points, s.verified_note) for s in plan.corrections] == [
        ("G1.2", D(6), "Thiếu minh chứng")
    ]


def test_accepting_keeps_the_corrections_by_default(setup):
    compact, a, cr, user = setup

    done = accept_self_assessment(compact=compact, unit_id=a.pk, user=user)

    assert (done.filled, done.overwritten, done.kept) == (2, 0, 1)
    assert verified(compact, a) == {
        "G1.1": (D(8), ""),
        "G1.2": (D(6), "Thiếu minh chứng"),
        "G2.1": (D(7), ""),
        "G2.2": (D(5), ""),
    }
    # The trail says the acceptance left the correction as it was.
    history = score_history(compact, unit_id=a.pk, criterion_id=cr["G1.2"].pk)
    assert history[0].reason == "Đã chấp nhận điểm tự chấm, giữ điểm thẩm định đã sửa"
    assert history[0].changes == []
    filled = score_history(compact, unit_id=a.pk, criterion_id=cr["G1.1"].pk)
    assert filled[0].reason == "Đã chấp nhận điểm tự chấm"


def test_accepting_overwrites_only_the_chosen_corrections(setup):
    compact, a, cr, user = setup
    correction = Score.objects.get(compact=compact, unit=a, criterion=cr["G1.2"])

    done = accept_self_assessment(
        compact=compact, unit_id=a.pk, user=user, overwrite={cr["G1.2"].pk: correction.version}
    )

    assert (done.filled, done.overwritten, done.kept) == (2, 1, 0)
    assert verified(compact, a)["G1.2"] == (D(9), "")
    history = score_history(compact, unit_id=a.pk, criterion_id=cr["G1.2"].pk)
    assert history[0].reason == "Đã chấp nhận điểm tự chấm, ghi đè điểm thẩm định đã sửa"
    assert [(c.old, c.new) for c in history[0].changes] == [
        ("6", "9"),
        ("6", "9"),
        ("Thiếu minh chứng", "—"),
    ]


def test_a_group_accepts_only_its_own_criteria(setup):
    compact, a, cr, user = setup

    accept_self_assessment(compact=compact, unit_id=a.pk, user=user, group_id=cr["G2"].pk)

    assert verified(compact, a) == {
        "G1.1": (None, ""),
        "G1.2": (D(6), "Thiếu minh chứng"),
        "G2.1": (D(7), ""),
        "G2.2": (D(5), ""),
    }


def test_a_group_accepts_its_criteria_at_any_depth(setup):
    compact, a, cr, user = setup
    parent, deep = cr["G2"], {}
    for code in ("G2.3", "G2.3.a", "G2.3.a.1", "G2.3.a.1.x", "G2.3.a.1.x.i"):
        parent = deep[code] = CriterionFactory(compact=compact, parent=parent, code=code)
    ScoreFactory(
        compact=compact, unit=a, criterion=deep["G2.3.a.1.x.i"], self_value=D(3), self_points=D(3)
    )

    accept_self_assessment(compact=compact, unit_id=a.pk, user=user, group_id=cr["G2"].pk)

    assert verified(compact, a)["G2.3.a.1.x.i"] == (D(3), "")
    assert verified(compact, a)["G1.1"] == (None, "")


def test_a_correction_changed_since_the_page_was_opened_refuses_everything(setup):
    compact, a, cr, user = setup
    seen = Score.objects.get(compact=compact, unit=a, criterion=cr["G1.2"]).version
    Score.objects.filter(compact=compact, unit=a, criterion=cr["G1.2"]).update(
        verified_value=D(5), verified_points=D(5), version=seen + 1
    )
    before = verified(compact, a)

    with pytest.raises(ServiceError) as refused:
        accept_self_assessment(
            compact=compact, unit_id=a.pk, user=user, overwrite={cr["G1.2"].pk: seen}
        )

    assert "G1.2" in refused.value.message
    assert verified(compact, a) == before


def test_overwriting_a_cell_that_is_no_correction_refuses_everything(setup):
    compact, a, cr, user = setup
    before = verified(compact, a)

    with pytest.raises(ServiceError):
        accept_self_assessment(
            compact=compact, unit_id=a.pk, user=user, overwrite={cr["G1.1"].pk: 1}
        )

    assert verified(compact, a) == before


def test_nothing_is_accepted_once_scoring_is_closed(setup):
    compact, a, _cr, user = setup
    compact.status = "scoring_closed"
    compact.save()
    before = verified(compact, a)

    with pytest.raises(ServiceError):
        accept_self_assessment(compact=compact, unit_id=a.pk, user=user)

    assert verified(compact, a) == before
