"""The compact's year: start, members, guarded transitions, signing."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from scoring import lifecycle, selectors, signing
from scoring.models import (
    Compact,
    CompactEvent,
    Criterion,
    FinalResult,
    NotApplicable,
    Signature,
)
from scoring.services import ServiceError
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    build_compact,
    score,
)
from units.models import Membership

pytestmark = pytest.mark.django_db
S = Compact.Status


@pytest.fixture
def user():
    return UserFactory()


def draft(**kwargs):
    compact, units, cr = build_compact(status=S.DRAFT, **kwargs)
    return compact, units, cr


def move(compact, target, user, **kwargs):
    return lifecycle.change_status(
        compact=compact,
        target=target,
        user=user,
        is_administrator=kwargs.pop("admin", False),
        **kwargs,
    )


def sign(compact, unit_id, user, representative="A", title=""):
    """The unit's signature, given on 9 March 2018."""
    signing.sign(
        compact=compact,
        unit_id=unit_id,
        user=user,
        representative=representative,
        title=title,
        signed_on=datetime.date(2018, 3, 9),
    )


def sign_all(compact, units, user):
    for unit in units:
        sign(compact, unit.pk, user, representative="Đại tá A", title="Trưởng phòng")


def test_the_whole_year_records_who_when_and_why(user):
    compact, units, cr = draft()
    move(compact, S.SIGNING, user)
    sign_all(compact, units, user)
    move(compact, S.IN_FORCE, user)
    for unit in units:
        for code, criterion in cr.items():
            if code.count(".") == 1:
                score(compact, unit, criterion, 1)
    move(compact, S.SCORING_CLOSED, user)
    move(compact, S.FINALIZED, user)

    compact.refresh_from_db()
    assert compact.status == S.FINALIZED
    transitions = CompactEvent.objects.filter(compact=compact, kind="transition").order_by(
        "at", "id"
    )
    assert [(e.from_status, e.to_status, e.user) for e in transitions] == [
        ("draft", "signing", user),
        ("signing", "in_force", user),
        ("in_force", "scoring_closed", user),
        ("scoring_closed", "finalized", user),
    ]
    assert CompactEvent.objects.filter(compact=compact, kind="signature").count() == 3


def test_signing_cannot_start_while_the_scheme_does_not_add_up(user):
    compact, _units, cr = draft()
    Criterion.objects.filter(pk=cr["G1.1"].pk).update(max_points=D(15))
    with pytest.raises(ServiceError) as error:
        move(compact, S.SIGNING, user)
    assert "G1: tổng điểm các tiêu chí con là 25, không phải 20." in error.value.message
    compact.refresh_from_db()
    assert compact.status == S.DRAFT


def test_scoring_cannot_open_before_every_member_signed_unless_overridden_with_a_reason(user):
    compact, units, _cr = draft()
    move(compact, S.SIGNING, user)
    sign(compact, units[0].pk, user)

    with pytest.raises(ServiceError) as error:
        move(compact, S.IN_FORCE, user)
    assert "2 đơn vị chưa ký" in error.value.message
    with pytest.raises(ServiceError):
        move(compact, S.IN_FORCE, user, override=True)
    move(compact, S.IN_FORCE, user, override=True, reason="Hai đơn vị ký bổ sung sau hội nghị")

    event = CompactEvent.objects.get(compact=compact, to_status="in_force")
    assert event.reason == "Hai đơn vị ký bổ sung sau hội nghị"


def test_a_unit_cannot_sign_twice(user):
    compact, units, _cr = draft()
    move(compact, S.SIGNING, user)
    sign(compact, units[0].pk, user)
    with pytest.raises(ServiceError) as error:
        sign(compact, units[0].pk, user, representative="B")
    assert error.value.message == "Đơn vị này đã ký giao ước."
    assert Signature.objects.filter(compact=compact).count() == 1


def test_signatures_only_while_signing_and_only_for_members(user):
    compact, units, _cr = draft()
    with pytest.raises(ServiceError):
        sign(compact, units[0].pk, user)
    move(compact, S.SIGNING, user)
    with pytest.raises(ServiceError):
        sign(compact, UnitFactory().pk, user)
    assert not Signature.objects.exists()


def test_finalizing_with_missing_scores_is_refused(user):
    compact, units, cr = build_compact(status=S.SCORING_CLOSED)
    score(compact, units[0], cr["G1.1"], 5)
    with pytest.raises(ServiceError) as error:
        move(compact, S.FINALIZED, user)
    assert "11 ô điểm chưa được thẩm định" in error.value.message
    compact.refresh_from_db()
    assert compact.status == S.SCORING_CLOSED


