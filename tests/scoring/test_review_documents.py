"""The review's documents (.docx): opened with python-docx, their heading, number, date,
tables and signature checked; and `export_report --report minutes|ballot|proposal`."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from docx import Document

from scoring import docx_documents, review
from scoring.models import AwardKind, Compact, Vote
from tests.factories import set_aside_review
from tests.programs import convert_with_libreoffice
from units.models import Unit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2017, 12, 5)


def hold_review(compact, user):
    """The 2017 review of the demo, as a secretariat would record it: everyone present
    (representatives entered as roles), five votes, four proposals within the quotas."""
    units = {u.code.removeprefix("pccc-"): u for u in Unit.objects.all()}
    review.save_meeting(
        compact=compact,
        user=user,
        held_on=DAY,
        place="Thanh Hóa",
        chair="Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa",
        secretary="Đại diện Cảnh sát PCCC tỉnh Khánh Hòa",
        guests="Đại diện Tổng cục Chính trị Công an nhân dân",
        agenda="Tổng kết phong trào thi đua năm 2017.\nBình xét, suy tôn và đề nghị khen thưởng.",
        attendance=[
            (m.unit_id, f"Đại diện lãnh đạo {m.unit.names_on(DAY)[0]}", "")
            for m in compact.memberships().select_related("unit")
        ],
        minutes_number="05",
        ballot_number="06",
        proposal_number="07",
        signatory_title="Cụm trưởng",
        signatory_name="Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa",
    )
    kinds = {k.level: k for k in AwardKind.objects.filter(compact=compact)}

    def secret(subject, counts, kind=None, valid=8, invalid=0):
        review.record_vote(
            compact=compact,
            user=user,
            subject=subject,
            method=Vote.Method.SECRET,
            award_kind_id=kind.pk if kind else None,
            counts={units[code].pk: n for code, n in counts.items()},
            ballots_issued=8,
            ballots_returned=valid + invalid,
            ballots_valid=valid,
            ballots_invalid=invalid,
        )

    secret(Vote.Subject.LEADING, {"thanhhoa": 7, "quangninh": 1})
    secret(Vote.Subject.AWARD, {"thanhhoa": 8}, kinds["government_flag"])
    secret(Vote.Subject.AWARD, {"quangninh": 6, "nghean": 5}, kinds["ministry_flag"])
    review.record_vote(
        compact=compact,
        user=user,
        subject=Vote.Subject.AWARD,
        method=Vote.Method.HANDS,
        award_kind_id=kinds["certificate"].pk,
        counts={units["bariavungtau"].pk: 6, units["khanhhoa"].pk: 6, units["thuathienhue"].pk: 4},
    )
    secret(Vote.Subject.NEXT_LEADER, {"khanhhoa": 6, "nghean": 1}, valid=7, invalid=1)
    secret(Vote.Subject.NEXT_DEPUTY, {"nghean": 7}, valid=7, invalid=1)
    for level, code in [
        ("government_flag", "thanhhoa"),
        ("ministry_flag", "quangninh"),
        ("certificate", "bariavungtau"),
        ("certificate", "khanhhoa"),
    ]:
        review.propose_award(
            compact=compact, user=user, award_kind_id=kinds[level].pk, unit_id=units[code].pk
        )


@pytest.fixture
def held(demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    set_aside_review(compact)  # the demo's own review; these tests hold theirs
    hold_review(compact, get_user_model().objects.get(username="thuky"))
    return review.review_state(compact)


def open_docx(state, document):
    _name, content = docx_documents.build(state, document)
    return Document(io.BytesIO(content))


def cell_lines(cell):
    return [p.text for p in cell.paragraphs if p.text.strip()]


def table_rows(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_review_state_of_the_demo_review(held):
    assert held.leading.name == "Cảnh sát PCCC tỉnh Thanh Hóa"
    assert held.next_leader.name == "Cảnh sát PCCC tỉnh Khánh Hòa"
    assert held.next_deputy.name == "Cảnh sát PCCC tỉnh Nghệ An"
    assert [(a.kind.level, len(a.proposals)) for a in held.awards] == [
        ("government_flag", 1),
        ("ministry_flag", 1),
        ("certificate", 2),
    ]


@pytest.mark.parametrize(
    ("document", "number", "title"),
    [
        ("minutes", "Số: 05/BB-CTĐ", "BIÊN BẢN"),
        ("ballot", "Số: 06/BB-KP", "BIÊN BẢN KIỂM PHIẾU"),
        ("proposal", "Số: 07/TTr-CTĐ", "TỜ TRÌNH"),
    ],
)
def test_every_document_has_the_decree_heading_and_signature(held, document, number, title):
    doc = open_docx(held, document)
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [20, 20]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [30, 15]
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert doc.styles["Normal"].font.size.pt == 14
    left, right = doc.tables[0].rows[0].cells
    assert cell_lines(left) == ["BỘ CÔNG AN", "CỤM THI ĐUA SỐ 12", number]
    assert [r.bold for p in left.paragraphs[1:2] for r in p.runs] == [True]
    assert cell_lines(right) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Hóa, ngày 05 tháng 12 năm 2017",
    ]
    date_runs = next(p for p in right.paragraphs if p.text.startswith("Thanh Hóa")).runs
    assert all(r.italic for r in date_runs)
    assert title in [p.text for p in doc.paragraphs]
    signature = next(t for t in doc.tables if "TM. CỤM THI ĐUA SỐ 12" in t.rows[0].cells[1].text)
    assert cell_lines(signature.rows[0].cells[1]) == [
        "TM. CỤM THI ĐUA SỐ 12",
        "CỤM TRƯỞNG",
        "Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa",
    ]


def test_minutes_list_who_was_present_the_ranking_and_the_votes(held):
    doc = open_docx(held, "minutes")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Chủ trì: Đại diện lãnh đạo Cảnh sát PCCC tỉnh Thanh Hóa." in text
    assert "Đại diện các đơn vị thành viên có mặt: 8/8 đơn vị." in text
    assert "Đơn vị đạt khi được trên 50 % tổng số đơn vị thành viên" in text
    assert "Cụm trưởng: Cảnh sát PCCC tỉnh Khánh Hòa." in text
    attendance = table_rows(doc.tables[1])
    assert attendance[0] == ["STT", "Đơn vị", "Người đại diện", "Chức vụ"]
    assert len(attendance) == 9
    # Names valid on the meeting's date (2017: Cảnh sát PCCC tỉnh …, not PC07).
    assert attendance[1][1].startswith("Cảnh sát PCCC tỉnh")
    ranking = table_rows(doc.tables[2])
    assert ranking[1] == [
        "1",
        "Cảnh sát PCCC tỉnh Thanh Hóa",
        ranking[1][2],
        ranking[1][3],
        ranking[1][4],
        "947,77",
        "Xuất sắc",
        "1",
    ]
    leading = table_rows(doc.tables[3])
    assert leading[0] == [
        "STT",
        "Đơn vị",
        "Số phiếu",
        "% phiếu hợp lệ",
        "% đơn vị thành viên",
        "Kết quả",
    ]
    assert leading[1] == ["1", "Cảnh sát PCCC tỉnh Thanh Hóa", "7", "87,5 %", "87,5 %", "Đạt"]
    assert leading[2] == [
        "2",
        "Cảnh sát PCCC tỉnh Quảng Ninh",
        "1",
        "12,5 %",
        "12,5 %",
        "Không đạt",
    ]


def test_ballot_record_gives_the_ballot_counts(held):
    doc = open_docx(held, "ballot")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        "Số phiếu phát ra: 8/8 đơn vị thành viên; số phiếu thu về: 8; số phiếu hợp lệ: 7; "
        "số phiếu không hợp lệ: 1."
    ) in text
    assert "biểu quyết giơ tay" in text
    election = next(
        t
        for t in doc.tables[1:]
        if t.rows[1].cells[1].text == "Cảnh sát PCCC tỉnh Khánh Hòa" and len(t.rows) == 3
    )
    assert table_rows(election)[1][2:] == ["6", "85,71 %", "75 %", "Đạt"]


def test_award_request_lists_proposals_and_attaches_the_ranking(held):
    doc = open_docx(held, "proposal")
    text = [p.text for p in doc.paragraphs]
    assert "Kính gửi: Hội đồng Thi đua - Khen thưởng Bộ Công an" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG NĂM 2017" in text
    certificate = next(
        t
        for t in doc.tables
        if t.rows[0].cells[-1].text == "Số phiếu (% đơn vị)" and len(t.rows) == 3
    )
    assert [row[1] for row in table_rows(certificate)[1:]] == [
        "Cảnh sát PCCC tỉnh Bà Rịa - Vũng Tàu",
        "Cảnh sát PCCC tỉnh Khánh Hòa",
    ]
    assert table_rows(certificate)[1][4] == "6 (75 %)"
    annex = doc.tables[-1]
    assert table_rows(annex)[0] == list(docx_documents.RANKING_HEADER)
    assert len(annex.rows) == 9
    assert [row[1] for row in table_rows(annex)[1:3]] == [
        "Cảnh sát PCCC tỉnh Thanh Hóa",
        "Cảnh sát PCCC tỉnh Quảng Ninh",
    ]


def test_export_report_writes_each_document(held, tmp_path):
    for document in docx_documents.DOCUMENTS:
        path = tmp_path / f"{document}.docx"
        call_command(
            "export_report",
            "--cluster", "12", "--year", "2017", "--report", document, "--output", str(path),
        )  # fmt: skip
        doc = Document(str(path))
        assert cell_lines(doc.tables[0].rows[0].cells[0])[1] == "CỤM THI ĐUA SỐ 12"


def test_export_report_without_a_meeting_says_so(demo, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No review meeting"):
        call_command(
            "export_report",
            "--cluster", "12", "--year", "2018", "--report", "minutes",
            "--output", str(tmp_path / "x.docx"),
        )  # fmt: skip
    assert not (tmp_path / "x.docx").exists()


def test_documents_convert_to_pdf_with_libreoffice(held, tmp_path, libreoffice_profile):
    sources = []
    for document in docx_documents.DOCUMENTS:
        _name, content = docx_documents.build(held, document)
        sources.append(tmp_path / f"{document}.docx")
        sources[-1].write_bytes(content)
    pdfs = convert_with_libreoffice(
        sources,
        to="pdf",
        profile=libreoffice_profile,
        install="apt-get install -y libreoffice-writer-nogui",
    )
    assert [pdf[:4] for pdf in pdfs] == [b"%PDF"] * len(docx_documents.DOCUMENTS)


def test_signatory_title_defaults_to_cluster_leader(held):
    held.meeting.signatory_title = ""
    doc = open_docx(held, "ballot")
    assert "CỤM TRƯỞNG" in doc.tables[-1].rows[0].cells[1].text
