"""The scoring app's models. Django finds them here: every model module is imported below.

- `compact`: the compact of a year, its events (history of its status) and signatures;
- `scheme`: criteria (the scoring scheme as a tree) and the targets units register;
- `applicability`: criteria marked not applicable to a unit (không áp dụng);
- `targets`: where each unit's target registration stands (draft … approved);
- `scores`: scores, each unit's self-assessment and its evidence, the stored final results;
- `totals`: each unit's points per top-level group, kept by database triggers;
- `review`: the year-end review's meeting, votes, award kinds and proposals;
- `appeals`: the publication of the results, appeals and the handover to the next year.

Callers import from `scoring.models`; migrations name the callables re-exported here.
"""

from .appeals import Appeal, Handover, Publication, appeal_evidence_path
from .applicability import NotApplicable
from .compact import (
    MAX_DEPTH,
    Compact,
    CompactEvent,
    Signature,
    compact_document_path,
    default_bands,
    default_tie_breakers,
)
from .review import (
    DEFAULT_FLAG_BAND,
    Attendance,
    AwardKind,
    AwardProposal,
    ReviewMeeting,
    Vote,
    VoteCount,
)
from .scheme import Criterion, Target
from .scores import NOTE_MAX_LENGTH, Assessment, Evidence, FinalResult, Score, evidence_path
from .targets import RETURN_REASON_MAX_LENGTH, TargetRegistration
from .totals import ScoreTotal

__all__ = [
    "DEFAULT_FLAG_BAND",
    "MAX_DEPTH",
    "NOTE_MAX_LENGTH",
    "RETURN_REASON_MAX_LENGTH",
    "Appeal",
    "Assessment",
    "Attendance",
    "AwardKind",
    "AwardProposal",
    "Compact",
    "CompactEvent",
    "Criterion",
    "Evidence",
    "FinalResult",
    "Handover",
    "NotApplicable",
    "Publication",
    "ReviewMeeting",
    "Score",
    "ScoreTotal",
    "Signature",
    "Target",
    "TargetRegistration",
    "Vote",
    "VoteCount",
    "appeal_evidence_path",
    "compact_document_path",
    "default_bands",
    "default_tie_breakers",
    "evidence_path",
]
