"""The year-end review: recording the meeting and its votes, checking and recording award
proposals. Writes are services (keyword-only, validated, all-or-nothing); `review_state` is
the one read the pages and the documents share.

Rules, stated once:
- the review is held once scoring is closed (status "scoring closed" or "finalized");
- a secret ballot records ballots issued ≤ member units, returned ≤ issued, valid + invalid =
  returned, and each candidate's votes ≤ valid ballots; in an election (next leader, next
  deputy) each ballot names one unit, so the votes add up to at most the valid ballots;
  a show of hands gives each candidate at most the number of units present;
- a candidate passes with more than the compact's threshold (default 50 %) of the member
  units: votes × 100 > threshold × members;
- the unit leading the cluster is first by the final ranking and passes the acclamation vote
  (of several first, the one with most votes; still equal: none, the meeting must vote again);
- a proposal needs the award's vote passed, the award's band, no disqualifying occurrence,
  and, for a leader-only award, the leading unit; any of these can be overridden with a
  reason (kept on the proposal, in its history and in the compact's events); the quota
  (a number, or a percentage of member units rounded down) cannot.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from units.models import Membership, Unit
from units.names import show_names_on

from . import selectors
from .dated_names import Shows, names_day
from .lifecycle import leaders_by_year, record_event
from .models import Compact, CompactEvent
from .ranking import format_points
from .review_models import (
    DEFAULT_FLAG_BAND,
    Attendance,
    AwardKind,
    AwardProposal,
    ReviewMeeting,
    Vote,
    VoteCount,
)
from .services import ServiceError

S = Compact.Status
REVIEW_STATUSES = (S.SCORING_CLOSED, S.FINALIZED)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with two decimals; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    return "" if value is None else f"{format_points(value, grouping=True)} %"


def passes(votes: int, members: int, threshold: Decimal) -> bool:
    return members > 0 and Decimal(votes) * HUNDRED > threshold * members


def quota_of(kind: AwardKind, members: int) -> int | None:
    """How many units the award's quota allows; None without a quota."""
    if kind.quota_count is not None:
        return kind.quota_count
    if kind.quota_percent is not None:
        return math.floor(kind.quota_percent * members / HUNDRED)
    return None


def quota_text(kind: AwardKind, members: int) -> str:
    allowed = quota_of(kind, members)
    if allowed is None:
        return _("no quota")
    if kind.quota_percent is not None:
        return _("at most %(count)s units (%(percent)s of %(members)s member units)") % {
            "count": allowed,
            "percent": format_percent(kind.quota_percent),
            "members": members,
        }
    return _("at most %(count)s units") % {"count": allowed}


# --- Reads -----------------------------------------------------------------------------------


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
    ranking: selectors.Ranking
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
    ranking = selectors.ranking_for(compact)
    members = [row.membership for row in ranking.rows]
    show_names_on([m.unit for m in members], meeting_day(compact, meeting))  # prefetched
    names = {m.unit_id: m.unit.shown_full_name for m in members}
    short_names = {m.unit_id: m.unit.shown_short_name for m in members}
    count = len(members)
    threshold = meeting.threshold_percent if meeting else Decimal(50)
    attendance, votes = [], []
    if meeting is not None:
        attendance = list(meeting.attendance.select_related("unit").order_by("unit__short_name"))
        for entry in attendance:
            entry.name = short_names.get(entry.unit_id, entry.unit.short_name)
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
    leading_vote = next((v for v in votes if v.vote.subject == Vote.Subject.LEADING), None)
    first = {row.membership.unit_id for row in ranking.rows if row.ranked.rank == 1}
    leading, leading_problem = None, ""
    if leading_vote is None:
        leading_problem = _("The acclamation of the leading unit has not been voted yet.")
    else:
        passing = [c for c in leading_vote.candidates if c.passed and c.unit.pk in first]
        best = max((c.votes for c in passing), default=None)
        top = [c for c in passing if c.votes == best]
        if len(top) == 1:
            leading = top[0]
        elif not top:
            leading_problem = _("No unit ranked first passed the acclamation vote.")
        else:
            leading_problem = _(
                "Units ranked first received the same votes; the meeting must vote again."
            )
    rows = {row.membership.unit_id: row for row in ranking.rows}
    kinds = list(AwardKind.objects.filter(compact=compact))
    proposals = list(
        AwardProposal.objects.filter(award_kind__compact=compact).select_related("unit")
    )
    awards = []
    for kind in kinds:
        vote = next((v for v in votes if v.vote.award_kind_id == kind.pk), None)
        kind_proposals = [p for p in proposals if p.award_kind_id == kind.pk]
        by_unit = {p.unit_id: p for p in kind_proposals}
        units = []
        for m in members:
            problems = award_problems(
                kind=kind, row=rows[m.unit_id], vote=vote, leading=leading, name=names[m.unit_id]
            )
            units.append(
                Eligibility(
                    unit=m.unit,
                    name=names[m.unit_id],
                    problems=problems,
                    proposal=by_unit.get(m.unit_id),
                )
            )
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
    return ReviewState(
        compact=compact,
        meeting=meeting,
        ranking=ranking,
        members=members,
        names=names,
        short_names=short_names,
        attendance=attendance,
        votes=votes,
        awards=awards,
        leading=leading,
        leading_problem=leading_problem,
        rotation=leaders_by_year(compact.cluster_id, up_to=compact.year),
    )


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


