"""The review as the pages and the documents read it: `review_state`, in a fixed number of
queries, and why a unit cannot be proposed for an award (`award_problems`)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from units.models import Membership, Unit
from units.names import show_names_on

from .. import selectors
from ..dated_names import Shows, names_day
from ..lifecycle import leaders_by_year
from ..models import Attendance, AwardKind, AwardProposal, Compact, ReviewMeeting, Vote
from .common import passes, percent, quota_of, quota_text


@dataclass
class CandidateResult:
    unit: Unit
    name: str
    votes: int
    percent_of_valid: Decimal | None
    percent_of_members: Decimal | None
    passed: bool


@dataclass
class VoteResult:
    vote: Vote
    candidates: list[CandidateResult]

    @property
    def winner(self) -> CandidateResult | None:
        """The passing candidate with the most votes, if one has more than every other."""
        passing = [c for c in self.candidates if c.passed]
        if not passing:
            return None
        best = max(c.votes for c in passing)
        top = [c for c in passing if c.votes == best]
        return top[0] if len(top) == 1 else None

    def passed(self, unit_id: int) -> bool:
        return any(c.unit.pk == unit_id and c.passed for c in self.candidates)


@dataclass
class Eligibility:
    unit: Unit
    name: str
    problems: list[str]
    proposal: AwardProposal | None = None

    @property
    def eligible(self):
        return not self.problems


@dataclass
class AwardState:
    kind: AwardKind
    quota: int | None
    quota_text: str
    vote: VoteResult | None
    units: list[Eligibility]
    proposals: list[AwardProposal]


@dataclass
class ReviewState:
    compact: Compact
    meeting: ReviewMeeting | None
    standings: selectors.Standings
    members: list[Membership]
    names: dict  # unit id → full name valid on the meeting's date
    short_names: dict
    attendance: list[Attendance]
    votes: list[VoteResult]
    awards: list[AwardState]
    leading: CandidateResult | None
    leading_problem: str
    rotation: list[dict] = field(default_factory=list)

    @property
    def member_count(self):
        return len(self.members)

    @property
    def threshold(self) -> Decimal:
        return self.meeting.threshold_percent if self.meeting else Decimal(50)

    def vote_for(self, subject, award_kind_id=None) -> VoteResult | None:
        return next(
            (
                v
                for v in self.votes
                if v.vote.subject == subject and v.vote.award_kind_id == award_kind_id
            ),
            None,
        )

    @property
    def next_leader(self):
        result = self.vote_for(Vote.Subject.NEXT_LEADER)
        return result.winner if result else None

    @property
    def next_deputy(self):
        result = self.vote_for(Vote.Subject.NEXT_DEPUTY)
        return result.winner if result else None


def meeting_day(compact: Compact, meeting: ReviewMeeting | None) -> datetime.date:
    """The day whose unit names the review's pages and documents print."""
    return names_day(compact, Shows.MEETING, meeting_on=meeting.held_on if meeting else None)


def review_state(compact: Compact) -> ReviewState:
    """Everything the review pages and documents show, in a fixed number of queries."""
    meeting = ReviewMeeting.objects.filter(compact=compact).first()
    standings = selectors.standings_for(compact)
    members = [row.membership for row in standings.rows]
    show_names_on([m.unit for m in members], meeting_day(compact, meeting))  # prefetched
    names = {m.unit_id: m.unit.shown_full_name for m in members}
    short_names = {m.unit_id: m.unit.shown_short_name for m in members}
    threshold = meeting.threshold_percent if meeting else Decimal(50)
    attendance = _attendance(meeting, short_names)
    votes = _vote_results(meeting, names, len(members), threshold)
    leading, leading_problem = _leading_unit(votes, standings)
    return ReviewState(
        compact=compact,
        meeting=meeting,
        standings=standings,
        members=members,
        names=names,
        short_names=short_names,
        attendance=attendance,
        votes=votes,
        awards=_award_states(compact, standings, votes, leading, names),
        leading=leading,
        leading_problem=leading_problem,
        rotation=leaders_by_year(compact.cluster_id, up_to=compact.year),
    )


def _attendance(meeting: ReviewMeeting | None, short_names: dict) -> list[Attendance]:
    """Who was present, each with its short name on the meeting's date."""
    if meeting is None:
        return []
    attendance = list(meeting.attendance.select_related("unit").order_by("unit__short_name"))
    for entry in attendance:
        entry.name = short_names.get(entry.unit_id, entry.unit.short_name)
    return attendance


