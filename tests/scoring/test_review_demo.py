"""The demo's 2017 year-end review (scoring/review_demo.py)."""

import io

import pytest
from docx import Document

from scoring import docx_documents, review
from scoring.demo import seed_demo
from scoring.models import AwardProposal, Compact, ReviewMeeting, Vote, VoteCount

pytestmark = pytest.mark.django_db


def state_2017():
    return review.review_state(Compact.objects.get(cluster__number=12, year=2017))


def test_demo_2017_review_elects_khanh_hoa_and_nghe_an_as_2018_demo_has_them(demo):
    state = state_2017()
    assert state.leading.unit.code == "pccc-thanhhoa"
    assert state.next_leader.unit.code == "pccc-khanhhoa"
    assert state.next_deputy.unit.code == "pccc-nghean"


def test_demo_2017_proposals_are_within_quota_and_eligible(demo):
    state = state_2017()
    proposed = {a.kind.level: sorted(p.unit.code for p in a.proposals) for a in state.awards}
    assert proposed == {
        "government_flag": ["pccc-thanhhoa"],
        "ministry_flag": ["pccc-quangninh"],
        "certificate": ["pccc-bariavungtau", "pccc-khanhhoa", "pccc-nghean", "pccc-thuathienhue"],
    }
    for award in state.awards:
        assert len(award.proposals) <= award.quota
        assert all(p.overridden == "" for p in award.proposals)


def test_demo_2017_people_are_roles_not_invented_names(demo):
    meeting = ReviewMeeting.objects.get(compact__year=2017)
    people = [meeting.chair, meeting.secretary, meeting.signatory_name] + [
        a.representative for a in meeting.attendance.all()
    ]
    assert all(p.startswith("Đại diện") for p in people), people
    assert meeting.chair.startswith("Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa")
    assert "Đỗ Ngọc Cẩn" not in meeting.guests
    assert meeting.attendance.count() == 8


def test_demo_2017_documents_carry_their_numbers_and_signatory(demo):
    state = state_2017()
    texts = {}
    for document in docx_documents.DOCUMENTS:
        _name, content = docx_documents.build(state, document)
        doc = Document(io.BytesIO(content))
        texts[document] = "\n".join(
            p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
        )
    assert "Số: 01/" in texts["minutes"]
    assert "Số: 02/" in texts["ballot"]
    assert "Số: 03/" in texts["proposal"]
    assert "Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa" in texts["proposal"]


def test_demo_review_is_not_repeated_by_a_second_seed(demo):
    counts = (Vote.objects.count(), VoteCount.objects.count(), AwardProposal.objects.count())
    seed_demo(password="demo-pass-123")
    assert (Vote.objects.count(), VoteCount.objects.count(), AwardProposal.objects.count()) == (
        counts
    )
    assert counts == (6, 12, 6)


def test_print_pages_carry_the_decree_heading_number_tables_and_signature(client, demo):
    from django.urls import reverse

    compact = Compact.objects.get(cluster__number=12, year=2017)
    client.login(username="thuky", password="demo-pass-123")
    pages = {
        document: client.get(
            reverse("scoring:review_print", args=[compact.pk, document])
        ).content.decode()
        for document in docx_documents.DOCUMENTS
    }
    for document, number in (
        ("minutes", "01/BB-CTĐ"),
        ("ballot", "02/BB-KP"),
        ("proposal", "03/TTr-CTĐ"),
    ):
        page = pages[document]
        assert f"Số: {number}" in page
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "CỤM THI ĐUA SỐ 12" in page
        assert "Thanh Hóa, ngày 05 tháng 12 năm 2017" in page
        assert "TM. CỤM THI ĐUA SỐ 12" in page
        assert "Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa" in page
    assert "Cụm trưởng: Cảnh sát PCCC tỉnh Khánh Hòa." in pages["minutes"]
    assert "947,77" in pages["minutes"]  # the ranking table, Vietnamese numbers
    assert "số phiếu hợp lệ: 8" in pages["ballot"]
    assert "Cờ thi đua của Bộ Công an" in pages["proposal"] and "PHỤ LỤC" in pages["proposal"]
    client.logout()
    client.login(username="pccc_nghean", password="demo-pass-123")
    url = reverse("scoring:review_print", args=[compact.pk, "minutes"])
    assert client.get(url).status_code == 404
