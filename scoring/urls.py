from django.urls import path

from . import views

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
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
