"""The building blocks of the review's Word documents: the page, paragraphs, tables, the
official heading and signature block, and the rows (ranking, votes) the documents share."""

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ..documents import MOTTO, NATIONAL_TITLE, administrative_date, issuing_body
from ..models import Vote
from ..ranking import format_points
from ..review import ReviewState, format_percent

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
SMALL = Pt(13)
TABLE_SIZE = Pt(12)
WIDTH = Mm(210 - 30 - 15)  # the text width between the margins


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


def leader_unit_name(state: ReviewState) -> str:
    leader = next((m for m in state.members if m.role == "leader"), None)
    return state.names.get(leader.unit_id, "") if leader else ""


def ranking_rows(state: ReviewState):
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
        for index, row in enumerate(state.standings.rows, start=1)
    ]


RANKING_HEADER = ("STT", "Đơn vị", "Nội dung", "Thưởng", "Trừ", "Tổng điểm", "Xếp loại", "Hạng")
RANKING_WIDTHS = (12, 47, 19, 20, 12, 19, 21, 15)


def vote_heading(result) -> str:
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


def threshold_text(state) -> str:
    return (
        f"Đơn vị đạt khi được trên {format_percent(state.threshold)} tổng số đơn vị thành viên "
        f"của Cụm ({state.member_count} đơn vị) tán thành."
    )
