"""The demo units' lines through 2025, as the issue and the domain notes give them.

- 1/1/2025: Thừa Thiên Huế became thành phố Huế; its division's name follows (the earlier
  names stay as former names).
- 1/7/2025, NQ 202/2025/QH15 of the Quốc hội (12/6/2025): Bình Định merged into Gia Lai,
  Kon Tum into Quảng Ngãi, Ninh Thuận into Khánh Hòa, Bà Rịa - Vũng Tàu into Thành phố Hồ Chí
  Minh; the fire and rescue divisions (PC07) followed their provincial police.

Gia Lai, Kon Tum, Ninh Thuận and Thành phố Hồ Chí Minh exist only as predecessors or
successors: they belong to no cluster. Idempotent, like the rest of the demo.
"""

import datetime

from units.models import Unit, UnitName, UnitSuccession

from .demo_data import RENAMED_ON

HUE_FROM = datetime.date(2025, 1, 1)
MERGED_ON = datetime.date(2025, 7, 1)
RESOLUTION = {
    "decision": "NQ 202/2025/QH15",
    "decision_date": datetime.date(2025, 6, 12),
    "issuing_body": "Quốc hội",
}

# (absorbed unit's code, absorbing unit's code), the absorbing unit's province for new units.
MERGERS = [
    ("binhdinh", "gialai"),
    ("kontum", "quangngai"),
    ("ninhthuan", "khanhhoa"),
    ("bariavungtau", "hochiminh"),
]
OTHER_UNITS = {
    "gialai": ("tỉnh Gia Lai", "Gia Lai", True),
    "kontum": ("tỉnh Kon Tum", "Kon Tum", False),
    "ninhthuan": ("tỉnh Ninh Thuận", "Ninh Thuận", False),
    "hochiminh": ("Thành phố Hồ Chí Minh", "TP. Hồ Chí Minh", True),
}


def record_demo_lines(units: dict[str, Unit]) -> None:
    """Records the 2025 changes for the demo's eight units (`units` by demo code)."""
    units = units | {code: _other_unit(code, *spec) for code, spec in OTHER_UNITS.items()}
    _hue(units["thuathienhue"])
    for absorbed, absorbing in MERGERS:
        UnitSuccession.objects.update_or_create(
            predecessor=units[absorbed],
            successor=units[absorbing],
            defaults={
                "kind": UnitSuccession.Kind.MERGED,
                "effective_on": MERGED_ON,
                "closed_on": MERGED_ON,
                **RESOLUTION,
            },
        )
        units[absorbed].active = False
        units[absorbed].save(update_fields=["active"])


def _other_unit(code, police, short, active) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        code=f"pccc-{code}",
        defaults={
            "full_name": f"Phòng Cảnh sát PCCC và CNCH, Công an {police}",
            "short_name": f"PC07 {short}",
            "province": short,
            "active": active,
        },
    )
    return unit


def _hue(unit: Unit) -> None:
    """The division of Thừa Thiên Huế, named after the city from 1/1/2025."""
    UnitName.objects.update_or_create(
        unit=unit,
        valid_from=RENAMED_ON,
        defaults={
            "full_name": "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Thừa Thiên Huế",
            "short_name": "PC07 Thừa Thiên Huế",
            "valid_until": HUE_FROM - datetime.timedelta(days=1),
        },
    )
    unit.full_name = "Phòng Cảnh sát PCCC và CNCH, Công an thành phố Huế"
    unit.short_name = "PC07 Huế"
    unit.province = "Huế"
    unit.save(update_fields=["full_name", "short_name", "province"])
