"""The demo's criterion that does not apply to one unit, in 2018.

Quảng Ngãi had no airport of its own in 2018 (Chu Lai airport lies in Quảng Nam), so the
2018 scheme's new sub-criterion on fire safety at airports does not apply to PC07 Quảng Ngãi.
The 20 points come out of III.1.b (60 → 40), whose demo scores are scaled to match; the
units that had self-assessed also assess the new sub-criterion. 2018 ranks by percentage.
Idempotent, like the rest of the demo.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from .models import Compact, Criterion, NotApplicable, Score
from .ranking import Kind

CODE = "III.1.c"
TITLE = "Bảo đảm an toàn PCCC, sẵn sàng chữa cháy và CNCH tại cảng hàng không, sân bay trên địa bàn"
GUIDANCE = (
    "Chỉ áp dụng cho đơn vị có cảng hàng không, sân bay trên địa bàn; đơn vị không có được "
    "Thư ký Cụm đánh dấu “không áp dụng” và xếp hạng theo tỷ lệ % điểm tối đa áp dụng."
)
REASON = "Tỉnh Quảng Ngãi không có cảng hàng không, sân bay (sân bay Chu Lai thuộc tỉnh Quảng Nam)."
FROM_CODE, FROM_MAX, NEW_MAX = "III.1.b", Decimal(60), Decimal(40)
HALF = Decimal("0.5")


def add_not_applicable_2018(compact: Compact, units: dict, secretariat=None) -> None:
    source = Criterion.objects.get(compact=compact, code=FROM_CODE)
    source.max_points = NEW_MAX  # the demo's scheme (seeded again) says 60
    source.save(update_fields=["max_points"])
    if Criterion.objects.filter(compact=compact, code=CODE).exists():
        return
    for score in Score.objects.filter(criterion=source):
        for side in ("self", "verified"):
            value = getattr(score, f"{side}_value")
            if value is not None:
                scaled = (value * NEW_MAX / FROM_MAX / HALF).quantize(1, ROUND_HALF_UP) * HALF
                setattr(score, f"{side}_value", scaled)
                setattr(score, f"{side}_points", scaled)
        score.save()
    airport = Criterion.objects.create(
        compact=compact,
        parent=source.parent,
        code=CODE,
        title=TITLE,
        kind=Kind.JUDGED,
        max_points=FROM_MAX - NEW_MAX,
        position=source.position + 1,
        guidance=GUIDANCE,
    )
    # The units that had self-assessed their whole sheet assess this criterion too.
    for unit_id in (
        Score.objects.filter(criterion=source, self_value__isnull=False)
        .values_list("unit_id", flat=True)
        .distinct()
    ):
        value = Decimal(16) if unit_id % 2 else Decimal("17.5")
        Score.objects.create(
            compact=compact,
            unit_id=unit_id,
            criterion=airport,
            self_value=value,
            self_points=value,
            version=1,
        )
    NotApplicable.objects.create(
        compact=compact,
        unit=units["quangngai"],
        criterion=airport,
        reason=REASON,
        marked_by=secretariat,
        marked_at=timezone.now(),
    )
    compact.rank_by = Compact.RankBy.PERCENTAGE
    compact.save(update_fields=["rank_by"])
