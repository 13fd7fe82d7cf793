from django.urls import path

from . import views, views_review, views_year

app_name = "scoring"

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("compacts/<int:pk>/", views.compact_overview, name="compact"),
    path("compacts/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("compacts/<int:pk>/ranking.json", views.ranking_json, name="ranking_json"),
    path("compacts/<int:pk>/units/<int:unit_pk>/report/", views.unit_report, name="unit_report"),
    path("compacts/<int:pk>/sheet/", views.sheet, name="sheet"),
    path("compacts/<int:pk>/units/<int:unit_pk>/", views.unit_sheet, name="unit"),
    path("compacts/<int:pk>/units/<int:unit_pk>/accept/", views.accept_self, name="accept"),
    path("compacts/<int:pk>/units/<int:unit_pk>/return/", views.return_self, name="return"),
    path("compacts/<int:pk>/units/<int:unit_pk>/verified/", views.mark_verified, name="verified"),
    path("compacts/<int:pk>/self/", views.self_assessment, name="self"),
    path("compacts/<int:pk>/self/submit/", views.submit_self, name="submit"),
    path("clusters/<int:cluster_pk>/new-year/", views_year.start_year, name="start_year"),
    path("compacts/<int:pk>/members/", views_year.members, name="members"),
    path("compacts/<int:pk>/settings/", views_year.settings_view, name="settings"),
    path("compacts/<int:pk>/scheme/", views_year.scheme, name="scheme"),
    path("compacts/<int:pk>/scheme/import/", views_year.scheme_import, name="scheme_import"),
    path("compacts/<int:pk>/scheme/renumber/", views_year.renumber, name="renumber"),
    path(
        "compacts/<int:pk>/scheme/<int:criterion_pk>/", views_year.criterion_edit, name="criterion"
    ),
    path(
        "compacts/<int:pk>/scheme/<int:criterion_pk>/move/",
        views_year.criterion_move,
        name="criterion_move",
    ),
    path(
        "compacts/<int:pk>/scheme/<int:criterion_pk>/delete/",
        views_year.criterion_delete,
        name="criterion_delete",
    ),
    path("compacts/<int:pk>/targets/", views_year.targets, name="targets"),
    path("compacts/<int:pk>/signing/", views_year.signing, name="signing"),
    path("compacts/<int:pk>/documents/", views_year.document_upload, name="document_upload"),
    path("compacts/<int:pk>/documents/<str:field>/", views_year.document_download, name="document"),
    path("compacts/<int:pk>/status/", views_year.change_status, name="status"),
    path("compacts/<int:pk>/print/", views_year.compact_print, name="print"),
    path("compacts/<int:pk>/export/<str:report>/", views_year.export, name="export"),
    path("compacts/<int:pk>/import/", views_year.template_import, name="template_import"),
    path("compacts/<int:pk>/audit/", views_year.audit, name="audit"),
    path("compacts/<int:pk>/audit.xlsx", views_year.audit_export, name="audit_export"),
    path(
        "compacts/<int:pk>/units/<int:unit_pk>/criteria/<int:criterion_pk>/history/",
        views_year.score_history,
        name="score_history",
    ),
    path("compacts/<int:pk>/review/", views_review.review_page, name="review"),
    path("compacts/<int:pk>/review/meeting/", views_review.review_meeting, name="review_meeting"),
    path(
        "compacts/<int:pk>/review/votes/<str:subject>/",
        views_review.review_vote,
        name="review_vote",
    ),
    path(
        "compacts/<int:pk>/review/votes/<int:vote_pk>/delete/",
        views_review.review_vote_delete,
        name="review_vote_delete",
    ),
    path("compacts/<int:pk>/review/propose/", views_review.review_propose, name="review_propose"),
    path(
        "compacts/<int:pk>/review/withdraw/", views_review.review_withdraw, name="review_withdraw"
    ),
    path("compacts/<int:pk>/review/awards/", views_review.review_award_kind, name="review_award"),
    path(
        "compacts/<int:pk>/review/<str:document>.docx",
        views_review.review_document,
        name="review_document",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
