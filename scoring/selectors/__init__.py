"""Reads shared by views, exports and commands: a fixed number of queries whatever the size.

- `scheme`: a compact's members, criteria and groups, and the checks on its scheme;
- `sheet`: the score sheet (criteria × units) and the totals of each unit;
- `standings`: a compact's standings (units ranked, `Standings`), a unit's breakdown and trend;
- `ranking_reads`: what the standings read, in three hand-written statements;
- `applicability`: criteria not applicable to a unit, and each unit's maximum;
- `totals`: each unit's points by top-level group, from the maintained totals;
- `reports`: everything one Excel report needs, read at once (the matrix streams its cells).

Callers import from `scoring.selectors`.
"""

from .applicability import (
    Applicability,
    applicability_by_compact,
    applicable_maximum,
    not_applicable_reasons,
    whole_scale,
)
from .reports import matrix_data, report_data
from .scheme import (
    criteria_for_compact,
    groups_by_compact,
    members_of,
    ranking_outline,
    scheme_problems,
    top_groups,
)
from .sheet import (
    apply_posted,
    score_sheet,
    sheet_cell_count,
    unit_totals,
)
from .standings import (
    Standings,
    standings_by_compact,
    standings_for,
    unit_breakdown,
    unit_trend,
    years_with_results,
)
from .totals import group_points_by_compact

__all__ = [
    "Applicability",
    "Standings",
    "applicability_by_compact",
    "applicable_maximum",
    "apply_posted",
    "criteria_for_compact",
    "group_points_by_compact",
    "groups_by_compact",
    "matrix_data",
    "members_of",
    "not_applicable_reasons",
    "ranking_outline",
    "report_data",
    "scheme_problems",
    "score_sheet",
    "sheet_cell_count",
    "standings_by_compact",
    "standings_for",
    "top_groups",
    "unit_breakdown",
    "unit_totals",
    "unit_trend",
    "whole_scale",
    "years_with_results",
]
