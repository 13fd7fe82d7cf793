"""record_scores: the one write path of the score sheet. All cells or none."""

from decimal import Decimal as D

import pytest

from scoring.models import Compact, Score
from scoring.ranking import Kind, Side
from scoring.services import (
    CellInput,
    CellProblem,
    SaveRefused,
    ServiceError,
    record_scores,
)
from tests.factories import (
    CriterionFactory,
    TargetFactory,
    UserFactory,
    build_compact,
    proportional_criterion,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    compact, units, criteria = build_compact()
    return compact, units, criteria, UserFactory()


def save(compact, user, *cells, side=Side.VERIFIED, unit_id=None):
    return record_scores(compact=compact, user=user, cells=list(cells), side=side, unit_id=unit_id)


def stored(compact):
    return {
        (s.unit_id, s.criterion.code): (s.verified_value, s.verified_points)
        for s in Score.objects.filter(compact=compact).select_related("criterion")
    }


def test_saves_values_with_comma_or_point_and_records_who(setup):
    compact, (a, b, _c), cr, user = setup

    written = save(
        compact,
        user,
        CellInput(a.id, cr["G1.1"].id, "7,5"),
        CellInput(b.id, cr["G1.1"].id, "7.5"),
        CellInput(a.id, cr["D.1"].id, "2"),
    )

    assert written == 3
    assert stored(compact) == {
        (a.id, "G1.1"): (D("7.5"), D("7.5")),
        (b.id, "G1.1"): (D("7.5"), D("7.5")),
        (a.id, "D.1"): (D(2), D(4)),
    }
    score = Score.objects.get(unit=a, criterion=cr["G1.1"])
    assert (score.updated_by, score.version) == (user, 1)
    assert score.history.count() == 1
    assert score.history.first().history_user == user


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("11", "11 lớn hơn điểm tối đa 10."),
        ("-1", "Giá trị không được âm."),
        ("abc", "“abc” không phải là một số."),
        ("7,5,1", "“7,5,1” không phải là một số."),
    ],
)
def test_one_bad_cell_refuses_the_whole_save(setup, raw, message):
    compact, (a, b, _c), cr, user = setup

    with pytest.raises(SaveRefused) as refused:
        save(
            compact, user, CellInput(a.id, cr["G1.1"].id, "5"), CellInput(b.id, cr["G1.2"].id, raw)
        )

    assert {k: p.message for k, p in refused.value.problems.items()} == {
        (b.id, cr["G1.2"].id): message
    }
    assert not Score.objects.exists()


def test_value_on_a_group_row_is_refused(setup):
    compact, (a, *_), cr, user = setup
    with pytest.raises(SaveRefused) as refused:
        save(compact, user, CellInput(a.id, cr["G1"].id, "5"))
    assert refused.value.problems[(a.id, cr["G1"].id)].message == (
        "G1 là nhóm tiêu chí: hãy chấm điểm các tiêu chí con."
    )
    assert not Score.objects.exists()


def test_unit_outside_the_cluster_and_foreign_criterion_are_refused(setup):
    compact, (a, *_), cr, user = setup
    _other, (stranger, *_), other_cr = build_compact()
    with pytest.raises(SaveRefused) as refused:
        save(
            compact,
            user,
            CellInput(stranger.id, cr["G1.1"].id, "1"),
            CellInput(a.id, other_cr["G1.1"].id, "1"),
        )
    assert len(refused.value.problems) == 2
    assert not Score.objects.exists()


def test_quantitative_without_target_is_refused_and_with_target_scores(setup):
    compact, (a, b, _c), cr, user = setup
    quantitative = proportional_criterion(compact, cr["G2"])
    TargetFactory(compact=compact, unit=a, criterion=quantitative, value=D(200))

    save(compact, user, CellInput(a.id, quantitative.id, "150"))
    with pytest.raises(SaveRefused) as refused:
        save(compact, user, CellInput(b.id, quantitative.id, "150"))

    assert stored(compact) == {(a.id, "G2.9"): (D(150), D(15))}
    assert "chưa đăng ký chỉ tiêu" in refused.value.problems[(b.id, quantitative.id)].message


def test_direct_deduction_beyond_its_floor_is_refused(setup):
    compact, (a, *_), cr, user = setup
    item = CriterionFactory(
        compact=compact,
        parent=cr["D"],
        code="D.2",
        kind=Kind.DEDUCTION,
        max_points=D(20),
        points_per_occurrence=None,
    )
    with pytest.raises(SaveRefused) as refused:
        save(compact, user, CellInput(a.id, item.id, "25"))
    assert refused.value.problems[(a.id, item.id)].message == "25 lớn hơn điểm tối đa 20."