# --- Writes ----------------------------------------------------------------------------------


def _check_review_open(compact: Compact) -> Compact:
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if compact.status not in REVIEW_STATUSES:
        raise ServiceError(
            _("The year-end review is recorded once scoring is closed (status now: %(status)s).")
            % {"status": compact.get_status_display()}
        )
    return compact


def ensure_award_kinds(compact: Compact) -> list[AwardKind]:
    """The compact's award kinds; the usual three (with default standards and quotas) the
    first time."""
    if not AwardKind.objects.filter(compact=compact).exists():
        AwardKind.objects.bulk_create(
            [
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.GOVERNMENT_FLAG,
                    name="Cờ thi đua của Chính phủ",
                    leader_only=True,
                    required_band=DEFAULT_FLAG_BAND,
                    quota_count=1,
                    position=1,
                ),
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.MINISTRY_FLAG,
                    name="Cờ thi đua của Bộ Công an",
                    required_band=DEFAULT_FLAG_BAND,
                    quota_percent=Decimal(20),
                    position=2,
                ),
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.CERTIFICATE,
                    name="Bằng khen của Bộ trưởng Bộ Công an",
                    quota_percent=Decimal(50),
                    position=3,
                ),
            ]
        )
    return list(AwardKind.objects.filter(compact=compact))


def _meeting_as_saved(meeting: ReviewMeeting):
    """The stored meeting in save_meeting's terms: its values and who was present."""
    values = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    present = sorted(meeting.attendance.values_list("unit_id", "representative", "title"))
    return values, [tuple(row) for row in present]


MEETING_FIELDS = (
    "held_on",
    "place",
    "chair",
    "secretary",
    "guests",
    "agenda",
    "threshold_percent",
    "minutes_number",
    "ballot_number",
    "proposal_number",
    "document_place",
    "document_date",
    "signatory_title",
    "signatory_name",
)


