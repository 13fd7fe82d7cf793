"""The demo's people. Real units' representatives are entered as their roles ("Lãnh đạo
Cảnh sát PCCC tỉnh Nghệ An"), never as invented names, until a secretariat types the real
ones; the only person the demo names is the one its sources name: the guest of the 2017
signing conference.
"""

import datetime

from .demo_data import RENAMED_ON

# The 2017 signing conference of Cụm 12, as the seed article reports it.
SIGNING_GUESTS_2017 = "Thiếu tướng Đỗ Ngọc Cẩn, Phó Tổng cục trưởng Tổng cục Chính trị CAND"


def signatory(unit, day: datetime.date) -> dict:
    """A member's signatory on `day`, as a role: the head of the unit under its name of that
    day. Until the reorganisation of August 2018 (QĐ 4083/QĐ-BCA) the units were
    departments headed by a Giám đốc; since then, divisions headed by a Trưởng phòng."""
    full_name = unit.names_on(day)[0]
    return {
        "representative": f"Lãnh đạo {full_name}",
        "title": "Giám đốc" if day < RENAMED_ON else "Trưởng phòng",
    }


def record_signing_guests(compact_2017) -> None:
    """The 2017 conference's named guest, unless the secretariat already wrote the guests."""
    if not compact_2017.signing_guests:
        compact_2017.signing_guests = SIGNING_GUESTS_2017
        compact_2017.save(update_fields=["signing_guests"])