def test_reopening_finalized_results_needs_an_administrator_and_a_reason(user):
    compact, _units, _cr = build_compact(status=S.FINALIZED)
    with pytest.raises(ServiceError):
        move(compact, S.SCORING_CLOSED, user, reason="Sai sót")
    with pytest.raises(ServiceError):
        move(compact, S.SCORING_CLOSED, user, admin=True)
    move(compact, S.SCORING_CLOSED, user, admin=True, reason="Sửa sai sót điểm VII.2")
    compact.refresh_from_db()
    assert compact.status == S.SCORING_CLOSED


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.DRAFT, S.IN_FORCE),
        (S.DRAFT, S.FINALIZED),
        (S.IN_FORCE, S.FINALIZED),
        (S.FINALIZED, S.DRAFT),
    ],
)
def test_skipping_steps_is_refused(user, source, target):
    compact, _units, _cr = build_compact(status=source)
    with pytest.raises(ServiceError):
        move(compact, target, user, admin=True, reason="x", override=True)
    compact.refresh_from_db()
    assert compact.status == source


def test_back_to_draft_only_while_nobody_signed(user):
    compact, units, _cr = draft()
    move(compact, S.SIGNING, user)
    move(compact, S.DRAFT, user)
    move(compact, S.SIGNING, user)
    sign(compact, units[0].pk, user)
    with pytest.raises(ServiceError):
        move(compact, S.DRAFT, user)


def test_start_year_copies_members_roles_texts_and_scheme(user):
    source, units, _cr = build_compact(year=2017, status=S.FINALIZED, slogan="Đoàn kết")
    compact = lifecycle.start_year(
        cluster=source.cluster,
        year=2018,
        user=user,
        source=source,
        unit_ids=[u.pk for u in units],
        leader_id=units[1].pk,
        deputy_id=units[2].pk,
    )

    assert (compact.status, compact.slogan, compact.year) == (S.DRAFT, "Đoàn kết", 2018)
    assert sorted(
        Criterion.objects.filter(compact=compact).values_list("code", flat=True)
    ) == sorted(Criterion.objects.filter(compact=source).values_list("code", flat=True))
    copied = Criterion.objects.get(compact=compact, code="G1.1")
    assert copied.parent.code == "G1" and copied.parent.compact == compact
    roles = dict(Membership.objects.filter(year=2018).values_list("unit_id", "role"))
    assert roles == {units[0].pk: "member", units[1].pk: "leader", units[2].pk: "deputy"}
    assert not compact.scores.exists()


def test_start_year_carries_the_marks_not_applicable_of_units_that_stay(user):
    """A unit without a seaport has none next year either: the marks of the units that stay
    members go onto the copied criteria, with their reasons and a history entry each; those
    of a unit that leaves the cluster do not, and a year from scratch has none."""
    source, units, cr = build_compact(year=2017, status=S.FINALIZED)
    stays, leaves = units[0], units[2]
    for unit, code, reason in [
        (stays, "G1.1", "Không có cảng biển"),
        (stays, "G2.2", "Không có biên giới"),
        (leaves, "G1.2", "Không có rừng"),
    ]:
        NotApplicable.objects.create(
            compact=source,
            unit=unit,
            criterion=cr[code],
            reason=reason,
            marked_at=timezone.now(),
        )

    compact = lifecycle.start_year(
        cluster=source.cluster,
        year=2018,
        user=user,
        source=source,
        unit_ids=[stays.pk, units[1].pk],
        leader_id=None,
        deputy_id=None,
    )

    carried = NotApplicable.objects.filter(compact=compact).order_by("criterion__code")
    assert [(m.unit_id, m.criterion.code, m.reason) for m in carried] == [
        (stays.pk, "G1.1", "Không có cảng biển"),
        (stays.pk, "G2.2", "Không có biên giới"),
    ]
    assert all(m.criterion.compact_id == compact.pk and m.marked_by == user for m in carried)
    assert all(m.history.count() == 1 for m in carried)
    event = CompactEvent.objects.get(compact=compact, kind=CompactEvent.Kind.CREATED)
    assert event.summary == "Sao chép từ năm 2017 (2 tiêu chí không áp dụng được mang sang)"
    assert NotApplicable.objects.filter(compact=source).count() == 3  # the source is untouched

    fresh = lifecycle.start_year(
        cluster=source.cluster,
        year=2019,
        user=user,
        source=None,
        unit_ids=[stays.pk],
        leader_id=None,
        deputy_id=None,
    )
    assert not NotApplicable.objects.filter(compact=fresh).exists()


def test_start_year_refuses_a_second_compact_and_a_unit_of_another_cluster(user):
    source, units, _cr = build_compact(year=2017)
    with pytest.raises(ServiceError):
        lifecycle.start_year(
            cluster=source.cluster,
            year=2017,
            user=user,
            source=None,
            unit_ids=[units[0].pk],
            leader_id=None,
            deputy_id=None,
        )
    elsewhere = MembershipFactory(cluster=ClusterFactory(), year=2018).unit
    with pytest.raises(ServiceError) as error:
        lifecycle.start_year(
            cluster=source.cluster,
            year=2018,
            user=user,
            source=source,
            unit_ids=[units[0].pk, elsewhere.pk],
            leader_id=None,
            deputy_id=None,
        )
    assert "đã là thành viên của cụm khác" in error.value.message
    assert not Compact.objects.filter(year=2018, cluster=source.cluster).exists()
    assert not Membership.objects.filter(cluster=source.cluster, year=2018).exists()


