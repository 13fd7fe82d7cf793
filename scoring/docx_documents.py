"""The year-end review's documents as Word files (python-docx), in the layout of Nghị định
30/2020/NĐ-CP: A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New
Roman 13–14; the issuing body top-left (managing body over the cluster, bold caps) with the
number below, the national title and motto top-right with the place and date in italics; a
bold title; the signature block bottom-right ("TM. CỤM THI ĐUA SỐ 12", the signatory's title,
space to sign, the name as entered).

The only module that imports python-docx. Documents are official Vietnamese text whatever the
interface language; numbers are written the Vietnamese way (1.050,5; 62,5 %).
"""

import io

from django.utils import translation
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .documents import MOTTO, NATIONAL_TITLE, administrative_date, issuing_body
from .models import Vote
from .ranking import format_points
from .review import ReviewState, format_percent

DOCUMENTS = {
    "minutes": "Biên bản họp bình xét",
    "ballot": "Biên bản kiểm phiếu",
    "proposal": "Tờ trình đề nghị khen thưởng",
}
FONT = "Times New Roman"
BODY_SIZE = Pt(14)
SMALL = Pt(13)
TABLE_SIZE = Pt(12)
WIDTH = Mm(210 - 30 - 15)  # the text width between the margins


def build(state: ReviewState, document: str) -> tuple[str, bytes]:
    """(file name, .docx bytes) of one of DOCUMENTS for the review in `state`."""
    with translation.override("vi"):
        doc = _new_document()
        {"minutes": _minutes, "ballot": _ballot, "proposal": _proposal}[document](doc, state)
        out = io.BytesIO()
        doc.save(out)
    compact = state.compact
    return f"{document}-cum{compact.cluster.number}-{compact.year}.docx", out.getvalue()


# --- Building blocks -----------------------------------------------------------------------------


def _new_document():
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = BODY_SIZE
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    return doc


def _paragraph(
    container,
    text="",
    *,
    bold=False,
    italic=False,
    size=BODY_SIZE,
    align=None,
    indent=False,
    before=0,
    after=0,
):
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, size
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(10)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.space_after = Pt(6)
    return p


def _rule(cell, width_mm):
    """The short horizontal line under a heading block, centred in its cell."""
    p = cell.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("\u2005" * 1)
    run.font.size = Pt(2)
    fmt = p.paragraph_format
    side = max(0, (cell.width.mm if cell.width else 80) - width_mm) / 2
    fmt.left_indent, fmt.right_indent = Mm(side), Mm(side)
    fmt.space_after = Pt(6)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p._p.get_or_add_pPr().append(borders)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _set_widths(table, widths_mm):
    """Fixed column widths: on the grid (LibreOffice reads it) and on every cell (Word)."""
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_text(
    cell, text, *, bold=False, italic=False, size=SMALL, align=WD_ALIGN_PARAGRAPH.CENTER
):
    p = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, size
    p.alignment = align
    return p


def _heading(doc, state: ReviewState, number: str, code: str):
    """The two-column heading: issuing body and number left; title, motto, place and date
    right."""
    compact, meeting = state.compact, state.meeting
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, (68, 97))
    left, right = table.rows[0].cells
    body, cluster = issuing_body(compact.cluster)
    _cell_text(left, body, size=SMALL)
    _cell_text(left, cluster, bold=True, size=SMALL)
    _rule(left, 25)
    _cell_text(left, f"Số: {number or '\u2003\u2003'}/{code}", size=SMALL)
    _cell_text(right, NATIONAL_TITLE, bold=True, size=Pt(12.5))
    _cell_text(right, MOTTO, bold=True, size=BODY_SIZE)
    _rule(right, 60)
    day = meeting.document_date or meeting.held_on
    place = meeting.document_place or meeting.place
    _cell_text(right, administrative_date(day, place), italic=True, size=BODY_SIZE)