def test_empty_value_clears_a_score(setup):
    compact, (a, *_), cr, user = setup
    save(compact, user, CellInput(a.id, cr["G1.1"].id, "6"))
    save(compact, user, CellInput(a.id, cr["G1.1"].id, "", version=1))
    assert stored(compact) == {(a.id, "G1.1"): (None, None)}


def test_unchanged_cells_are_not_written(setup):
    compact, (a, *_), cr, user = setup
    save(compact, user, CellInput(a.id, cr["G1.1"].id, "6"))
    assert save(compact, user, CellInput(a.id, cr["G1.1"].id, "6,0", version=1)) == 0
    assert Score.objects.get().version == 1


def test_a_cell_changed_by_someone_else_is_a_conflict_showing_their_value(setup):
    compact, (a, *_), cr, first = setup
    second = UserFactory(username="second", last_name="Trần", first_name="Bình")
    save(compact, first, CellInput(a.id, cr["G1.1"].id, "6"))  # both loaded version 1
    save(compact, second, CellInput(a.id, cr["G1.1"].id, "8,5", version=1))

    with pytest.raises(SaveRefused) as refused:
        save(
            compact,
            first,
            CellInput(a.id, cr["G1.1"].id, "7", version=1),
            CellInput(a.id, cr["G1.2"].id, "3"),
        )

    problem = refused.value.problems[(a.id, cr["G1.1"].id)]
    assert problem.current_value == "8,5"
    assert problem.current_version == 2
    assert "8,5" in problem.message
    assert stored(compact) == {(a.id, "G1.1"): (D("8.5"), D("8.5"))}  # G1.2 not written either

    # Saving again with the version now shown overwrites deliberately.
    save(compact, first, CellInput(a.id, cr["G1.1"].id, "7", version=2))
    assert stored(compact)[(a.id, "G1.1")] == (D(7), D(7))


def test_first_save_of_a_cell_someone_else_just_created_is_a_conflict(setup):
    compact, (a, *_), cr, user = setup
    save(compact, UserFactory(), CellInput(a.id, cr["G1.1"].id, "4"))
    with pytest.raises(SaveRefused):
        save(compact, user, CellInput(a.id, cr["G1.1"].id, "5", version=0))


def test_verified_points_different_from_self_assessed_need_a_reason(setup):
    compact, (a, *_), cr, user = setup
    save(compact, user, CellInput(a.id, cr["G1.1"].id, "9"), side=Side.SELF, unit_id=a.id)

    with pytest.raises(SaveRefused) as refused:
        save(compact, user, CellInput(a.id, cr["G1.1"].id, "7", version=1))
    assert refused.value.problems[(a.id, cr["G1.1"].id)].message == (
        "Điểm thẩm định khác điểm tự chấm 9: cần ghi lý do."
    )

    save(compact, user, CellInput(a.id, cr["G1.1"].id, "7", note="Thiếu minh chứng", version=1))
    score = Score.objects.get()
    assert (score.self_points, score.verified_points, score.verified_note) == (
        D(9),
        D(7),
        "Thiếu minh chứng",
    )


def test_self_side_writes_only_its_own_unit(setup):
    compact, (a, b, _c), cr, user = setup
    with pytest.raises(SaveRefused) as refused:
        save(compact, user, CellInput(b.id, cr["G1.1"].id, "5"), side=Side.SELF, unit_id=a.id)
    assert list(refused.value.problems) == [(b.id, cr["G1.1"].id)]
    assert not Score.objects.exists()


@pytest.mark.parametrize("status", ["draft", "signing", "scoring_closed", "finalized"])
def test_nothing_is_written_unless_scoring_is_open(setup, status):
    compact, (a, *_), cr, user = setup
    Compact.objects.filter(pk=compact.pk).update(status=status)
    compact.refresh_from_db()
    with pytest.raises(ServiceError) as error:
        save(compact, user, CellInput(a.id, cr["G1.1"].id, "5"))
    assert "không trong thời gian chấm điểm" in error.value.message
    assert not Score.objects.exists()


def test_a_refusal_counts_its_cells_with_vietnamese_grouping():
    refused = SaveRefused({(unit, 1): CellProblem("x") for unit in range(1200)})

    assert refused.message == "Chưa lưu gì: 1.200 ô cần xem lại (đánh dấu đỏ)."
