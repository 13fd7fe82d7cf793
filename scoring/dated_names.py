"""The one rule for the day whose unit names a page, export, document or API answer shows.

Units are renamed and merged (QĐ 4083/QĐ-BCA in August 2018, the provinces in 2025); a year
is printed with the names of its time:
- the compact and its signatures: the names on the signing day (before it is signed: today,
  kept within the compact's year);
- scores, rankings, reports, appeals, the audit log: the names on the year's last day, or on
  the day the results were finalized if that came first;
- the year-end review's meeting and its documents: the names on the day of the meeting (until
  one is held, as for the results).
"""

import datetime
import enum
from collections.abc import Iterable

from django.utils import timezone

from units.models import Unit
from units.names import show_names_on

from .models import Compact


class Shows(enum.Enum):
    SIGNING = "signing"
    RESULTS = "results"
    MEETING = "meeting"


def names_day(
    compact: Compact, shows: Shows, *, meeting_on: datetime.date | None = None
) -> datetime.date:
    """The day whose names a view of `compact` showing `shows` prints (see the module)."""
    last = results_day(compact.year, compact.finalized_on)
    if shows is Shows.SIGNING:
        if compact.signed_on is not None:
            return compact.signed_on
        return max(datetime.date(compact.year, 1, 1), min(timezone.localdate(), last))
    if shows is Shows.MEETING and meeting_on is not None:
        return meeting_on
    return last


def results_day(year: int, finalized_on: datetime.date | None) -> datetime.date:
    """The day of a year's results: its last day, or the finalization if that came first."""
    last = datetime.date(year, 12, 31)
    return last if finalized_on is None else min(last, finalized_on)


def show_names(
    compact: Compact,
    shows: Shows,
    units: Iterable[Unit | None],
    *,
    meeting_on: datetime.date | None = None,
) -> datetime.date:
    """Makes `units` print the names of `names_day(...)` (at most one query); returns the day."""
    day = names_day(compact, shows, meeting_on=meeting_on)
    show_names_on(units, day)
    return day
