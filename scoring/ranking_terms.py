"""The terms a ranking is decided by: what units are ranked on (total points or the
percentage of the maximum that applies to them), the classification bands and the
tie-breakers. Pure functions over plain values; `ranking` re-exports them.

Rules, stated once:

- A unit's applicable maximum is the compact's whole scale (content maximum + bonus cap)
  less the maxima of the criteria that do not apply to it.
- Its percentage is total / applicable maximum × 100, rounded half-up to two decimals; 0
  when nothing applies (the services refuse that case before it is stored).
- Ranked by percentage, a unit's band is judged on its equivalent full-scale total:
  percentage × whole scale / 100. A unit to which everything applies keeps its own total
  as the equivalent, up to the percentage's rounding.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class RankBy(TextChoices):
    TOTAL = "total", gettext_lazy("total points")
    PERCENTAGE = "percentage", gettext_lazy("percentage of the applicable maximum")


def percent_of(total: Decimal, maximum: Decimal | None) -> Decimal | None:
    """total / maximum × 100, half-up to two decimals; None without a maximum, 0 when the
    maximum is 0 or less (nothing applies)."""
    if maximum is None:
        return None
    if maximum <= 0:
        return ZERO
    return (total * HUNDRED / maximum).quantize(CENT, rounding=ROUND_HALF_UP)


def equivalent_total(percent: Decimal, scale: Decimal) -> Decimal:
    """A percentage carried to the whole scale: 90 % of 1,000 → 900 (two decimals)."""
    return (percent * scale / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


FEWER_DEDUCTIONS = "fewer_deductions"
HIGHER_GROUPS = "higher_groups"  # written "higher_groups:II,III"
VOTE = "vote"  # not a setting: the review's acclamation vote, after every tie-breaker
DEFAULT_TIE_BREAKERS = [FEWER_DEDUCTIONS, f"{HIGHER_GROUPS}:II,III"]
DEFAULT_BANDS = [
    {"min": "900", "label": "Xuất sắc"},
    {"min": "800", "label": "Tốt"},
    {"min": "650", "label": "Khá"},
    {"min": "0", "label": "Chưa đạt"},
]


@dataclass(frozen=True)
class Band:
    minimum: Decimal
    label: str


def parse_bands(raw: list[dict]) -> list[Band]:
    """Bands from their stored form, highest first. Raises ValueError on a malformed one."""
    bands = [Band(minimum=Decimal(str(item["min"])), label=str(item["label"])) for item in raw]
    return sorted(bands, key=lambda band: band.minimum, reverse=True)


def band_for(total: Decimal, bands: list[Band]) -> str:
    """The label of the highest band whose minimum the total reaches; "" below every band."""
    for band in bands:
        if total >= band.minimum:
            return band.label
    return ""


def parse_tie_breaker(text: str) -> tuple[str, tuple[str, ...]]:
    """ "fewer_deductions" → ("fewer_deductions", ()); "higher_groups:II,III" →
    ("higher_groups", ("II", "III")). Raises ValueError on anything else."""
    name, _, args = text.partition(":")
    codes = tuple(code.strip() for code in args.split(",") if code.strip())
    if name == FEWER_DEDUCTIONS and not codes:
        return name, ()
    if name == HIGHER_GROUPS and codes:
        return name, codes
    raise ValueError(text)
