"""The year-end review's documents as print pages (HTML, A4, the layout of Nghị định 30): the
same content as the .docx files, from the same rows (scoring/docx_documents/)."""

from dataclasses import dataclass

from .docx_documents import DOCUMENTS, proposal_rows
from .docx_documents import blocks as docs
from .review import ReviewState, format_percent

CODES = {"minutes": "BB-CTĐ", "ballot": "BB-KP", "proposal": "TTr-CTĐ"}


@dataclass
class Table:
    header: list[str]
    rows: list[list]


def vote_table(result) -> Table:
    secret = result.vote.is_secret
    header = ["STT", "Đơn vị", "Số phiếu"] + (["% phiếu hợp lệ"] if secret else [])
    header += ["% đơn vị thành viên", "Kết quả"]
    rows = []
    for index, c in enumerate(result.candidates, start=1):
        row = [index, c.name, c.votes] + ([format_percent(c.percent_of_valid)] if secret else [])
        rows.append(
            [*row, format_percent(c.percent_of_members), "Đạt" if c.passed else "Không đạt"]
        )
    return Table(header, rows)


def context(state: ReviewState, document: str) -> dict:
    meeting = state.meeting
    number = {
        "minutes": meeting.minutes_number,
        "ballot": meeting.ballot_number,
        "proposal": meeting.proposal_number,
    }[document]
    places = {row.membership.unit_id: row for row in state.standings.rows}
    awards = []
    for award in state.awards:
        rows = proposal_rows(state, award, places)
        awards.append(
            {
                "kind": award.kind,
                "names": [state.names.get(p.unit_id, str(p.unit)) for p in award.proposals],
                "table": Table(["STT", "Đơn vị", "Tổng điểm", "Hạng", "Số phiếu (% đơn vị)"], rows),
            }
        )
    return {
        "document": document,
        "title": DOCUMENTS[document],
        "number": number,
        "code": CODES[document],
        "day": meeting.document_date or meeting.held_on,
        "place": meeting.document_place or meeting.place,
        "ranking": Table(list(docs.RANKING_HEADER), [list(r) for r in docs.ranking_rows(state)]),
        "votes": [
            {
                "heading": docs.vote_heading(r),
                "result": r,
                "table": vote_table(r),
            }
            for r in state.votes
        ],
        "threshold": docs.threshold_text(state),
        "attendance": [
            [i, state.names.get(a.unit_id, a.unit.full_name), a.representative, a.title]
            for i, a in enumerate(state.attendance, start=1)
        ],
        "guests": [g.strip() for g in meeting.guests.splitlines() if g.strip()],
        "agenda": [x.strip() for x in meeting.agenda.splitlines() if x.strip()],
        "awards": awards,
        "leader_unit": docs.leader_unit_name(state),
        "signatory_title": (meeting.signatory_title or "CỤM TRƯỞNG").upper(),
    }
