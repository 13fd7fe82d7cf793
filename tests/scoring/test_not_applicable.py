"""Criteria not applicable to a unit: the marks, their service and the score refusal."""

import pytest
from django.core.exceptions import ValidationError

from scoring.concurrency import StaleSave, dump_state, load_state
from scoring.models import Compact, NotApplicable
from scoring.not_applicable import NewMark, current_marks, marks_state, save_not_applicable
from scoring.ranking import Side
from scoring.services import CellInput, SaveRefused, ServiceError, record_scores
from tests.factories import UserFactory, build_compact, score

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    compact, units, criteria = build_compact()
    return compact, units, criteria, UserFactory()


def marks(compact):
    return sorted(
        (m.unit_id, m.criterion.code, m.reason)
        for m in NotApplicable.objects.filter(compact=compact).select_related("criterion")
    )


def test_marking_a_leaf_records_reason_who_and_history(setup):
    compact, (a, _b, _c), cr, user = setup

    count = save_not_applicable(
        compact=compact, user=user, add=NewMark(a.pk, cr["G1.2"].pk, "  Không có  cảng biển ")
    )

    assert count == 1
    assert marks(compact) == [(a.pk, "G1.2", "Không có cảng biển")]
    mark = NotApplicable.objects.get()
    assert (mark.marked_by, mark.marked_at is not None) == (user, True)
    assert mark.history.count() == 1


def test_marking_a_group_marks_its_leaves_not_the_ones_already_marked(setup):
    compact, (a, _b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "Lý do 1"))

    count = save_not_applicable(
        compact=compact, user=user, add=NewMark(a.pk, cr["G1"].pk, "Không có biên giới")
    )

    assert count == 1
    assert marks(compact) == [(a.pk, "G1.1", "Lý do 1"), (a.pk, "G1.2", "Không có biên giới")]


@pytest.mark.parametrize(
    ("code", "reason", "message"),
    [
        ("B.1", "x", "Không thể đánh dấu điểm thưởng và điểm trừ là không áp dụng."),
        ("D", "x", "Không thể đánh dấu điểm thưởng và điểm trừ là không áp dụng."),
        ("G1.1", "   ", "Hãy nêu lý do tiêu chí không áp dụng."),
    ],
)
def test_bonus_deduction_and_missing_reason_are_refused(setup, code, reason, message):
    compact, (a, _b, _c), cr, user = setup

    with pytest.raises(ServiceError) as refused:
        save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr[code].pk, reason))

    assert refused.value.message == message
    assert marks(compact) == []


def test_a_cell_with_a_score_is_not_marked(setup):
    compact, (a, _b, _c), cr, user = setup
    score(compact, a, cr["G1.2"], 5)

    with pytest.raises(ServiceError) as refused:
        save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1"].pk, "Lý do"))

    assert "G1.2" in refused.value.message
    assert "xóa điểm" in refused.value.message
    assert marks(compact) == []


def test_a_unit_keeps_one_applicable_criterion(setup):
    compact, (a, _b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1"].pk, "Lý do"))
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G2.1"].pk, "Lý do"))

    with pytest.raises(ServiceError) as refused:
        save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G2.2"].pk, "Lý do"))

    assert "ít nhất một tiêu chí" in refused.value.message
    assert len(marks(compact)) == 3


@pytest.mark.parametrize("status", [Compact.Status.SCORING_CLOSED, Compact.Status.FINALIZED])
def test_marks_are_fixed_once_scoring_closes(setup, status):
    compact, (a, _b, _c), cr, user = setup
    Compact.objects.filter(pk=compact.pk).update(status=status)

    with pytest.raises(ServiceError):
        save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "x"))

    assert marks(compact) == []


def test_reason_change_and_removal(setup):
    compact, (a, b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "Cũ"))
    save_not_applicable(compact=compact, user=user, add=NewMark(b.pk, cr["G1.1"].pk, "Bỏ"))
    first, second = (
        NotApplicable.objects.get(unit=a),
        NotApplicable.objects.get(unit=b),
    )

    count = save_not_applicable(
        compact=compact, user=user, reasons={first.pk: "Mới", second.pk: "Bỏ"}, remove={second.pk}
    )

    assert count == 2
    assert marks(compact) == [(a.pk, "G1.1", "Mới")]
    assert NotApplicable.history.filter(history_type="-").count() == 1


