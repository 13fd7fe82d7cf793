"""The year-end review: the meeting, its votes and the award proposals (scoring/review/)."""

import datetime
from decimal import Decimal as D

import pytest

from scoring import review
from scoring.models import AwardKind, AwardProposal, Compact, CompactEvent, ReviewMeeting, Vote
from scoring.services import ServiceError
from tests.factories import UserFactory, build_compact, score

pytestmark = pytest.mark.django_db
S = Compact.Status
DAY = datetime.date(2017, 11, 28)
BANDS = [{"min": "15", "label": "Xuất sắc"}, {"min": "0", "label": "Khá"}]


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def year():
    """Five members, scoring closed: a 20; b 18 less a disqualifying deduction of 2; c 16;
    d 10; e 4. Bands: Xuất sắc from 15 (a, b, c), else Khá."""
    compact, units, cr = build_compact(
        units=5, groups=1, criteria_per_group=2, status=S.SCORING_CLOSED, bands=BANDS
    )
    cr["D.1"].disqualifying = True
    cr["D.1"].save()
    for unit, points in zip(units, (10, 9, 8, 5, 2), strict=True):
        score(compact, unit, cr["G1.1"], points)
        score(compact, unit, cr["G1.2"], points)
    score(compact, units[1], cr["D.1"], 1)
    return compact, units


def meeting(compact, user, **kwargs):
    values = dict(
        held_on=DAY,
        place="Thanh Hóa",
        chair="Đại diện lãnh đạo đơn vị Cụm trưởng",
        secretary="Đại diện thư ký Cụm",
        attendance=[],
    )
    values.update(kwargs)
    return review.save_meeting(compact=compact, user=user, **values)


def secret(compact, user, counts, **kwargs):
    values = dict(ballots_issued=5, ballots_returned=5, ballots_valid=5, ballots_invalid=0)
    values.update(kwargs)
    return review.record_vote(
        compact=compact,
        user=user,
        subject=values.pop("subject", Vote.Subject.LEADING),
        method=Vote.Method.SECRET,
        counts=counts,
        **values,
    )


def refused(call, message):
    with pytest.raises(ServiceError) as error:
        call()
    assert message in error.value.message, error.value.message
    return error.value.message


# --- The meeting -------------------------------------------------------------------------------


def test_meeting_is_refused_while_scoring_is_open(year, user):
    compact, _units = year
    Compact.objects.filter(pk=compact.pk).update(status=S.IN_FORCE)
    refused(lambda: meeting(compact, user), "sau khi khóa chấm điểm")
    assert ReviewMeeting.objects.count() == 0


def test_meeting_needs_its_place_chair_and_secretary(year, user):
    compact, _units = year
    message = refused(
        lambda: meeting(compact, user, place=" ", chair="", secretary="x"), "Nhập địa điểm"
    )
    assert "chủ trì" in message
    assert ReviewMeeting.objects.count() == 0


def test_meeting_date_must_be_in_the_year_or_early_next(year, user):
    compact, _units = year
    refused(lambda: meeting(compact, user, held_on=datetime.date(2016, 12, 1)), "01/12/2016")


def test_meeting_threshold_of_100_percent_is_refused(year, user):
    compact, _units = year
    refused(lambda: meeting(compact, user, threshold_percent=D(100)), "Ngưỡng đạt")


def test_meeting_attendance_of_an_outsider_is_refused(year, user):
    compact, _units = year
    stranger = build_compact(units=1)[1][0]
    refused(
        lambda: meeting(compact, user, attendance=[(stranger.pk, "Đại diện", "")]),
        "không phải thành viên",
    )
    assert ReviewMeeting.objects.count() == 0


def test_meeting_attendance_needs_a_representative(year, user):
    compact, units = year
    refused(
        lambda: meeting(compact, user, attendance=[(units[0].pk, " ", "")]),
        f"người đại diện của {units[0]}",
    )


def test_meeting_is_recorded_with_attendance_defaults_and_event(year, user):
    compact, units = year
    saved = meeting(
        compact,
        user,
        attendance=[(units[0].pk, "Đại diện lãnh đạo đơn vị", "Phó Giám đốc")],
    )
    assert saved.threshold_percent == D(50)
    assert [(a.unit, a.representative) for a in saved.attendance.all()] == [
        (units[0], "Đại diện lãnh đạo đơn vị")
    ]
    assert [k.level for k in AwardKind.objects.filter(compact=compact)] == [
        "government_flag",
        "ministry_flag",
        "certificate",
    ]
    event = CompactEvent.objects.filter(compact=compact, kind="review").get()
    assert "1/5" in event.summary


