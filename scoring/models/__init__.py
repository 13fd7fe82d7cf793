"""The scoring app's models. Django finds them here: every model module is imported below.

- `compact`: the compact of a year, its events (history of its status) and signatures;
- `scheme`: criteria (the scoring scheme as a tree) and the targets units register;
- `targets`: where each unit's target registration stands (draft … approved);
- `scores`: scores, each unit's self-assessment and its evidence, the stored final results;
- the year-end review's models live in `scoring.review_models`.

Callers import from `scoring.models`; migrations name the callables re-exported here.
"""

from ..review_models import *  # noqa: F403  (the year-end review's models, for Django)
from .compact import (
    MAX_DEPTH,
    Compact,
    CompactEvent,
    Signature,
    compact_document_path,
    default_bands,
    default_tie_breakers,
)
from .scheme import Criterion, Target
from .scores import NOTE_MAX_LENGTH, Assessment, Evidence, FinalResult, Score, evidence_path
from .targets import RETURN_REASON_MAX_LENGTH, TargetRegistration

__all__ = [
    "MAX_DEPTH",
    "NOTE_MAX_LENGTH",
    "RETURN_REASON_MAX_LENGTH",
    "Assessment",
    "Compact",
    "CompactEvent",
    "Criterion",
    "Evidence",
    "FinalResult",
    "Score",
    "Signature",
    "Target",
    "TargetRegistration",
    "compact_document_path",
    "default_bands",
    "default_tie_breakers",
    "evidence_path",
]
