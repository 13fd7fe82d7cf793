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

The package: `common` (statuses, percentages, quotas), `state` (the one read), `meeting`,
`votes` and `awards` (the writes). Callers import from `scoring.review`.
"""

from .awards import propose_award, save_award_kind, withdraw_proposal
from .common import (
    REVIEW_STATUSES,
    format_percent,
    passes,
    percent,
    quota_of,
    quota_text,
)
from .meeting import MEETING_FIELDS, ensure_award_kinds, save_meeting
from .state import (
    AwardState,
    CandidateResult,
    Eligibility,
    ReviewState,
    VoteResult,
    award_problems,
    meeting_day,
    review_state,
)
from .votes import delete_vote, record_vote

__all__ = [
    "MEETING_FIELDS",
    "REVIEW_STATUSES",
    "AwardState",
    "CandidateResult",
    "Eligibility",
    "ReviewState",
    "VoteResult",
    "award_problems",
    "delete_vote",
    "ensure_award_kinds",
    "format_percent",
    "meeting_day",
    "passes",
    "percent",
    "propose_award",
    "quota_of",
    "quota_text",
    "record_vote",
    "review_state",
    "save_award_kind",
    "save_meeting",
    "withdraw_proposal",
]