# --- Votes ---------------------------------------------------------------------------------------


def test_vote_needs_the_meeting_first(year, user):
    compact, units = year
    refused(lambda: secret(compact, user, {units[0].pk: 3}), "Ghi biên bản cuộc họp")


@pytest.mark.parametrize(
    ("ballots", "message"),
    [
        (dict(ballots_issued=6, ballots_returned=5), "6 phiếu phát ra"),
        (dict(ballots_issued=4, ballots_returned=5, ballots_valid=5), "nhiều hơn số phát ra"),
        (dict(ballots_valid=4, ballots_invalid=0), "phải bằng số phiếu thu về (5)"),
        (dict(ballots_valid=None), "phiếu phát ra, thu về, hợp lệ và không hợp lệ"),
    ],
)
def test_secret_ballot_counts_that_cannot_be_are_refused(year, user, ballots, message):
    compact, units = year
    meeting(compact, user)
    refused(lambda: secret(compact, user, {units[0].pk: 3}, **ballots), message)
    assert Vote.objects.count() == 0


def test_more_votes_than_valid_ballots_is_refused(year, user):
    compact, units = year
    meeting(compact, user)
    refused(
        lambda: secret(compact, user, {units[0].pk: 5}, ballots_valid=4, ballots_invalid=1),
        "5 phiếu, nhiều hơn 4 phiếu hợp lệ",
    )
    assert Vote.objects.count() == 0


def test_election_votes_must_add_up_to_the_valid_ballots(year, user):
    compact, units = year
    meeting(compact, user)
    refused(
        lambda: secret(
            compact, user, {units[0].pk: 3, units[1].pk: 3}, subject=Vote.Subject.NEXT_LEADER
        ),
        "6 phiếu",
    )
    assert Vote.objects.count() == 0


def test_show_of_hands_with_ballots_or_more_hands_than_units_present_is_refused(year, user):
    compact, units = year
    meeting(compact, user, attendance=[(u.pk, "Đại diện", "") for u in units[:3]])

    def hands(counts, **kwargs):
        return review.record_vote(
            compact=compact,
            user=user,
            subject=Vote.Subject.LEADING,
            method=Vote.Method.HANDS,
            counts=counts,
            **kwargs,
        )

    refused(lambda: hands({units[0].pk: 2}, ballots_issued=3), "không có phiếu")
    refused(lambda: hands({units[0].pk: 4}), "nhiều hơn 3 đơn vị có mặt")
    assert Vote.objects.count() == 0


def test_votes_for_an_outsider_or_none_at_all_are_refused(year, user):
    compact, _units = year
    meeting(compact, user)
    stranger = build_compact(units=1)[1][0]
    refused(lambda: secret(compact, user, {stranger.pk: 1}), "không phải thành viên")
    refused(lambda: secret(compact, user, {}), "ít nhất một")


def test_a_vote_about_nothing_known_or_by_no_known_method_is_refused(year, user):
    compact, units = year
    meeting(compact, user)

    def vote(**kwargs):
        values = dict(subject=Vote.Subject.LEADING, method=Vote.Method.HANDS)
        values.update(kwargs)
        return review.record_vote(compact=compact, user=user, counts={units[0].pk: 1}, **values)

    refused(lambda: vote(subject="mayor"), "Chọn nội dung biểu quyết")
    refused(lambda: vote(method="applause"), "giơ tay hoặc bỏ phiếu kín")
    refused(lambda: vote(subject=Vote.Subject.AWARD), "Chọn hình thức khen thưởng")
    refused(
        lambda: vote(subject=Vote.Subject.AWARD, award_kind_id=10**9), "Chọn hình thức khen thưởng"
    )
    assert Vote.objects.count() == 0


def test_negative_votes_or_ballots_are_refused(year, user):
    compact, units = year
    meeting(compact, user)
    refused(lambda: secret(compact, user, {units[0].pk: -1}), f"{units[0]}: số phiếu không")
    refused(lambda: secret(compact, user, {units[0].pk: 1}, ballots_invalid=-1), "không được âm")
    assert Vote.objects.count() == 0


def test_deleting_a_vote_removes_its_counts_and_says_so(year, user):
    compact, units = year
    meeting(compact, user)
    vote = secret(compact, user, {units[0].pk: 4})

    review.delete_vote(compact=compact, user=user, vote_id=vote.pk)

    assert not Vote.objects.exists()
    event = CompactEvent.objects.filter(compact=compact).latest("pk")
    assert event.summary.startswith("Đã xóa kết quả biểu quyết")
    refused(
        lambda: review.delete_vote(compact=compact, user=user, vote_id=vote.pk),
        "Không có kết quả biểu quyết này",
    )


