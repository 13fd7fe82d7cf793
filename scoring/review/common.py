"""What the review's reads and writes share: the statuses it is held in, percentages, the
passing rule and award quotas, and the check that the review is open (for a write)."""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from ..models import AwardKind, Compact
from ..ranking import format_points
from ..services import ServiceError

S = Compact.Status
REVIEW_STATUSES = (S.SCORING_CLOSED, S.FINALIZED)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with two decimals; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    return "" if value is None else f"{format_points(value, grouping=True)} %"


def passes(votes: int, members: int, threshold: Decimal) -> bool:
    return members > 0 and Decimal(votes) * HUNDRED > threshold * members


def quota_of(kind: AwardKind, members: int) -> int | None:
    """How many units the award's quota allows; None without a quota."""
    if kind.quota_count is not None:
        return kind.quota_count
    if kind.quota_percent is not None:
        return math.floor(kind.quota_percent * members / HUNDRED)
    return None


def quota_text(kind: AwardKind, members: int) -> str:
    allowed = quota_of(kind, members)
    if allowed is None:
        return _("no quota")
    if kind.quota_percent is not None:
        return _("at most %(count)s units (%(percent)s of %(members)s member units)") % {
            "count": allowed,
            "percent": format_percent(kind.quota_percent),
            "members": members,
        }
    return _("at most %(count)s units") % {"count": allowed}


def check_review_open(compact: Compact) -> Compact:
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if compact.status not in REVIEW_STATUSES:
        raise ServiceError(
            _("The year-end review is recorded once scoring is closed (status now: %(status)s).")
            % {"status": compact.get_status_display()}
        )
    return compact