def _title(doc, title, subtitle=""):
    _paragraph(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    if subtitle:
        _paragraph(doc, subtitle, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "", after=6)


def _data_table(doc, header, rows, widths_mm, *, left_columns=(1,)):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell_text(cell, text, bold=True, size=TABLE_SIZE)
    # The header row repeats on every page.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(cell, str(text), size=TABLE_SIZE, align=align)
    _set_widths(table, widths_mm)
    _paragraph(doc, "", after=6)
    return table


def _signatures(doc, state: ReviewState, *, left_title="", left_name="", recipients=()):
    """Bottom: recipients or a second signer on the left, the cluster's signatory right."""
    meeting = state.meeting
    _paragraph(doc, "", after=6)
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, (75, 90))
    # The signature block stays on one page.
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(cant_split)
    left, right = table.rows[0].cells
    if recipients:
        _cell_text(
            left, "Nơi nhận:", bold=True, italic=True, size=Pt(12), align=WD_ALIGN_PARAGRAPH.LEFT
        )
        for line in recipients:
            _cell_text(left, f"- {line};", size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    elif left_title:
        _cell_text(left, left_title, bold=True, size=BODY_SIZE)
        for _ in range(4):
            left.add_paragraph()
        _cell_text(left, left_name, bold=True, size=BODY_SIZE)
    _cell_text(right, f"TM. {state.compact.cluster.name.upper()}", bold=True, size=BODY_SIZE)
    _cell_text(right, (meeting.signatory_title or "CỤM TRƯỞNG").upper(), bold=True, size=BODY_SIZE)
    for _ in range(4):
        right.add_paragraph()
    _cell_text(right, meeting.signatory_name, bold=True, size=BODY_SIZE)


def _leader_unit_name(state: ReviewState) -> str:
    leader = next((m for m in state.members if m.role == "leader"), None)
    return state.names.get(leader.unit_id, "") if leader else ""


def _ranking_rows(state: ReviewState):
    return [
        (
            index,
            state.names[row.membership.unit_id],
            format_points(row.totals.content, grouping=True),
            format_points(row.totals.bonus, grouping=True),
            format_points(row.totals.deductions, grouping=True),
            format_points(row.totals.total, grouping=True),
            row.ranked.band,
            row.ranked.rank,
        )
        for index, row in enumerate(state.ranking.rows, start=1)
    ]


RANKING_HEADER = ("STT", "Đơn vị", "Nội dung", "Thưởng", "Trừ", "Tổng điểm", "Xếp loại", "Hạng")
RANKING_WIDTHS = (12, 47, 19, 20, 12, 19, 21, 15)


def _vote_heading(result) -> str:
    vote = result.vote
    subject = {
        Vote.Subject.LEADING: "Suy tôn đơn vị dẫn đầu phong trào thi đua",
        Vote.Subject.AWARD: f"Đề nghị {vote.award_kind.name if vote.award_kind else ''}",
        Vote.Subject.NEXT_LEADER: "Bầu đơn vị Cụm trưởng năm sau",
        Vote.Subject.NEXT_DEPUTY: "Bầu đơn vị Cụm phó năm sau",
    }[vote.subject]
    method = "bỏ phiếu kín" if vote.is_secret else "biểu quyết giơ tay"
    return f"{subject} (hình thức: {method})"


def _vote_table(doc, state, result):
    secret = result.vote.is_secret
    header = ["STT", "Đơn vị", "Số phiếu"]
    widths = [13, 67, 20]
    if secret:
        header.append("% phiếu hợp lệ")
        widths.append(22)
    header += ["% đơn vị thành viên", "Kết quả"]
    widths += [23, 20] if secret else [35, 30]
    rows = []
    for index, c in enumerate(result.candidates, start=1):
        row = [index, c.name, c.votes]
        if secret:
            row.append(format_percent(c.percent_of_valid))
        row += [format_percent(c.percent_of_members), "Đạt" if c.passed else "Không đạt"]
        rows.append(row)
    _data_table(doc, header, rows, widths)


def _ballot_counts(doc, result, members):
    vote = result.vote
    _paragraph(
        doc,
        f"Số phiếu phát ra: {vote.ballots_issued}/{members} đơn vị thành viên; số phiếu thu "
        f"về: {vote.ballots_returned}; số phiếu hợp lệ: {vote.ballots_valid}; số phiếu không "
        f"hợp lệ: {vote.ballots_invalid}.",
        indent=True,
    )


def _threshold_text(state) -> str:
    return (
        f"Đơn vị đạt khi được trên {format_percent(state.threshold)} tổng số đơn vị thành viên "
        f"của Cụm ({state.member_count} đơn vị) tán thành."
    )


# --- The documents -----------------------------------------------------------------------------


def _minutes(doc, state: ReviewState):
    compact, meeting = state.compact, state.meeting
    _heading(doc, state, meeting.minutes_number, "BB-CTĐ")
    _title(doc, "BIÊN BẢN", f"Họp bình xét, suy tôn thi đua năm {compact.year}")
    _paragraph(
        doc,
        f"Ngày {meeting.held_on:%d/%m/%Y}, tại {meeting.place}, {compact.cluster.name} tổ chức "
        f"hội nghị tổng kết phong trào thi đua “{compact.movement}” năm {compact.year}, bình "
        "xét, suy tôn và đề nghị khen thưởng.",
        indent=True,
    )
    _minutes_attendance(doc, state)
    _paragraph(doc, "II. NỘI DUNG", bold=True, before=6)
    for line in [x.strip() for x in meeting.agenda.splitlines() if x.strip()]:
        _paragraph(doc, line, indent=True)
    _minutes_results(doc, state)
    _minutes_awards(doc, state)
    _paragraph(
        doc,
        "Biên bản đã được thông qua tại hội nghị, các đại biểu nhất trí với nội dung biên bản.",
        indent=True,
        before=6,
    )
    _signatures(doc, state, left_title="THƯ KÝ", left_name=meeting.secretary)


def _minutes_attendance(doc, state: ReviewState):
    """Section I of the minutes: the chair, the secretary, the guests and who was present."""
    meeting = state.meeting
    _paragraph(doc, "I. THÀNH PHẦN THAM DỰ", bold=True, before=6)
    _paragraph(doc, f"Chủ trì: {meeting.chair}.", indent=True)
    _paragraph(doc, f"Thư ký: {meeting.secretary}.", indent=True)
    guests = [g.strip() for g in meeting.guests.splitlines() if g.strip()]
    if guests:
        _paragraph(doc, "Khách mời: " + "; ".join(guests) + ".", indent=True)
    _paragraph(
        doc,
        f"Đại diện các đơn vị thành viên có mặt: {len(state.attendance)}/{state.member_count} "
        "đơn vị.",
        indent=True,
    )
    if state.attendance:
        _data_table(
            doc,
            ("STT", "Đơn vị", "Người đại diện", "Chức vụ"),
            [
                (i, state.names.get(a.unit_id, a.unit.full_name), a.representative, a.title)
                for i, a in enumerate(state.attendance, start=1)
            ],
            (13, 58, 54, 40),
            left_columns=(1, 2, 3),
        )


def _minutes_results(doc, state: ReviewState):
    """Sections III and IV of the minutes: the ranking, the votes and the leading unit."""
    compact = state.compact
    _paragraph(doc, "III. KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG", bold=True, before=6)
    _data_table(doc, RANKING_HEADER, _ranking_rows(state), RANKING_WIDTHS)
    _paragraph(doc, "IV. KẾT QUẢ BÌNH XÉT, SUY TÔN", bold=True, before=6)
    _paragraph(doc, _threshold_text(state), indent=True)
    for result in state.votes:
        _paragraph(doc, _vote_heading(result), italic=True, indent=True)
        _vote_table(doc, state, result)
    if state.leading:
        _paragraph(
            doc,
            f"Hội nghị suy tôn {state.leading.name} là đơn vị dẫn đầu phong trào thi đua của "
            f"{compact.cluster.name} năm {compact.year}.",
            indent=True,
        )


def _minutes_awards(doc, state: ReviewState):
    """Sections V and VI of the minutes: the proposals and the next year's leader and deputy."""
    _paragraph(doc, "V. ĐỀ NGHỊ KHEN THƯỞNG", bold=True, before=6)
    for award in state.awards:
        names = [state.names.get(p.unit_id, str(p.unit)) for p in award.proposals]
        _paragraph(
            doc,
            f"{award.kind.name}: {', '.join(names) if names else 'không đề nghị'}.",
            indent=True,
        )
    if state.next_leader or state.next_deputy:
        _paragraph(
            doc, f"VI. BẦU CỤM TRƯỞNG, CỤM PHÓ NĂM {state.compact.year + 1}", bold=True, before=6
        )
        if state.next_leader:
            _paragraph(doc, f"Cụm trưởng: {state.next_leader.name}.", indent=True)
        if state.next_deputy:
            _paragraph(doc, f"Cụm phó: {state.next_deputy.name}.", indent=True)


def _ballot(doc, state: ReviewState):
    compact, meeting = state.compact, state.meeting
    _heading(doc, state, meeting.ballot_number, "BB-KP")
    _title(doc, "BIÊN BẢN KIỂM PHIẾU", f"Bình xét, suy tôn thi đua năm {compact.year}")
    _paragraph(
        doc,
        f"Ngày {meeting.held_on:%d/%m/%Y}, tại {meeting.place}, hội nghị tổng kết của "
        f"{compact.cluster.name} tiến hành bỏ phiếu, biểu quyết; kết quả như sau:",
        indent=True,
    )
    _paragraph(doc, _threshold_text(state), indent=True)
    for number, result in enumerate(state.votes, start=1):
        _paragraph(doc, f"{number}. {_vote_heading(result)}", bold=True, before=6)
        if result.vote.is_secret:
            _ballot_counts(doc, result, state.member_count)
        _vote_table(doc, state, result)
    if not state.votes:
        _paragraph(doc, "Chưa có kết quả biểu quyết.", indent=True)
    _signatures(doc, state, left_title="THƯ KÝ", left_name=meeting.secretary)


def proposal_rows(state: ReviewState, award, places) -> list[tuple]:
    """One award's proposals as the documents list them: number, unit, total, rank and
    votes (% of member units). `places` maps a unit id to its ranking row."""
    rows = []
    for index, p in enumerate(award.proposals, start=1):
        place = places.get(p.unit_id)
        votes = (
            next((c for c in award.vote.candidates if c.unit.pk == p.unit_id), None)
            if award.vote
            else None
        )
        rows.append(
            (
                index,
                state.names.get(p.unit_id, str(p.unit)),
                format_points(place.totals.total, grouping=True) if place else "",
                place.ranked.rank if place else "",
                f"{votes.votes} ({format_percent(votes.percent_of_members)})" if votes else "",
            )
        )
    return rows


def _proposal(doc, state: ReviewState):
    compact, meeting = state.compact, state.meeting
    _heading(doc, state, meeting.proposal_number, "TTr-CTĐ")
    _title(
        doc,
        "TỜ TRÌNH",
        f"Đề nghị khen thưởng phong trào thi đua “{compact.movement}” năm {compact.year}",
    )
    _paragraph(
        doc,
        "Kính gửi: Hội đồng Thi đua - Khen thưởng Bộ Công an",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
    )
    _paragraph(doc, "Căn cứ Luật Thi đua, khen thưởng năm 2022;", indent=True)
    _paragraph(
        doc,
        f"Căn cứ kết quả chấm điểm, xếp hạng và biên bản họp bình xét ngày "
        f"{meeting.held_on:%d/%m/%Y} của {compact.cluster.name},",
        indent=True,
    )
    leader = _leader_unit_name(state)
    _paragraph(
        doc,
        f"{leader + ', đơn vị Cụm trưởng ' if leader else ''}{compact.cluster.name} kính đề "
        "nghị Hội đồng Thi đua - Khen thưởng Bộ Công an xem xét, khen thưởng các đơn vị sau:",
        indent=True,
    )
    _proposal_awards(doc, state)
    _signatures(
        doc,
        state,
        recipients=("Như trên", "Các đơn vị thành viên Cụm", "Lưu: Cụm thi đua"),
    )
    doc.add_page_break()
    _proposal_appendix(doc, state)


def _proposal_awards(doc, state: ReviewState):
    """The proposal's list: each award with its proposed units, totals, ranks and votes."""
    places = {row.membership.unit_id: row for row in state.ranking.rows}
    for number, award in enumerate(state.awards, start=1):
        if not award.proposals:
            continue
        _paragraph(doc, f"{number}. {award.kind.name}", bold=True, before=6)
        rows = proposal_rows(state, award, places)
        _data_table(
            doc,
            ("STT", "Đơn vị", "Tổng điểm", "Hạng", "Số phiếu (% đơn vị)"),
            rows,
            (13, 74, 26, 16, 36),
        )
    _paragraph(
        doc,
        f"(Kèm theo bảng tổng hợp kết quả chấm điểm, xếp hạng năm {state.compact.year}.)",
        italic=True,
        indent=True,
    )


def _proposal_appendix(doc, state: ReviewState):
    """The proposal's appendix: the year's ranking table."""
    compact, meeting = state.compact, state.meeting
    _paragraph(doc, "PHỤ LỤC", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(
        doc,
        f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG NĂM {compact.year}",
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _paragraph(
        doc,
        f"(Kèm theo Tờ trình số {meeting.proposal_number or '\u2003\u2003'}/TTr-CTĐ của "
        f"{compact.cluster.name})",
        italic=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        after=6,
    )
    _data_table(doc, RANKING_HEADER, _ranking_rows(state), RANKING_WIDTHS)