def _vote_results(meeting, names: dict, count: int, threshold: Decimal) -> list[VoteResult]:
    """The meeting's votes, each candidate with its percentages and whether it passed."""
    if meeting is None:
        return []
    votes = []
    for vote in meeting.votes.select_related("award_kind").prefetch_related("counts__unit"):
        base = vote.ballots_valid if vote.is_secret else None
        candidates = [
            CandidateResult(
                unit=c.unit,
                name=names.get(c.unit_id, c.unit.full_name),
                votes=c.votes,
                percent_of_valid=percent(c.votes, base) if base is not None else None,
                percent_of_members=percent(c.votes, count),
                passed=passes(c.votes, count, threshold),
            )
            for c in sorted(vote.counts.all(), key=lambda c: (-c.votes, c.unit.short_name))
        ]
        votes.append(VoteResult(vote=vote, candidates=candidates))
    return votes


def _leading_unit(votes: list[VoteResult], standings) -> tuple[CandidateResult | None, str]:
    """The unit leading the cluster (first by the ranking, passing the acclamation with the
    most votes), or None and why not."""
    leading_vote = next((v for v in votes if v.vote.subject == Vote.Subject.LEADING), None)
    if leading_vote is None:
        return None, _("The acclamation of the leading unit has not been voted yet.")
    first = {row.membership.unit_id for row in standings.rows if row.ranked.rank == 1}
    passing = [c for c in leading_vote.candidates if c.passed and c.unit.pk in first]
    best = max((c.votes for c in passing), default=None)
    top = [c for c in passing if c.votes == best]
    if len(top) == 1:
        return top[0], ""
    if not top:
        return None, _("No unit ranked first passed the acclamation vote.")
    return None, _("Units ranked first received the same votes; the meeting must vote again.")


def _award_states(compact, standings, votes, leading, names) -> list[AwardState]:
    """Each award kind with its vote, its proposals and every member unit's eligibility."""
    count = len(standings.rows)
    proposals = list(
        AwardProposal.objects.filter(award_kind__compact=compact).select_related("unit")
    )
    awards = []
    for kind in AwardKind.objects.filter(compact=compact):
        vote = next((v for v in votes if v.vote.award_kind_id == kind.pk), None)
        kind_proposals = [p for p in proposals if p.award_kind_id == kind.pk]
        by_unit = {p.unit_id: p for p in kind_proposals}
        units = [
            Eligibility(
                unit=row.membership.unit,
                name=names[row.membership.unit_id],
                problems=award_problems(
                    kind=kind,
                    row=row,
                    vote=vote,
                    leading=leading,
                    name=names[row.membership.unit_id],
                ),
                proposal=by_unit.get(row.membership.unit_id),
            )
            for row in standings.rows
        ]
        awards.append(
            AwardState(
                kind=kind,
                quota=quota_of(kind, count),
                quota_text=quota_text(kind, count),
                vote=vote,
                units=units,
                proposals=kind_proposals,
            )
        )
    return awards


def award_problems(*, kind, row, vote, leading, name) -> list[str]:
    """Why the unit of this ranking row cannot be proposed for this award (empty: eligible)."""
    problems = []
    if row.ranked.disqualified:
        problems.append(_("%(unit)s has a disqualifying occurrence this year.") % {"unit": name})
    if kind.required_band and row.ranked.band != kind.required_band:
        problems.append(
            _("%(award)s needs the band “%(band)s”; %(unit)s is “%(actual)s”.")
            % {
                "award": kind.name,
                "band": kind.required_band,
                "unit": name,
                "actual": row.ranked.band or "—",
            }
        )
    if kind.leader_only:
        if leading is None:
            problems.append(
                _("%(award)s goes only to the unit leading the cluster, not decided yet.")
                % {"award": kind.name}
            )
        elif leading.unit.pk != row.membership.unit_id:
            problems.append(
                _("%(award)s goes only to the unit leading the cluster (%(leader)s).")
                % {"award": kind.name, "leader": leading.name}
            )
    if vote is None:
        problems.append(_("The vote for %(award)s has not been recorded.") % {"award": kind.name})
    elif not vote.passed(row.membership.unit_id):
        problems.append(
            _("%(unit)s did not pass the vote for %(award)s.") % {"unit": name, "award": kind.name}
        )
    return problems