@transaction.atomic
def save_meeting(
    *,
    compact: Compact,
    user,
    held_on: datetime.date,
    place: str,
    chair: str,
    secretary: str,
    guests: str = "",
    agenda: str = "",
    threshold_percent: Decimal | None = None,
    attendance: list[tuple[int, str, str]] = (),
    minutes_number: str = "",
    ballot_number: str = "",
    proposal_number: str = "",
    document_place: str = "",
    document_date: datetime.date | None = None,
    signatory_title: str = "",
    signatory_name: str = "",
) -> ReviewMeeting:
    """Creates or replaces the meeting record and who was present: `attendance` is a list of
    (unit id, representative, title) for the member units present."""
    compact = _check_review_open(compact)
    place, chair, secretary = (
        (place or "").strip(),
        (chair or "").strip(),
        (secretary or "").strip(),
    )
    missing = [
        label
        for label, value in (
            (_("the place"), place),
            (_("the chair"), chair),
            (_("the secretary"), secretary),
        )
        if not value
    ]
    if held_on is None:
        missing.insert(0, _("the date"))
    if missing:
        raise ServiceError(_("Give %(fields)s of the meeting.") % {"fields": ", ".join(missing)})
    if held_on.year not in (compact.year, compact.year + 1):
        raise ServiceError(
            _("The review of %(year)s is held in %(year)s or early %(next)s, not on %(day)s.")
            % {"year": compact.year, "next": compact.year + 1, "day": held_on.strftime("%d/%m/%Y")}
        )
    threshold = Decimal(50) if threshold_percent is None else Decimal(threshold_percent)
    if not (Decimal(0) <= threshold < HUNDRED):
        raise ServiceError(
            _("The passing threshold is a percentage from 0 to below 100, not %(value)s.")
            % {"value": format_points(threshold, grouping=True)}
        )
    members = {m.unit_id: m.unit for m in compact.memberships().select_related("unit")}
    seen = set()
    for unit_id, representative, _title in attendance:
        if unit_id not in members:
            raise ServiceError(_("This unit is not a member of the cluster in that year."))
        if unit_id in seen:
            raise ServiceError(_("This unit is already recorded as present."))
        seen.add(unit_id)
        if not (representative or "").strip():
            raise ServiceError(
                _("Give the representative of %(unit)s, or mark it absent.")
                % {"unit": members[unit_id]}
            )
    meeting = ReviewMeeting.objects.filter(compact=compact).first() or ReviewMeeting(
        compact=compact
    )
    values = {
        "held_on": held_on,
        "place": place[:200],
        "chair": chair[:300],
        "secretary": secretary[:300],
        "guests": (guests or "").strip(),
        "agenda": (agenda or "").strip(),
        "threshold_percent": threshold,
        "minutes_number": (minutes_number or "").strip()[:50],
        "ballot_number": (ballot_number or "").strip()[:50],
        "proposal_number": (proposal_number or "").strip()[:50],
        "document_place": (document_place or "").strip()[:100],
        "document_date": document_date,
        "signatory_title": (signatory_title or "").strip()[:200],
        "signatory_name": (signatory_name or "").strip()[:200],
    }
    present = sorted((u, r.strip()[:300], t.strip()[:200]) for u, r, t in attendance)
    created = meeting.pk is None
    if not created and _meeting_as_saved(meeting) == (values, present):
        return meeting  # submitted unchanged: nothing to write, nothing to record
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, unit_id=u, representative=r, title=t) for u, r, t in present
    )
    ensure_award_kinds(compact)
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=(_("Review meeting recorded") if created else _("Review meeting changed"))
        + f" ({held_on:%d/%m/%Y}, {len(attendance)}/{len(members)})",
    )
    return meeting


