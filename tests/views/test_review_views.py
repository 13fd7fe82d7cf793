"""The year-end review pages: the secretariat records it; the leader reads it and is refused
every write (403); a unit officer does not see it (404)."""

import io

import pytest
from django.urls import reverse
from docx import Document

from scoring.models import AwardKind, AwardProposal, Compact, ReviewMeeting, Vote
from tests.factories import set_aside_review
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


@pytest.fixture
def compact(demo):
    """The demo's 2017 compact with its review set aside: these tests record it afresh."""
    compact = Compact.objects.get(cluster__number=12, year=2017)
    set_aside_review(compact)
    return compact


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def meeting_post(compact):
    data = {
        "held_on": "2017-12-05",
        "place": "Thanh Hóa",
        "chair": "Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa",
        "secretary": "Đại diện Cảnh sát PCCC tỉnh Khánh Hòa",
        "threshold_percent": "50",
        "minutes_number": "05",
        "signatory_title": "Cụm trưởng",
        "signatory_name": "Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa",
    }
    for m in compact.memberships():
        data[f"present-{m.unit_id}"] = "on"
        data[f"rep-{m.unit_id}"] = "Đại diện lãnh đạo đơn vị"
    return data


def unit(code):
    return Unit.objects.get(code=code)


def test_secretariat_records_the_meeting_and_a_vote_and_sees_the_percentages(client, compact):
    login(client, "thuky")
    response = client.post(
        reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact)
    )
    assert response.status_code == 302
    meeting = ReviewMeeting.objects.get(compact=compact)
    assert meeting.attendance.count() == 8
    url = reverse("scoring:review_vote", args=[compact.pk, "leading"])
    response = client.post(
        url,
        {
            "method": "secret",
            "ballots_issued": "8",
            "ballots_returned": "8",
            "ballots_valid": "7",
            "ballots_invalid": "1",
            f"votes-{unit('pccc-thanhhoa').pk}": "7",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("scoring:review", args=[compact.pk])).content.decode()
    assert "87,5 %" in page  # 7 of 8 member units
    assert "100 %" in page  # 7 of 7 valid ballots
    assert "Đơn vị dẫn đầu: Cảnh sát PCCC tỉnh Thanh Hóa." in page
    # Who was present, by the names valid on the meeting's date (2017, before PC07).
    assert "PCCC Thanh Hóa (Đại diện lãnh đạo đơn vị)" in page


def test_mistyped_ballot_counts_are_shown_and_nothing_is_written(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    response = client.post(
        reverse("scoring:review_vote", args=[compact.pk, "leading"]),
        {
            "method": "secret",
            "ballots_issued": "8",
            "ballots_returned": "9",
            "ballots_valid": "9",
            "ballots_invalid": "0",
            f"votes-{unit('pccc-thanhhoa').pk}": "7",
        },
    )
    assert response.status_code == 200
    assert "Số phiếu thu về (9) nhiều hơn số phát ra (8)." in response.content.decode()
    assert Vote.objects.count() == 0


def test_meeting_without_its_chair_is_refused_with_a_message(client, compact):
    login(client, "thuky")
    data = meeting_post(compact) | {"chair": ""}
    response = client.post(reverse("scoring:review_meeting", args=[compact.pk]), data)
    assert "Nhập người chủ trì của cuộc họp." in response.content.decode()
    assert not ReviewMeeting.objects.filter(compact=compact).exists()


def test_proposal_refused_then_overridden_from_the_page(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    kind = AwardKind.objects.get(compact=compact, level="ministry_flag")
    propose = reverse("scoring:review_propose", args=[compact.pk])
    target = unit("pccc-binhdinh")  # band Tốt, no vote recorded
    response = client.post(propose, {"award_kind": kind.pk, "unit": target.pk}, follow=True)
    assert "chưa đủ điều kiện đề nghị Cờ thi đua của Bộ Công an" in response.content.decode()
    assert AwardProposal.objects.count() == 0
    response = client.post(
        propose,
        {"award_kind": kind.pk, "unit": target.pk, "override_reason": "Thành tích đột xuất"},
        follow=True,
    )
    proposal = AwardProposal.objects.get()
    assert proposal.override_reason == "Thành tích đột xuất"
    assert "Thành tích đột xuất" in response.content.decode()


def test_a_vote_is_deleted_and_a_proposal_withdrawn_from_the_page(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    client.post(
        reverse("scoring:review_vote", args=[compact.pk, "leading"]),
        {"method": "hands", f"votes-{unit('pccc-thanhhoa').pk}": "7"},
    )
    vote = Vote.objects.get(meeting__compact=compact)
    kind = AwardKind.objects.get(compact=compact, level="certificate")
    client.post(
        reverse("scoring:review_propose", args=[compact.pk]),
        {"award_kind": kind.pk, "unit": unit("pccc-binhdinh").pk, "override_reason": "Đột xuất"},
    )
    proposal = AwardProposal.objects.get(award_kind=kind)

    deleted = client.post(
        reverse("scoring:review_vote_delete", args=[compact.pk, vote.pk]), follow=True
    )
    withdrawn = client.post(
        reverse("scoring:review_withdraw", args=[compact.pk]),
        {"proposal": proposal.pk, "reason": "Đơn vị xin rút"},
        follow=True,
    )

    assert "Đã xóa kết quả biểu quyết." in deleted.content.decode()
    assert not Vote.objects.filter(pk=vote.pk).exists()
    assert "Đã rút đề nghị khen thưởng." in withdrawn.content.decode()
    assert not AwardProposal.objects.filter(pk=proposal.pk).exists()
    again = reverse("scoring:review_vote_delete", args=[compact.pk, vote.pk])
    assert client.post(again).status_code == 404
    missing = client.post(reverse("scoring:review_withdraw", args=[compact.pk]), {"proposal": ""})
    assert missing.status_code == 404


def test_unknown_vote_subjects_and_documents_are_not_found(client, compact):
    login(client, "thuky")
    assert (
        client.post(reverse("scoring:review_vote", args=[compact.pk, "mayor"])).status_code == 404
    )
    for name in ("scoring:review_document", "scoring:review_print"):
        assert client.get(reverse(name, args=[compact.pk, "diary"])).status_code == 404


def test_award_quota_is_changed_from_the_page(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    kind = AwardKind.objects.get(compact=compact, level="certificate")
    client.post(
        reverse("scoring:review_award", args=[compact.pk]),
        {"award_kind": kind.pk, "name": kind.name, "required_band": "", "quota_percent": "37,5"},
    )
    kind.refresh_from_db()
    assert str(kind.quota_percent) == "37.50"
    page = client.get(reverse("scoring:review", args=[compact.pk])).content.decode()
    assert "tối đa 3 đơn vị (37,5 % của 8 đơn vị thành viên)" in page


def test_documents_download_as_docx(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    response = client.get(reverse("scoring:review_document", args=[compact.pk, "minutes"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "minutes-cum12-2017.docx" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    assert "Số: 05/BB-CTĐ" in doc.tables[0].rows[0].cells[0].text


def test_leader_reads_the_review_but_every_write_is_refused(client, compact):
    login(client, "thuky")
    client.post(reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact))
    client.logout()
    login(client, "lanhdao")
    page = client.get(reverse("scoring:review", args=[compact.pk])).content.decode()
    assert "Thanh Hóa" in page
    assert reverse("scoring:review_meeting", args=[compact.pk]) not in page
    kind = AwardKind.objects.get(compact=compact, level="certificate")
    posts = {
        reverse("scoring:review_meeting", args=[compact.pk]): meeting_post(compact)
        | {"place": "Hà Nội"},
        reverse("scoring:review_vote", args=[compact.pk, "leading"]): {"method": "hands"},
        reverse("scoring:review_propose", args=[compact.pk]): {
            "award_kind": kind.pk,
            "unit": unit("pccc-thanhhoa").pk,
        },
        reverse("scoring:review_award", args=[compact.pk]): {"award_kind": kind.pk, "name": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
        assert client.get(url).status_code in (403, 405), url
    assert ReviewMeeting.objects.get().place == "Thanh Hóa"
    assert AwardProposal.objects.count() == 0
    response = client.get(reverse("scoring:review_document", args=[compact.pk, "ballot"]))
    assert response.status_code == 200


def test_unit_officer_does_not_see_the_review(client, compact):
    login(client, "pccc_nghean")
    assert client.get(reverse("scoring:review", args=[compact.pk])).status_code == 404
    url = reverse("scoring:review_meeting", args=[compact.pk])
    assert client.post(url, meeting_post(compact)).status_code == 404
    assert not ReviewMeeting.objects.filter(compact=compact).exists()


def test_review_is_not_recorded_while_scoring_is_open(client, demo):
    compact = Compact.objects.get(cluster__number=12, year=2018)
    login(client, "thuky")
    page = client.get(reverse("scoring:review", args=[compact.pk])).content.decode()
    assert "Chỉ ghi bình xét cuối năm sau khi khóa chấm điểm" in page
    response = client.post(
        reverse("scoring:review_meeting", args=[compact.pk]), meeting_post(compact)
    )
    assert "Chỉ ghi bình xét cuối năm sau khi khóa chấm điểm" in response.content.decode()
    assert not ReviewMeeting.objects.filter(compact=compact).exists()