def test_vote_percentages_and_the_threshold_of_member_units(year, user):
    compact, units = year
    meeting(compact, user)
    secret(
        compact,
        user,
        {units[0].pk: 3, units[2].pk: 2},
        ballots_issued=5,
        ballots_returned=4,
        ballots_valid=4,
        ballots_invalid=0,
    )
    result = review.review_state(compact).vote_for(Vote.Subject.LEADING)
    assert [
        (c.unit, c.votes, c.percent_of_valid, c.percent_of_members, c.passed)
        for c in result.candidates
    ] == [
        (units[0], 3, D("75.00"), D("60.00"), True),
        (units[2], 2, D("50.00"), D("40.00"), False),
    ]
    assert review.format_percent(D("66.67")) == "66,67 %"


def test_a_higher_threshold_fails_a_simple_majority(year, user):
    compact, units = year
    meeting(compact, user, threshold_percent=D(60))
    secret(compact, user, {units[0].pk: 3})
    state = review.review_state(compact)
    assert state.vote_for(Vote.Subject.LEADING).candidates[0].passed is False
    assert state.leading is None
    assert "Không có đơn vị" in state.leading_problem


def test_recording_a_vote_again_replaces_it(year, user):
    compact, units = year
    meeting(compact, user)
    secret(compact, user, {units[0].pk: 2})
    secret(compact, user, {units[0].pk: 4})
    vote = Vote.objects.get()
    assert [c.votes for c in vote.counts.all()] == [4]


# --- Awards --------------------------------------------------------------------------------------


@pytest.fixture
def voted(year, user):
    """Meeting held, a acclaimed; every award voted: a, b, c, d pass, e fails."""
    compact, units = year
    meeting(compact, user)
    secret(compact, user, {units[0].pk: 5, units[2].pk: 1})
    for kind in AwardKind.objects.filter(compact=compact):
        secret(
            compact,
            user,
            {u.pk: (4 if u != units[4] else 1) for u in units},
            subject=Vote.Subject.AWARD,
            award_kind_id=kind.pk,
        )
    kinds = {k.level: k for k in AwardKind.objects.filter(compact=compact)}
    return compact, units, kinds


def propose(compact, user, kind, unit, reason=""):
    return review.propose_award(
        compact=compact, user=user, award_kind_id=kind.pk, unit_id=unit.pk, override_reason=reason
    )


def test_eligibility_is_shown_for_every_unit(voted):
    compact, units, kinds = voted
    state = review.review_state(compact)
    assert state.leading.unit == units[0]
    government = next(a for a in state.awards if a.kind == kinds["government_flag"])
    assert [e.eligible for e in government.units] == [True, False, False, False, False]
    ministry = next(a for a in state.awards if a.kind == kinds["ministry_flag"])
    by_unit = {e.unit: e.problems for e in ministry.units}
    assert by_unit[units[0]] == []
    assert any("vi phạm loại trừ" in p for p in by_unit[units[1]])
    assert any("xếp loại “Xuất sắc”" in p for p in by_unit[units[3]])
    assert any("không đạt số phiếu" in p for p in by_unit[units[4]])
    assert ministry.quota == 1


def test_government_flag_goes_to_the_leading_unit_only(voted, user):
    compact, units, kinds = voted
    refused(
        lambda: propose(compact, user, kinds["government_flag"], units[2]),
        "đơn vị dẫn đầu Cụm",
    )
    proposal = propose(compact, user, kinds["government_flag"], units[0])
    assert proposal.overridden == ""
    assert list(AwardProposal.objects.values_list("unit", flat=True)) == [units[0].pk]


def test_a_flag_needs_the_declared_band(voted, user):
    compact, units, kinds = voted
    refused(lambda: propose(compact, user, kinds["ministry_flag"], units[3]), "“Xuất sắc”")
    assert AwardProposal.objects.count() == 0


def test_a_disqualifying_occurrence_excludes_the_unit(voted, user):
    compact, units, kinds = voted
    refused(lambda: propose(compact, user, kinds["certificate"], units[1]), "vi phạm loại trừ")
    assert AwardProposal.objects.count() == 0


def test_failing_the_vote_excludes_the_unit(voted, user):
    compact, units, kinds = voted
    refused(lambda: propose(compact, user, kinds["certificate"], units[4]), "không đạt số phiếu")


