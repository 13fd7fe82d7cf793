"""Recording and deleting the meeting's votes (see the package's rules for the counts)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..lifecycle import record_event
from ..models import AwardKind, Compact, CompactEvent, ReviewMeeting, Vote, VoteCount
from ..services import ServiceError
from .common import check_review_open


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
    candidate unit's id to its votes. Refuses counts that cannot be (see the package's rules)."""
    compact = check_review_open(compact)
    meeting, kind = _meeting_and_award(compact, subject, method, award_kind_id)
    members = {m.unit_id: m.unit for m in compact.memberships().select_related("unit")}
    counts = _checked_counts(counts, members)
    ballots = (ballots_issued, ballots_returned, ballots_valid, ballots_invalid)
    if method == Vote.Method.SECRET:
        _check_ballots(ballots, len(members))
        limit, limit_label = ballots_valid, _("valid ballots")
    else:
        if any(b is not None for b in ballots):
            raise ServiceError(_("A show of hands has no ballots; leave the ballot counts empty."))
        limit, limit_label = meeting.attendance.count() or len(members), _("units present")
    _check_within(subject, counts, members, limit, limit_label)
    return _store_vote(compact, user, meeting, subject, kind, method, counts, ballots, notes=notes)


def _meeting_and_award(compact, subject, method, award_kind_id):
    """The meeting the vote belongs to and, for an award's vote, the award kind."""
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
    return meeting, kind


def _checked_counts(counts: dict, members: dict) -> dict[int, int]:
    """The candidates' votes (blank ones left out), each for a member unit and not negative."""
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
    return counts


def _check_ballots(ballots: tuple, member_count: int) -> None:
    """A secret ballot's counts: all given, issued ≤ members, returned ≤ issued, valid +
    invalid = returned."""
    if any(b is None for b in ballots):
        raise ServiceError(
            _("A secret ballot needs the ballots issued, returned, valid and invalid.")
        )
    if any(b < 0 for b in ballots):
        raise ServiceError(_("Ballot counts cannot be negative."))
    issued, returned, valid, invalid = ballots
    if issued > member_count:
        raise ServiceError(
            _("%(issued)s ballots issued, but the cluster has %(members)s member units.")
            % {"issued": issued, "members": member_count}
        )
    if returned > issued:
        raise ServiceError(
            _("More ballots returned (%(returned)s) than issued (%(issued)s).")
            % {"returned": returned, "issued": issued}
        )
    if valid + invalid != returned:
        raise ServiceError(
            _(
                "Valid (%(valid)s) and invalid (%(invalid)s) ballots must add up to the "
                "ballots returned (%(returned)s)."
            )
            % {"valid": valid, "invalid": invalid, "returned": returned}
        )


def _check_within(subject, counts: dict, members: dict, limit: int, limit_label: str) -> None:
    """No candidate above the limit; in an election, not all candidates together either."""
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


def _store_vote(compact, user, meeting, subject, kind, method, counts, ballots, *, notes) -> Vote:
    """Writes the vote over an earlier record of it, its counts, and the compact's event."""
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
    compact = check_review_open(compact)
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
