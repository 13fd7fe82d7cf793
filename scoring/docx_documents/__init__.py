"""The year-end review's documents as Word files (python-docx), in the layout of Nghị định
30/2020/NĐ-CP: A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New
Roman 13–14; the issuing body top-left (managing body over the cluster, bold caps) with the
number below, the national title and motto top-right with the place and date in italics; a
bold title; the signature block bottom-right ("TM. CỤM THI ĐUA SỐ 12", the signatory's title,
space to sign, the name as entered).

The only package that imports python-docx. Documents are official Vietnamese text whatever the
interface language; numbers are written the Vietnamese way (1.050,5; 62,5 %).

The package: `blocks` (the page, paragraphs, tables, heading and signatures, and the rows
the documents share) and `review` (the minutes, the ballot count and the proposal).
"""

import io

from django.utils import translation

from ..review import ReviewState
from .blocks import RANKING_HEADER, _new_document
from .review import _ballot, _minutes, _proposal, proposal_rows

__all__ = ["DOCUMENTS", "RANKING_HEADER", "build", "proposal_rows"]

DOCUMENTS = {
    "minutes": "Biên bản họp bình xét",
    "ballot": "Biên bản kiểm phiếu",
    "proposal": "Tờ trình đề nghị khen thưởng",
}


def build(state: ReviewState, document: str) -> tuple[str, bytes]:
    """(file name, .docx bytes) of one of DOCUMENTS for the review in `state`."""
    with translation.override("vi"):
        doc = _new_document()
        {"minutes": _minutes, "ballot": _ballot, "proposal": _proposal}[document](doc, state)
        out = io.BytesIO()
        doc.save(out)
    compact = state.compact
    return f"{document}-cum{compact.cluster.number}-{compact.year}.docx", out.getvalue()
