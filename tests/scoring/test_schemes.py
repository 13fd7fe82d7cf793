"""Editing a scheme: free in draft, amendments with a reason after, never in a final year."""

from decimal import Decimal as D

import pytest

from scoring import schemes, selectors, targets
from scoring.models import Compact, CompactEvent, Criterion, Score, Target
from scoring.ranking import Kind
from scoring.services import SaveRefused, ServiceError
from tests.factories import UserFactory, build_compact, proportional_criterion, score

pytestmark = pytest.mark.django_db
S = Compact.Status


@pytest.fixture
def user():
    return UserFactory()


def data(criterion, **changes):
    values = {f: getattr(criterion, f) for f in schemes.EDITABLE_FIELDS}
    return values | changes


def test_changing_a_maximum_in_draft_shows_in_the_checks(user):
    compact, _u, cr = build_compact(status=S.DRAFT)
    schemes.save_criterion(
        compact=compact, user=user, criterion=cr["G1.1"], data=data(cr["G1.1"], max_points=D(12))
    )
    assert selectors.scheme_problems(compact)[0] == (
        "G1: tổng điểm các tiêu chí con là 22, không phải 20."
    )
    assert not CompactEvent.objects.filter(kind="amendment").exists()


def test_frozen_scheme_needs_a_reason_and_keeps_the_amendment(user):
    compact, _u, cr = build_compact(status=S.IN_FORCE)
    with pytest.raises(ServiceError) as error:
        schemes.save_criterion(
            compact=compact, user=user, criterion=cr["G1.1"], data=data(cr["G1.1"], title="Mới")
        )
    assert "cần ghi lý do" in error.value.message
    cr["G1.1"].refresh_from_db()
    assert cr["G1.1"].title != "Mới"

    schemes.save_criterion(
        compact=compact,
        user=user,
        criterion=cr["G1.1"],
        data=data(cr["G1.1"], title="Mới"),
        reason="Theo hướng dẫn của Bộ",
    )
    event = CompactEvent.objects.get(compact=compact, kind="amendment")
    assert (event.reason, event.user) == ("Theo hướng dẫn của Bộ", user)
    assert "G1.1" in event.summary


def test_finalized_scheme_does_not_change(user):
    compact, _u, cr = build_compact(status=S.FINALIZED)
    with pytest.raises(ServiceError):
        schemes.save_criterion(
            compact=compact,
            user=user,
            criterion=cr["G1.1"],
            data=data(cr["G1.1"], title="x"),
            reason="x",
        )
    with pytest.raises(ServiceError):
        schemes.delete_criterion(compact=compact, criterion=cr["G1.1"], user=user, reason="x")


def test_a_new_maximum_below_existing_scores_is_refused(user):
    compact, (a, *_), cr = build_compact(status=S.IN_FORCE)
    score(compact, a, cr["G1.1"], 9)
    with pytest.raises(ServiceError) as error:
        schemes.save_criterion(
            compact=compact,
            user=user,
            criterion=cr["G1.1"],
            data=data(cr["G1.1"], max_points=D(8)),
            reason="x",
        )
    assert "1 điểm của G1.1 lớn hơn điểm tối đa mới 8" in error.value.message


def test_criterion_with_scores_is_not_deleted(user):
    compact, (a, *_), cr = build_compact(status=S.DRAFT)
    score(compact, a, cr["G1.1"], 9)
    with pytest.raises(ServiceError):
        schemes.delete_criterion(compact=compact, criterion=cr["G1"], user=user)
    schemes.delete_criterion(compact=compact, criterion=cr["G2.2"], user=user)
    assert not Criterion.objects.filter(pk=cr["G2.2"].pk).exists()


def test_add_move_and_renumber(user):
    compact, _u, cr = build_compact(status=S.DRAFT)
    added = schemes.save_criterion(
        compact=compact,
        user=user,
        data={
            "parent": cr["G1"],
            "code": "tmp",
            "title": "Mới",
            "kind": Kind.JUDGED,
            "max_points": D(5),
            "points_per_occurrence": None,
            "rule": "",
            "disqualifying": False,
            "guidance": "",
        },
    )
    schemes.move_criterion(compact=compact, criterion=added, user=user, up=True)
    schemes.move_criterion(compact=compact, criterion=cr["G2"], user=user, up=True)
    changed = schemes.renumber(compact=compact, user=user)

    codes = [(c.code, c.title) for c in selectors.criteria_for_compact(compact)]
    assert changed > 0
    assert [code for code, _t in codes] == [
        "I",
        "I.1",
        "I.2",
        "II",
        "II.1",
        "II.2",
        "II.3",
        "III",
        "III.1",
        "IV",
        "IV.1",
    ]
    assert codes[1] == ("I.1", cr["G2.1"].title)  # G2 moved to the top with its criteria
    assert codes[5] == ("II.2", "Mới")  # added last under G1, then moved up one place


def test_a_criterion_cannot_move_under_itself(user):
    compact, _u, cr = build_compact(status=S.DRAFT)
    with pytest.raises(ServiceError):
        schemes.save_criterion(
            compact=compact, user=user, criterion=cr["G1"], data=data(cr["G1"], parent=cr["G1.1"])
        )


def test_targets_are_registered_and_points_follow(user):
    user.is_superuser = True
    compact, (a, b, _c), cr = build_compact(status=S.IN_FORCE)
    quantitative = proportional_criterion(compact, cr["G2"], position=999)
    Target.objects.create(compact=compact, unit=a, criterion=quantitative, value=D(100))
    Score.objects.create(
        compact=compact, unit=a, criterion=quantitative, verified_value=D(50), verified_points=D(10)
    )

    targets.register_targets(
        compact=compact,
        user=user,
        entries=[
            targets.TargetInput(a.pk, quantitative.pk, "200"),
            targets.TargetInput(b.pk, quantitative.pk, "1.000,5".replace(".", "")),
        ],
    )

    assert Score.objects.get(unit=a, criterion=quantitative).verified_points == D(5)
    assert Target.objects.get(unit=b, criterion=quantitative).value == D("1000.5")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-5", "Chỉ tiêu không được là số âm."),
        ("abc", "“abc” không phải là một số."),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_written(user, raw, message):
    user.is_superuser = True
    compact, (a, *_), cr = build_compact(status=S.DRAFT)
    quantitative = proportional_criterion(compact, cr["G2"], position=999)
    with pytest.raises(SaveRefused) as refused:
        targets.register_targets(
            compact=compact,
            user=user,
            entries=[
                targets.TargetInput(a.pk, cr["G1.1"].pk, "5"),
                targets.TargetInput(a.pk, quantitative.pk, raw),
            ],
        )
    assert refused.value.problems[(a.pk, quantitative.pk)].message == message
    assert "định lượng" in refused.value.problems[(a.pk, cr["G1.1"].pk)].message
    assert not Target.objects.exists()


def test_targets_are_closed_with_scoring(user):
    compact, _units, _cr = build_compact(status=S.SCORING_CLOSED)
    with pytest.raises(ServiceError):
        targets.register_targets(compact=compact, user=user, entries=[])


def test_settings_validate_bands_and_tie_breakers(user):
    compact, _u, _cr = build_compact(status=S.DRAFT)
    with pytest.raises(ServiceError):
        schemes.save_settings(compact=compact, user=user, data={"tie_breakers": ["coin_toss"]})
    schemes.save_settings(
        compact=compact,
        user=user,
        data={"bands": [{"min": "90", "label": "Xuất sắc"}], "tie_breakers": ["higher_groups:G1"]},
    )
    compact.refresh_from_db()
    assert compact.tie_breakers == ["higher_groups:G1"]
