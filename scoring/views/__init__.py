"""The pages of the scoring app, thin: check access (scoring.access names the rule), bind a
form, call one selector or service, render or redirect.

- `sheets`: the score sheet, a unit's page, self-assessment, evidence;
- `dashboards`: home, a compact's overview, the ranking pages, ranking.json, the dashboard;
- `year`: starting a year, members, settings, signing, documents, status;
- `targets`: the targets page and the registration's steps (submit, return, approve);
- `scheme_editor`: the scheme editor and its Excel import;
- `exports`: Excel exports, the template import, the audit log and a score's history.

The year-end review pages are in `scoring.views_review`. `scoring.urls` and
`cumthidua.urls` route to the names re-exported here.
"""

from .dashboards import compact_overview, dashboard, home, overview, ranking_json, unit_report
from .exports import audit, audit_export, export, score_history, template_import
from .scheme_editor import (
    criterion_delete,
    criterion_edit,
    criterion_move,
    renumber,
    scheme,
    scheme_import,
)
from .sheets import (
    accept_self,
    evidence_delete,
    evidence_download,
    mark_verified,
    return_self,
    self_assessment,
    sheet,
    submit_self,
    unit_sheet,
)
from .year import (
    change_status,
    compact_print,
    document_download,
    document_upload,
    members,
    settings_view,
    signing,
    start_year,
)

__all__ = [
    "accept_self",
    "audit",
    "audit_export",
    "change_status",
    "compact_overview",
    "compact_print",
    "criterion_delete",
    "criterion_edit",
    "criterion_move",
    "dashboard",
    "document_download",
    "document_upload",
    "evidence_delete",
    "evidence_download",
    "export",
    "home",
    "mark_verified",
    "members",
    "overview",
    "ranking_json",
    "renumber",
    "return_self",
    "scheme",
    "scheme_import",
    "score_history",
    "self_assessment",
    "settings_view",
    "sheet",
    "signing",
    "start_year",
    "submit_self",
    "template_import",
    "unit_report",
    "unit_sheet",
]
