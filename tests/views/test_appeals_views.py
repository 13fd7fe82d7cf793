"""Publication of the results and appeals, as pages: after publication every member unit's
officer reads the final ranking and every unit's breakdown; the secretariat publishes and
answers, an officer lodges its own unit's appeals, the leader reads (403 on writes), and
outsiders get 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Appeal, Compact, Publication, Score
from tests.factories import (
    ClusterFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    UserRoleFactory,
    build_compact,
    score,
)
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
S = Compact.Status


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


# --- The published 2017 results of the demo ------------------------------------------------------


def test_officer_reads_the_published_2017_ranking_and_another_units_breakdown(client, demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    assert Publication.objects.filter(compact=compact).exists()
    login(client, "pccc_nghean")
    page = client.get(reverse("scoring:dashboard", args=[compact.pk])).content.decode()
    assert "Chính thức" in page and "PCCC Thanh Hóa" in page and "PCCC Bình Định" in page
    assert "Bảng xếp hạng (Excel)" not in page  # the Excel reports stay the readers'
    thanh_hoa = Unit.objects.get(code="pccc-thanhhoa")
    report = client.get(reverse("scoring:unit_report", args=[compact.pk, thanh_hoa.pk]))
    assert report.status_code == 200
    assert "Cảnh sát PCCC tỉnh Thanh Hóa" in report.content.decode()
    data = client.get(reverse("scoring:ranking_json", args=[compact.pk])).json()
    assert len(data["ranking"]) == 8


def test_officer_of_another_cluster_and_unpublished_years_get_404(client, demo):
    compact_2017 = Compact.objects.get(cluster__number=12, year=2017)
    compact_2018 = Compact.objects.get(cluster__number=12, year=2018)
    stranger_unit = UnitFactory()
    MembershipFactory(cluster=ClusterFactory(), year=2017, unit=stranger_unit)
    stranger = UserFactory()
    UserRoleFactory(user=stranger, role="officer", unit=stranger_unit)
    client.force_login(stranger)
    thanh_hoa = Unit.objects.get(code="pccc-thanhhoa")
    assert client.get(reverse("scoring:dashboard", args=[compact_2017.pk])).status_code == 404
    assert (
        client.get(reverse("scoring:unit_report", args=[compact_2017.pk, thanh_hoa.pk])).status_code
        == 404
    )
    client.logout()
    login(client, "pccc_nghean")
    assert (
        client.get(reverse("scoring:unit_report", args=[compact_2018.pk, thanh_hoa.pk])).status_code
        == 404
    )
    # Publication opens the results, not the secretariat's pages.
    assert client.get(reverse("scoring:sheet", args=[compact_2017.pk])).status_code == 404


def test_leader_reads_the_ranking_and_the_officers_home_links_the_published_results(client, demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    login(client, "lanhdao")
    assert (
        "Bảng xếp hạng (Excel)"
        in client.get(reverse("scoring:dashboard", args=[compact.pk])).content.decode()
    )
    client.logout()
    login(client, "pccc_nghean")
    home = client.get(reverse("home")).content.decode()
    assert reverse("scoring:dashboard", args=[compact.pk]) in home
    assert "Kết quả đã công bố" in home


# --- Publishing and appealing through the pages -------------------------------------------------


@pytest.fixture
def year(client):
    """This year's compact, scoring closed, every score verified; appeals are lodged today."""
    compact, units, cr = build_compact(
        units=3, status=S.SCORING_CLOSED, year=datetime.date.today().year
    )
    for unit in units:
        for code in ("G1.1", "G1.2", "G2.1", "G2.2"):
            score(compact, unit, cr[code], 8, self_value=8)
    people = {}
    for name, role, kwargs in (
        ("secretariat", "secretariat", {"cluster": compact.cluster}),
        ("leader", "viewer", {"cluster": compact.cluster}),
        ("officer", "officer", {"unit": units[0]}),
        ("other_officer", "officer", {"unit": units[1]}),
    ):
        people[name] = UserFactory()
        UserRoleFactory(user=people[name], role=role, **kwargs)
    return compact, units, cr, people


