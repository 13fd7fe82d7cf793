"""Writes. Each validates everything first and writes in one transaction, or writes nothing.

- `common`: the errors every write raises, a posted cell, the checks every write starts with;
- `scores`: recording scores from the sheet (planned first, then written);
- `assessment`: a unit's self-assessment: submit, return, accept, verification complete;
- `evidence`: evidence files attached to a self-assessment;
- `template_import`: the filled template, previewed then applied;
- `targets`: a unit's target registration: submit, return with a reason, approve (one or all).

Callers (views, forms, lifecycle, schemes, targets, review, commands, tests) import from
`scoring.services`.
"""

from .assessment import (
    accept_self_assessment,
    mark_verified,
    plan_self_acceptance,
    return_self_assessment,
    submit_self_assessment,
)
from .common import CellInput, CellProblem, SaveRefused, ServiceError
from .evidence import (
    EVIDENCE_MAX_BYTES,
    attach_evidence,
    check_evidence_file,
    remove_evidence,
    save_self_assessment,
)
from .scores import record_scores
from .targets import (
    approve_all_targets,
    approve_targets,
    registrations_of,
    return_targets,
    submit_targets,
    targets_editable,
)
from .template_import import ImportPreview, apply_template_import, preview_template_import

__all__ = [
    "EVIDENCE_MAX_BYTES",
    "CellInput",
    "CellProblem",
    "ImportPreview",
    "SaveRefused",
    "ServiceError",
    "accept_self_assessment",
    "apply_template_import",
    "approve_all_targets",
    "approve_targets",
    "attach_evidence",
    "check_evidence_file",
    "mark_verified",
    "plan_self_acceptance",
    "preview_template_import",
    "record_scores",
    "registrations_of",
    "remove_evidence",
    "return_self_assessment",
    "return_targets",
    "save_self_assessment",
    "submit_self_assessment",
    "submit_targets",
    "targets_editable",
]
