"""The review's three documents: the minutes of the meeting, the ballot count and the
proposal for awards (with its appendix)."""

from docx.enum.text import WD_ALIGN_PARAGRAPH

from ..ranking import format_points
from ..review import ReviewState, format_percent
from .blocks import (
    RANKING_HEADER,
    RANKING_WIDTHS,
    _ballot_counts,
    _data_table,
    _heading,
    _paragraph,
    _signatures,
    _title,
    _vote_table,
    leader_unit_name,
    ranking_rows,
    threshold_text,
    vote_heading,
)


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
    _data_table(doc, RANKING_HEADER, ranking_rows(state), RANKING_WIDTHS)
    _paragraph(doc, "IV. KẾT QUẢ BÌNH XÉT, SUY TÔN", bold=True, before=6)
    _paragraph(doc, threshold_text(state), indent=True)
    for result in state.votes:
        _paragraph(doc, vote_heading(result), italic=True, indent=True)
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
    _paragraph(doc, threshold_text(state), indent=True)
    for number, result in enumerate(state.votes, start=1):
        _paragraph(doc, f"{number}. {vote_heading(result)}", bold=True, before=6)
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
    leader = leader_unit_name(state)
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
    places = {row.membership.unit_id: row for row in state.standings.rows}
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
    _data_table(doc, RANKING_HEADER, ranking_rows(state), RANKING_WIDTHS)
