from django.urls import path, register_converter

from . import views, views_review, views_year
from .params import IdConverter

register_converter(IdConverter, "id")  # ids beyond the database's range: 404

app_name = "scoring"

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("compacts/<id:pk>/", views.compact_overview, name="compact"),
    path("compacts/<id:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("compacts/<id:pk>/ranking.json", views.ranking_json, name="ranking_json"),
    path("compacts/<id:pk>/units/<id:unit_pk>/report/", views.unit_report, name="unit_report"),
    path("compacts/<id:pk>/sheet/", views.sheet, name="sheet"),
    path("compacts/<id:pk>/units/<id:unit_pk>/", views.unit_sheet, name="unit"),
    path("compacts/<id:pk>/units/<id:unit_pk>/accept/", views.accept_self, name="accept"),
    path("compacts/<id:pk>/units/<id:unit_pk>/return/", views.return_self, name="return"),
    path("compacts/<id:pk>/units/<id:unit_pk>/verified/", views.mark_verified, name="verified"),
    path("compacts/<id:pk>/self/", views.self_assessment, name="self"),
    path("compacts/<id:pk>/self/submit/", views.submit_self, name="submit"),
    path("clusters/<id:cluster_pk>/new-year/", views_year.start_year, name="start_year"),
    path("compacts/<id:pk>/members/", views_year.members, name="members"),
    path("compacts/<id:pk>/settings/", views_year.settings_view, name="settings"),
    path("compacts/<id:pk>/scheme/", views_year.scheme, name="scheme"),
    path("compacts/<id:pk>/scheme/import/", views_year.scheme_import, name="scheme_import"),
    path("compacts/<id:pk>/scheme/renumber/", views_year.renumber, name="renumber"),
    path("compacts/<id:pk>/scheme/<id:criterion_pk>/", views_year.criterion_edit, name="criterion"),
    path(
        "compacts/<id:pk>/scheme/<id:criterion_pk>/move/",
        views_year.criterion_move,
        name="criterion_move",
    ),
    path(
        "compacts/<id:pk>/scheme/<id:criterion_pk>/delete/",
        views_year.criterion_delete,
        name="criterion_delete",
    ),
    path("compacts/<id:pk>/targets/", views_year.targets, name="targets"),
    path("compacts/<id:pk>/signing/", views_year.signing, name="signing"),
    path("compacts/<id:pk>/documents/", views_year.document_upload, name="document_upload"),
    path("compacts/<id:pk>/documents/<str:field>/", views_year.document_download, name="document"),
    path("compacts/<id:pk>/status/", views_year.change_status, name="status"),
    path("compacts/<id:pk>/print/", views_year.compact_print, name="print"),
    path("compacts/<id:pk>/export/<str:report>/", views_year.export, name="export"),
    path("compacts/<id:pk>/import/", views_year.template_import, name="template_import"),
    path("compacts/<id:pk>/audit/", views_year.audit, name="audit"),
    path("compacts/<id:pk>/audit.xlsx", views_year.audit_export, name="audit_export"),
    path(
        "compacts/<id:pk>/units/<id:unit_pk>/criteria/<id:criterion_pk>/history/",
        views_year.score_history,
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
    path("evidence/<id:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<id:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