def test_unchanged_save_writes_nothing(setup):
    compact, (a, _b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "Lý do"))
    mark = NotApplicable.objects.get()
    seen = load_state(dump_state(marks_state(current_marks(compact))))

    count = save_not_applicable(compact=compact, user=user, reasons={mark.pk: "Lý do"}, seen=seen)

    assert count == 0
    assert NotApplicable.history.count() == 1


def test_stale_page_is_refused(setup):
    compact, (a, b, _c), cr, user = setup
    seen = load_state(dump_state(marks_state(current_marks(compact))))
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "Người khác"))

    with pytest.raises(StaleSave) as refused:
        save_not_applicable(
            compact=compact, user=user, add=NewMark(b.pk, cr["G1.1"].pk, "Của tôi"), seen=seen
        )

    assert "Người khác" in refused.value.message
    assert marks(compact) == [(a.pk, "G1.1", "Người khác")]


def test_model_refuses_a_group_and_an_empty_reason(setup):
    compact, (a, _b, _c), cr, _user = setup
    mark = NotApplicable(compact=compact, unit=a, criterion=cr["G1"], reason="")

    with pytest.raises(ValidationError) as refused:
        mark.full_clean(exclude=["marked_at"])

    assert set(refused.value.message_dict) == {"reason", "criterion"}


def test_scores_on_marked_cells_are_refused(setup):
    compact, (a, b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "Lý do"))

    with pytest.raises(SaveRefused) as refused:
        record_scores(
            compact=compact,
            user=user,
            side=Side.VERIFIED,
            cells=[CellInput(a.pk, cr["G1.1"].pk, "5"), CellInput(b.pk, cr["G1.1"].pk, "5")],
        )

    assert {k: p.message for k, p in refused.value.problems.items()} == {
        (a.pk, cr["G1.1"].pk): "Tiêu chí này không áp dụng cho đơn vị này."
    }
    assert not compact.scores.exists()
    # An empty value on the marked cell is no score: it is accepted and writes nothing.
    assert (
        record_scores(
            compact=compact,
            user=user,
            side=Side.VERIFIED,
            cells=[CellInput(a.pk, cr["G1.1"].pk, "")],
        )
        == 0
    )


def test_a_too_long_reason_is_counted_with_vietnamese_grouping(setup):
    compact, (a, _b, _c), cr, user = setup

    with pytest.raises(ServiceError) as refused:
        save_not_applicable(
            compact=compact, user=user, add=NewMark(a.pk, cr["G1.1"].pk, "x" * 1200)
        )

    assert refused.value.message == "Lý do dài 1.200 ký tự; tối đa 500 ký tự."
    assert marks(compact) == []


def test_marks_appear_in_the_audit_trail_with_who_reason_and_removal(setup):
    """The year's audit trail shows a mark made, its reason changed (old → new) and the mark
    removed (who did it is the request's user, as for every record: tests/views/test_audit)."""
    from scoring.audit import audit_log

    compact, (a, _b, _c), cr, user = setup
    save_not_applicable(compact=compact, user=user, add=NewMark(a.pk, cr["G1.2"].pk, "Lý do cũ"))
    mark = NotApplicable.objects.get()
    save_not_applicable(compact=compact, user=user, reasons={mark.pk: "Không có cảng biển"})
    save_not_applicable(compact=compact, user=user, remove={mark.pk})

    entries = audit_log(compact, kinds=["notapplicable"])

    assert [(e.action, e.subject) for e in entries] == [
        ("-", f"{a.short_name} — G1.2"),
        ("~", f"{a.short_name} — G1.2"),
        ("+", f"{a.short_name} — G1.2"),
    ]
    changed = entries[1].changes
    assert [(c.old, c.new) for c in changed] == [("Lý do cũ", "Không có cảng biển")]
    assert entries[0].kind == "tiêu chí không áp dụng"
