"""The demo's 2017 year-end review: the meeting, its votes, the award proposals within
quota, the 2018 leader (Khánh Hòa) and deputy (Nghệ An) elected, and the documents' numbers
and signatory. People are entered as roles, never invented names (the seed's one named
official belongs to the 2017 signing conference, not to this meeting).

Run through the review's own services, as a secretariat would; idempotent: a compact that
already has its review meeting is left alone.
"""

import datetime

from . import appeals, review
from .models import AwardKind, Publication, ReviewMeeting, Vote

REVIEW_DAY = datetime.date(2017, 12, 5)
PUBLISHED_ON = datetime.date(2017, 12, 6)
# The 2017 ranking of the demo: Thanh Hóa first, Quảng Ninh second, both Xuất sắc.
AWARDS = {
    AwardKind.Level.GOVERNMENT_FLAG: {"thanhhoa": 8},
    AwardKind.Level.MINISTRY_FLAG: {"quangninh": 7, "nghean": 1},
    AwardKind.Level.CERTIFICATE: {
        "nghean": 8,
        "bariavungtau": 7,
        "khanhhoa": 7,
        "thuathienhue": 6,
    },
}
ELECTIONS = {
    Vote.Subject.NEXT_LEADER: {"khanhhoa": 7, "nghean": 1},
    Vote.Subject.NEXT_DEPUTY: {"nghean": 7, "quangninh": 1},
}


def _role_of(unit, day) -> str:
    return f"Đại diện lãnh đạo {unit.names_on(day)[0]}"


def hold_review_2017(compact, units: dict, user) -> None:
    """The 2017 review of the demo's finalized compact (`units` by demo code), and the
    publication of its results to every member unit (no appeal was lodged)."""
    if not ReviewMeeting.objects.filter(compact=compact).exists():
        _meeting_and_votes(compact, units, user)
    if not Publication.objects.filter(compact=compact).exists():
        appeals.publish_results(
            compact=compact, user=user, published_on=PUBLISHED_ON, appeal_days=10
        )


def _meeting_and_votes(compact, units: dict, user) -> None:
    leader = units["thanhhoa"]
    review.save_meeting(
        compact=compact,
        user=user,
        held_on=REVIEW_DAY,
        place="Thanh Hóa",
        chair=_role_of(leader, REVIEW_DAY) + " (đơn vị Cụm trưởng)",
        secretary="Đại diện Thư ký Cụm thi đua số 12",
        guests="Đại diện Phòng Thi đua, khen thưởng, Tổng cục Chính trị Công an nhân dân",
        agenda=(
            "1. Tổng kết công tác thi đua năm 2017 của Cụm.\n"
            "2. Công bố kết quả chấm điểm và xếp hạng.\n"
            "3. Bình xét, suy tôn đơn vị dẫn đầu; bỏ phiếu đề nghị khen thưởng.\n"
            "4. Bầu Cụm trưởng, Cụm phó năm 2018."
        ),
        attendance=[(unit.pk, _role_of(unit, REVIEW_DAY), "") for unit in units.values()],
        minutes_number="01",
        ballot_number="02",
        proposal_number="03",
        document_place="Thanh Hóa",
        document_date=REVIEW_DAY,
        signatory_title="CỤM TRƯỞNG",
        signatory_name=_role_of(leader, REVIEW_DAY),
    )
    members = len(units)

    def secret(subject, counts, kind=None):
        review.record_vote(
            compact=compact,
            user=user,
            subject=subject,
            award_kind_id=kind.pk if kind else None,
            method=Vote.Method.SECRET,
            counts={units[code].pk: votes for code, votes in counts.items()},
            ballots_issued=members,
            ballots_returned=members,
            ballots_valid=members,
            ballots_invalid=0,
        )

    secret(Vote.Subject.LEADING, {"thanhhoa": 8})
    kinds = {k.level: k for k in AwardKind.objects.filter(compact=compact)}
    for level, counts in AWARDS.items():
        secret(Vote.Subject.AWARD, counts, kinds[level])
        for code, votes in counts.items():
            if votes * 2 > members:
                review.propose_award(
                    compact=compact,
                    user=user,
                    award_kind_id=kinds[level].pk,
                    unit_id=units[code].pk,
                )
    for subject, counts in ELECTIONS.items():
        secret(subject, counts)