def test_roles_can_swap_between_leader_and_deputy(user):
    compact, (a, b, c), _cr = draft()
    lifecycle.set_members(
        cluster_id=compact.cluster_id,
        year=compact.year,
        unit_ids=[a.pk, b.pk, c.pk],
        leader_id=a.pk,
        deputy_id=b.pk,
    )
    lifecycle.set_members(
        cluster_id=compact.cluster_id,
        year=compact.year,
        unit_ids=[a.pk, b.pk, c.pk],
        leader_id=b.pk,
        deputy_id=a.pk,
    )
    roles = dict(Membership.objects.filter(cluster=compact.cluster).values_list("unit_id", "role"))
    assert roles == {a.pk: "deputy", b.pk: "leader", c.pk: "member"}
    with pytest.raises(ServiceError):
        lifecycle.set_members(
            cluster_id=compact.cluster_id,
            year=compact.year,
            unit_ids=[a.pk],
            leader_id=a.pk,
            deputy_id=a.pk,
        )


def test_leaders_by_year_shows_the_rotation(user):
    cluster = ClusterFactory()
    a, b = UnitFactory(), UnitFactory()
    MembershipFactory(cluster=cluster, unit=a, year=2017, role="leader")
    MembershipFactory(cluster=cluster, unit=b, year=2017, role="deputy")
    MembershipFactory(cluster=cluster, unit=b, year=2018, role="leader")
    assert lifecycle.leaders_by_year(cluster.pk) == [
        {"year": 2018, "leader": b},
        {"year": 2017, "leader": a, "deputy": b},
    ]


def finalized_with_scores(user, **kwargs):
    compact, units, cr = build_compact(status=S.SCORING_CLOSED, **kwargs)
    for points, unit in enumerate(units, start=1):
        for code, criterion in cr.items():
            if code.count(".") == 1:
                score(compact, unit, criterion, points)
    move(compact, S.FINALIZED, user)
    return compact, units


def test_finalizing_keeps_the_places_as_announced_and_reopening_drops_them(user):
    compact, units = finalized_with_scores(user, year=2017)

    standings = selectors.standings_by_compact([compact], with_previous=False)[compact.pk]
    stored = list(FinalResult.objects.filter(compact=compact).order_by("rank"))
    assert [(r.unit_id, r.rank, r.total, r.band) for r in stored] == [
        (row.membership.unit_id, row.ranked.rank, row.ranked.total.total, row.ranked.band)
        for row in standings.rows
    ]
    assert [r.unit_id for r in stored] == [u.pk for u in reversed(units)]  # most points first

    move(compact, S.SCORING_CLOSED, user, admin=True, reason="Sửa sai sót")
    assert not FinalResult.objects.filter(compact=compact).exists()


def test_finalizing_records_the_day_and_reopening_clears_it(user):
    compact, _units = finalized_with_scores(user, year=2017)
    compact.refresh_from_db()
    assert compact.finalized_on == timezone.localdate()

    move(compact, S.SCORING_CLOSED, user, admin=True, reason="Sửa sai sót")
    compact.refresh_from_db()
    assert compact.finalized_on is None


def test_next_year_reads_last_years_places_from_the_stored_results(
    user, django_assert_max_num_queries
):
    last, units = finalized_with_scores(user, year=2017)
    this, _units, _cr = build_compact(year=2018, cluster=last.cluster, units=0, status=S.IN_FORCE)
    for unit in units:
        MembershipFactory(cluster=last.cluster, year=2018, unit=unit)
    # The stored results are what the next year shows, even where a live ranking would
    # differ: proof that last year is not ranked again.
    FinalResult.objects.filter(compact=last, unit=units[0]).update(rank=9, total=D("123.45"))
    # 9: the not-applicable marks are one more read, for all compacts at once.
    with django_assert_max_num_queries(9):
        standings = selectors.standings_for(this)
    before = {
        row.membership.unit_id: (row.previous_rank, row.previous_total) for row in standings.rows
    }
    assert before[units[0].pk] == (9, D("123.45"))

    # Results finalized before they were stored: last year is ranked live, as before.
    FinalResult.objects.filter(compact=last).delete()
    standings = selectors.standings_for(this)
    before = {row.membership.unit_id: row.previous_rank for row in standings.rows}
    assert before[units[0].pk] == len(units)


def test_a_thousand_missing_scores_are_counted_with_vietnamese_grouping(user):
    compact, _units, _cr = build_compact(
        status=S.SCORING_CLOSED, units=50, groups=2, criteria_per_group=10
    )

    with pytest.raises(ServiceError) as error:
        move(compact, S.FINALIZED, user)

    assert "1.000 ô điểm chưa được thẩm định" in error.value.message