@transaction.atomic
def record_vote(
    *,
    compact: Compact,
    user,
    subject: str,
    method: str,
    counts: dict[int, int],
    award_kind_id: int | None = None,
    ballots_issued: int | None = None,
    ballots_returned: int | None = None,
    ballots_valid: int | None = None,
    ballots_invalid: int | None = None,
    notes: str = "",
) -> Vote:
    """Records a vote (replacing an earlier record of the same vote): `counts` maps each
    candidate unit's id to its votes. Refuses counts that cannot be (see the module's rules)."""
    compact = _check_review_open(compact)
    meeting = ReviewMeeting.objects.filter(compact=compact).first()
    if meeting is None:
        raise ServiceError(_("Record the meeting (date, place, chair, secretary) first."))
    if subject not in Vote.Subject.values:
        raise ServiceError(_("Choose what the vote is about."))
    if method not in Vote.Method.values:
        raise ServiceError(_("Choose show of hands or secret ballot."))
    kind = None
    if subject == Vote.Subject.AWARD:
        kind = AwardKind.objects.filter(compact=compact, pk=award_kind_id).first()
        if kind is None:
            raise ServiceError(_("Choose the award the vote is for."))
    members = {m.unit_id: m.unit for m in compact.memberships().select_related("unit")}
    member_count = len(members)
    counts = {int(u): v for u, v in counts.items() if v is not None}
    if not counts:
        raise ServiceError(_("Enter the votes of at least one candidate."))
    for unit_id, votes in counts.items():
        if unit_id not in members:
            raise ServiceError(_("This unit is not a member of the cluster in that year."))
        if votes < 0:
            raise ServiceError(
                _("%(unit)s: the votes cannot be negative.") % {"unit": members[unit_id]}
            )
    ballots = (ballots_issued, ballots_returned, ballots_valid, ballots_invalid)
    if method == Vote.Method.SECRET:
        if any(b is None for b in ballots):
            raise ServiceError(
                _("A secret ballot needs the ballots issued, returned, valid and invalid.")
            )
        if any(b < 0 for b in ballots):
            raise ServiceError(_("Ballot counts cannot be negative."))
        if ballots_issued > member_count:
            raise ServiceError(
                _("%(issued)s ballots issued, but the cluster has %(members)s member units.")
                % {"issued": ballots_issued, "members": member_count}
            )
        if ballots_returned > ballots_issued:
            raise ServiceError(
                _("More ballots returned (%(returned)s) than issued (%(issued)s).")
                % {"returned": ballots_returned, "issued": ballots_issued}
            )
        if ballots_valid + ballots_invalid != ballots_returned:
            raise ServiceError(
                _(
                    "Valid (%(valid)s) and invalid (%(invalid)s) ballots must add up to the "
                    "ballots returned (%(returned)s)."
                )
                % {
                    "valid": ballots_valid,
                    "invalid": ballots_invalid,
                    "returned": ballots_returned,
                }
            )
        limit, limit_label = ballots_valid, _("valid ballots")
    else:
        if any(b is not None for b in ballots):
            raise ServiceError(_("A show of hands has no ballots; leave the ballot counts empty."))
        present = meeting.attendance.count() or member_count
        limit, limit_label = present, _("units present")
    for unit_id, votes in counts.items():
        if votes > limit:
            raise ServiceError(
                _("%(unit)s: %(votes)s votes, more than the %(limit)s %(what)s.")
                % {"unit": members[unit_id], "votes": votes, "limit": limit, "what": limit_label}
            )
    if subject in (Vote.Subject.NEXT_LEADER, Vote.Subject.NEXT_DEPUTY):
        total = sum(counts.values())
        if total > limit:
            raise ServiceError(
                _(
                    "Each voter names one unit in an election: %(total)s votes in all, more "
                    "than the %(limit)s %(what)s."
                )
                % {"total": total, "limit": limit, "what": limit_label}
            )
    existing = Vote.objects.filter(meeting=meeting, subject=subject, award_kind=kind).first()
    vote = existing or Vote(meeting=meeting, subject=subject, award_kind=kind)
    vote.method = method
    vote.ballots_issued, vote.ballots_returned, vote.ballots_valid, vote.ballots_invalid = (
        ballots if method == Vote.Method.SECRET else (None, None, None, None)
    )
    vote.notes = (notes or "").strip()
    vote.recorded_by = user
    try:
        vote.save()
    except IntegrityError:
        raise ServiceError(_("This vote is already recorded.")) from None
    vote.counts.all().delete()
    VoteCount.objects.bulk_create(
        VoteCount(vote=vote, unit_id=unit_id, votes=votes) for unit_id, votes in counts.items()
    )
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=(_("Vote recorded: %(vote)s") if existing is None else _("Vote changed: %(vote)s"))
        % {"vote": vote},
    )
    return vote


@transaction.atomic
def delete_vote(*, compact: Compact, user, vote_id: int) -> None:
    compact = _check_review_open(compact)
    vote = Vote.objects.filter(meeting__compact=compact, pk=vote_id).first()
    if vote is None:
        raise ServiceError(_("This vote does not exist."))
    label = str(vote)
    vote.delete()
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=_("Vote deleted: %(vote)s") % {"vote": label},
    )


