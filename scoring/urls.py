from django.urls import path, register_converter

from . import views_review
from .params import IdConverter
from .views import applicability, dashboards, exports, lines, scheme_editor, sheets, targets, year

register_converter(IdConverter, "id")  # ids beyond the database's range: 404

app_name = "scoring"

urlpatterns = [
    path("dashboard/", dashboards.overview, name="overview"),
    path("compacts/<id:pk>/", dashboards.compact_overview, name="compact"),
    path("compacts/<id:pk>/dashboard/", dashboards.dashboard, name="dashboard"),
    path("compacts/<id:pk>/ranking.json", dashboards.ranking_json, name="ranking_json"),
    path("compacts/<id:pk>/units/<id:unit_pk>/report/", dashboards.unit_report, name="unit_report"),
    path("compacts/<id:pk>/sheet/", sheets.sheet, name="sheet"),
    path("compacts/<id:pk>/units/<id:unit_pk>/", sheets.unit_sheet, name="unit"),
    path("compacts/<id:pk>/units/<id:unit_pk>/accept/", sheets.accept_self, name="accept"),
    path("compacts/<id:pk>/units/<id:unit_pk>/return/", sheets.return_self, name="return"),
    path("compacts/<id:pk>/units/<id:unit_pk>/verified/", sheets.mark_verified, name="verified"),
    path("compacts/<id:pk>/self/", sheets.self_assessment, name="self"),
    path("compacts/<id:pk>/self/submit/", sheets.submit_self, name="submit"),
    path("clusters/<id:cluster_pk>/new-year/", year.start_year, name="start_year"),
    path("compacts/<id:pk>/members/", year.members, name="members"),
    path("compacts/<id:pk>/settings/", year.settings_view, name="settings"),
    path("compacts/<id:pk>/scheme/", scheme_editor.scheme, name="scheme"),
    path("compacts/<id:pk>/scheme/import/", scheme_editor.scheme_import, name="scheme_import"),
    path("compacts/<id:pk>/scheme/renumber/", scheme_editor.renumber, name="renumber"),
    path(
        "compacts/<id:pk>/scheme/<id:criterion_pk>/", scheme_editor.criterion_edit, name="criterion"
    ),
    path(
        "compacts/<id:pk>/scheme/<id:criterion_pk>/move/",
        scheme_editor.criterion_move,
        name="criterion_move",
    ),
    path(
        "compacts/<id:pk>/scheme/<id:criterion_pk>/delete/",
        scheme_editor.criterion_delete,
        name="criterion_delete",
    ),
    path("compacts/<id:pk>/targets/", targets.targets, name="targets"),
    path("compacts/<id:pk>/targets/approve-all/", targets.approve_all, name="targets_approve_all"),
    path("compacts/<id:pk>/targets/<id:unit_pk>/submit/", targets.submit, name="targets_submit"),
    path("compacts/<id:pk>/targets/<id:unit_pk>/return/", targets.return_, name="targets_return"),
    path("compacts/<id:pk>/targets/<id:unit_pk>/approve/", targets.approve, name="targets_approve"),
    path(
        "compacts/<id:pk>/not-applicable/",
        applicability.not_applicable,
        name="not_applicable",
    ),
    path("compacts/<id:pk>/signing/", year.signing, name="signing"),
    path("compacts/<id:pk>/documents/", year.document_upload, name="document_upload"),
    path("compacts/<id:pk>/documents/<str:field>/", year.document_download, name="document"),
    path("compacts/<id:pk>/status/", year.change_status, name="status"),
    path("compacts/<id:pk>/print/", year.compact_print, name="print"),
    path("compacts/<id:pk>/export/<str:report>/", exports.export, name="export"),
    path("compacts/<id:pk>/import/", exports.template_import, name="template_import"),
    path("compacts/<id:pk>/audit/", exports.audit, name="audit"),
    path("compacts/<id:pk>/audit.xlsx", exports.audit_export, name="audit_export"),
    path(
        "compacts/<id:pk>/units/<id:unit_pk>/criteria/<id:criterion_pk>/history/",
        exports.score_history,
        name="score_history",
    ),
    path("compacts/<id:pk>/review/", views_review.review_page, name="review"),
    path("compacts/<id:pk>/review/meeting/", views_review.review_meeting, name="review_meeting"),
    path(
        "compacts/<id:pk>/review/votes/<str:subject>/",
        views_review.review_vote,
        name="review_vote",
    ),
    path(
        "compacts/<id:pk>/review/votes/<id:vote_pk>/delete/",
        views_review.review_vote_delete,
        name="review_vote_delete",
    ),
    path(
        "compacts/<id:pk>/review/<str:document>/print/",
        views_review.review_print,
        name="review_print",
    ),
    path("compacts/<id:pk>/appeals/", views_review.appeals_page, name="appeals"),
    path("compacts/<id:pk>/appeals/publish/", views_review.publish_results, name="publish"),
    path("compacts/<id:pk>/appeals/lodge/", views_review.lodge_appeal, name="lodge_appeal"),
    path("compacts/<id:pk>/appeals/close/", views_review.close_appeals, name="close_appeals"),
    path(
        "compacts/<id:pk>/appeals/<id:appeal_pk>/answer/",
        views_review.answer_appeal,
        name="answer_appeal",
    ),
    path(
        "compacts/<id:pk>/appeals/<id:appeal_pk>/evidence/",
        views_review.appeal_evidence,
        name="appeal_evidence",
    ),
    path("compacts/<id:pk>/review/propose/", views_review.review_propose, name="review_propose"),
    path("compacts/<id:pk>/review/withdraw/", views_review.review_withdraw, name="review_withdraw"),
    path("compacts/<id:pk>/review/awards/", views_review.review_award_kind, name="review_award"),
    path(
        "compacts/<id:pk>/review/<str:document>.docx",
        views_review.review_document,
        name="review_document",
    ),
    path("units/<id:pk>/line/", lines.unit_line, name="unit_line"),
    path("units/mergers/new/", lines.merger_new, name="merger_new"),
    path("evidence/<id:pk>/", sheets.evidence_download, name="evidence"),
    path("evidence/<id:pk>/delete/", sheets.evidence_delete, name="evidence_delete"),
]