def test_appeal_lodged_on_the_page_and_answered_by_the_secretariat(client, year):
    compact, units, cr, people = year
    today = datetime.date.today()
    client.force_login(people["secretariat"])
    mistyped = client.post(
        reverse("scoring:publish", args=[compact.pk]),
        {"published_on": "31/02/2026", "appeal_days": "-1"},
        follow=True,
    )
    assert "Nhập một ngày hợp lệ" in mistyped.content.decode()
    assert not Publication.objects.filter(compact=compact).exists()
    client.post(
        reverse("scoring:publish", args=[compact.pk]),
        {"published_on": today.isoformat(), "appeal_days": "7"},
    )
    assert Publication.objects.get(compact=compact).appeal_days == 7

    client.force_login(people["officer"])
    page = client.get(reverse("scoring:appeals", args=[compact.pk])).content.decode()
    assert "Gửi khiếu nại" in page and "G1.1" in page
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x", "application/pdf")
    client.post(
        reverse("scoring:lodge_appeal", args=[compact.pk]),
        {"criterion": cr["G1.1"].pk, "reason": "Thiếu điểm mô hình", "evidence": pdf},
    )
    appeal = Appeal.objects.get()
    assert (appeal.unit, appeal.reason) == (units[0], "Thiếu điểm mô hình")
    evidence = client.get(reverse("scoring:appeal_evidence", args=[compact.pk, appeal.pk]))
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 x"

    # Another member's officer neither sees the appeal nor its evidence, nor answers it.
    client.force_login(people["other_officer"])
    page = client.get(reverse("scoring:appeals", args=[compact.pk])).content.decode()
    assert "Thiếu điểm mô hình" not in page
    assert (
        client.get(reverse("scoring:appeal_evidence", args=[compact.pk, appeal.pk])).status_code
        == 404
    )
    answer_url = reverse("scoring:answer_appeal", args=[compact.pk, appeal.pk])
    upheld = {"decision": "upheld", "answer": "Đúng", "value": "9"}
    assert client.post(answer_url, upheld).status_code == 404
    client.force_login(people["leader"])
    assert client.post(answer_url, upheld).status_code == 403
    assert Appeal.objects.get().status == "open"

    client.force_login(people["secretariat"])
    undecided = client.post(answer_url, {"answer": "Đúng", "value": "9"}, follow=True)
    assert "Chọn chấp nhận hoặc không chấp nhận khiếu nại." in undecided.content.decode()
    assert Appeal.objects.get().status == "open"
    response = client.post(answer_url, upheld, follow=True)
    assert "Đã trả lời khiếu nại." in response.content.decode()
    assert (
        Score.objects.get(compact=compact, unit=units[0], criterion=cr["G1.1"]).verified_value == 9
    )
    client.force_login(people["officer"])
    page = client.get(reverse("scoring:appeals", args=[compact.pk])).content.decode()
    assert "chấp nhận" in page and "Đúng" in page


def test_officer_cannot_publish_and_an_outsider_gets_404(client, year):
    compact, _units, _cr, people = year
    client.force_login(people["officer"])
    url = reverse("scoring:publish", args=[compact.pk])
    assert client.post(url, {"published_on": "2017-12-06", "appeal_days": "5"}).status_code == 404
    client.force_login(people["leader"])
    assert client.post(url, {"published_on": "2017-12-06", "appeal_days": "5"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("scoring:appeals", args=[compact.pk])).status_code == 404
    assert not Publication.objects.exists()


def test_finalize_on_the_compact_page_is_refused_with_an_open_appeal(client, year):
    compact, units, cr, people = year
    Publication.objects.create(compact=compact, published_on=datetime.date.today(), appeal_days=5)
    Appeal.objects.create(
        compact=compact,
        unit=units[0],
        criterion=cr["G1.1"],
        reason="x",
        lodged_on=datetime.date.today(),
    )
    client.force_login(people["secretariat"])
    response = client.post(
        reverse("scoring:status", args=[compact.pk]), {"target": "finalized"}, follow=True
    )
    assert "Còn khiếu nại đang chờ trả lời" in response.content.decode()
    compact.refresh_from_db()
    assert compact.status == S.SCORING_CLOSED


def test_compact_page_offers_the_three_review_documents(client, demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    login(client, "thuky")
    page = client.get(reverse("scoring:compact", args=[compact.pk])).content.decode()
    for key in ("minutes", "ballot", "proposal"):
        assert reverse("scoring:review_document", args=[compact.pk, key]) in page
    response = client.get(reverse("scoring:review_document", args=[compact.pk, "proposal"]))
    assert response["Content-Disposition"] == 'attachment; filename="proposal-cum12-2017.docx"'
    other = Compact.objects.get(cluster__number=12, year=2018)
    page = client.get(reverse("scoring:compact", args=[other.pk])).content.decode()
    assert "data-review-documents" not in page