@transaction.atomic
def propose_award(
    *, compact: Compact, user, award_kind_id: int, unit_id: int, override_reason: str = ""
) -> AwardProposal:
    """Proposes a member unit for an award. Eligibility problems refuse it unless overridden
    with a reason; the quota always refuses."""
    compact = _check_review_open(compact)
    kind = AwardKind.objects.select_for_update().filter(compact=compact, pk=award_kind_id).first()
    if kind is None:
        raise ServiceError(_("Choose the award."))
    state = review_state(compact)
    award = next(a for a in state.awards if a.kind.pk == kind.pk)
    entry = next((e for e in award.units if e.unit.pk == unit_id), None)
    if entry is None:
        raise ServiceError(_("This unit is not a member of the cluster in that year."))
    if entry.proposal is not None:
        raise ServiceError(_("This unit is already proposed for this award."))
    if award.quota is not None and len(award.proposals) >= award.quota:
        raise ServiceError(
            _(
                "The quota of %(award)s is reached: %(quota)s; %(count)s already proposed. "
                "Withdraw a proposal first."
            )
            % {"award": kind.name, "quota": award.quota_text, "count": len(award.proposals)}
        )
    reason = (override_reason or "").strip()
    if entry.problems and not reason:
        raise ServiceError(
            _(
                "%(unit)s is not eligible for %(award)s: %(problems)s Give a reason to propose "
                "it anyway."
            )
            % {"unit": entry.name, "award": kind.name, "problems": " ".join(entry.problems)}
        )
    proposal = AwardProposal(
        award_kind=kind,
        unit_id=unit_id,
        overridden=" ".join(entry.problems) if reason and entry.problems else "",
        override_reason=reason if entry.problems else "",
        position=len(award.proposals) + 1,
        created_by=user,
    )
    proposal._change_reason = proposal.override_reason
    proposal.save()
    summary = _("Proposed for %(award)s: %(unit)s") % {"award": kind.name, "unit": entry.name}
    if proposal.overridden:
        summary += " — " + _("eligibility overridden")
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=summary,
        reason=(proposal.overridden + "\n" + proposal.override_reason).strip()
        if proposal.overridden
        else "",
    )
    return proposal


@transaction.atomic
def withdraw_proposal(*, compact: Compact, user, proposal_id: int, reason: str = "") -> None:
    compact = _check_review_open(compact)
    proposal = (
        AwardProposal.objects.select_related("award_kind", "unit")
        .filter(award_kind__compact=compact, pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ServiceError(_("This proposal does not exist."))
    summary = _("Proposal withdrawn: %(award)s, %(unit)s") % {
        "award": proposal.award_kind.name,
        "unit": proposal.unit,
    }
    proposal._change_reason = (reason or "").strip()
    proposal.delete()
    record_event(
        compact, kind=CompactEvent.Kind.REVIEW, user=user, summary=summary, reason=reason or ""
    )


@transaction.atomic
def save_award_kind(
    *,
    compact: Compact,
    user,
    award_kind_id: int,
    name: str,
    required_band: str,
    leader_only: bool,
    quota_count: int | None,
    quota_percent: Decimal | None,
) -> AwardKind:
    """Changes an award's standard and quota; refused if it would leave more proposals than
    the new quota allows."""
    compact = _check_review_open(compact)
    kind = AwardKind.objects.select_for_update().filter(compact=compact, pk=award_kind_id).first()
    if kind is None:
        raise ServiceError(_("Choose the award."))
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the award's name."))
    if quota_count is not None and quota_percent is not None:
        raise ServiceError(_("Give the quota as a number of units or a percentage, not both."))
    if quota_count is not None and quota_count < 0:
        raise ServiceError(_("The quota cannot be negative."))
    if quota_percent is not None and not (Decimal(0) <= quota_percent <= HUNDRED):
        raise ServiceError(_("The quota is a percentage between 0 and 100."))
    wanted = {
        "name": name[:200],
        "required_band": (required_band or "").strip(),
        "leader_only": leader_only,
        "quota_count": quota_count,
        "quota_percent": quota_percent,
    }
    if all(getattr(kind, attr) == value for attr, value in wanted.items()):
        return kind  # submitted unchanged: nothing to write, nothing to record
    for attr, value in wanted.items():
        setattr(kind, attr, value)
    members = compact.memberships().count()
    allowed = quota_of(kind, members)
    proposed = kind.proposals.count()
    if allowed is not None and proposed > allowed:
        raise ServiceError(
            _("%(count)s units are already proposed for %(award)s, more than %(quota)s.")
            % {"count": proposed, "award": name, "quota": quota_text(kind, members)}
        )
    kind.full_clean()
    kind.save()
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=_("Award standard changed: %(award)s (%(quota)s)")
        % {"award": kind.name, "quota": quota_text(kind, members)},
    )
    return kind