def test_the_quota_as_a_percentage_of_member_units_is_enforced(voted, user):
    compact, units, kinds = voted
    propose(compact, user, kinds["ministry_flag"], units[0])
    message = refused(
        lambda: propose(compact, user, kinds["ministry_flag"], units[2]),
        "Cờ thi đua của Bộ Công an",
    )
    assert "tối đa 1 đơn vị (20 % của 5 đơn vị thành viên)" in message
    # Even an override does not pass the quota.
    refused(
        lambda: propose(compact, user, kinds["ministry_flag"], units[2], reason="Đề nghị thêm"),
        "tối đa 1 đơn vị",
    )
    assert AwardProposal.objects.count() == 1


def limit_certificates_to_one(compact, user, kinds):
    """The certificate's quota set to one unit (a count, no percentage)."""
    review.save_award_kind(
        compact=compact,
        user=user,
        award_kind_id=kinds["certificate"].pk,
        name="Bằng khen",
        required_band="",
        leader_only=False,
        quota_count=1,
        quota_percent=None,
    )


def test_the_quota_as_a_count(voted, user):
    compact, units, kinds = voted
    limit_certificates_to_one(compact, user, kinds)
    propose(compact, user, kinds["certificate"], units[0])
    refused(lambda: propose(compact, user, kinds["certificate"], units[2]), "tối đa 1 đơn vị")


def test_lowering_a_quota_below_the_proposals_is_refused(voted, user):
    compact, units, kinds = voted
    propose(compact, user, kinds["certificate"], units[0])
    propose(compact, user, kinds["certificate"], units[2])
    refused(lambda: limit_certificates_to_one(compact, user, kinds), "2 đơn vị")
    assert AwardKind.objects.get(pk=kinds["certificate"].pk).quota_count is None


def test_an_override_needs_a_reason_and_is_in_the_audit_trail(voted, user):
    compact, units, kinds = voted
    reason = "Đơn vị có thành tích đột xuất được Bộ ghi nhận"
    proposal = propose(compact, user, kinds["ministry_flag"], units[3], reason=reason)
    assert "“Xuất sắc”" in proposal.overridden
    assert proposal.override_reason == reason
    assert proposal.history.get().history_change_reason == reason
    event = CompactEvent.objects.filter(compact=compact, summary__contains="Đề nghị").get()
    assert reason in event.reason
    assert "bỏ qua điều kiện" in event.summary


def test_a_unit_is_proposed_once_per_award(voted, user):
    compact, units, kinds = voted
    propose(compact, user, kinds["certificate"], units[0])
    refused(lambda: propose(compact, user, kinds["certificate"], units[0]), "đã được đề nghị")


def test_withdrawing_a_proposal_frees_the_quota(voted, user):
    compact, units, kinds = voted
    proposal = propose(compact, user, kinds["ministry_flag"], units[0])
    review.withdraw_proposal(compact=compact, user=user, proposal_id=proposal.pk, reason="Nhầm")
    propose(compact, user, kinds["ministry_flag"], units[2])
    assert list(AwardProposal.objects.values_list("unit", flat=True)) == [units[2].pk]


# --- A tie left to the vote ----------------------------------------------------------------------


def test_a_tie_left_to_the_vote_is_ordered_by_the_acclamation_vote(user):
    from scoring import selectors

    compact, units, cr = build_compact(
        units=3, groups=1, criteria_per_group=2, status=S.SCORING_CLOSED, tie_breakers=[]
    )
    for unit, points in zip(units, (9, 9, 5), strict=True):
        score(compact, unit, cr["G1.1"], points)
        score(compact, unit, cr["G1.2"], points)
    before = {
        r.unit.pk: (r.ranked.rank, r.ranked.shared) for r in selectors.standings_for(compact).rows
    }
    assert before == {units[0].pk: (1, True), units[1].pk: (1, True), units[2].pk: (3, False)}
    meeting(compact, user)
    review.record_vote(
        compact=compact,
        user=user,
        subject=Vote.Subject.LEADING,
        method=Vote.Method.HANDS,
        counts={units[0].pk: 1, units[1].pk: 2},
    )
    rows = selectors.standings_for(compact).rows
    assert [(r.unit, r.ranked.rank, r.ranked.shared, r.ranked.broken_by) for r in rows] == [
        (units[1], 1, False, "vote"),
        (units[0], 2, False, "vote"),
        (units[2], 3, False, ""),
    ]
    assert review.review_state(compact).leading.unit == units[1]
