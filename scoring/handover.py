"""Next year's leader and deputy: starting next year's compact takes over those the year-end
review elected, and records the handover with its date.

Rules, stated once:
- the review's election decides (scoring/review/: a candidate passes the threshold and
  has more votes than every other); starting the next year pre-fills them, and takes them
  over when no leader and deputy are given;
- the handover names the outgoing leader and deputy (the source year's), the incoming ones,
  whether they are those elected, and the date; it is recorded on both compacts' events;
- the rights follow (scoring/access.py): a secretariat bound to a unit manages the years its
  unit leads, and keeps read access to them afterwards.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.models import Membership, Unit

from . import lifecycle, review
from .models import Compact, CompactEvent, Handover, ReviewMeeting


def elected_for_next_year(compact: Compact | None) -> tuple[Unit | None, Unit | None]:
    """(leader, deputy) that the compact's year-end review elected for the next year."""
    if compact is None or not ReviewMeeting.objects.filter(compact=compact).exists():
        return None, None
    state = review.review_state(compact)
    leader, deputy = state.next_leader, state.next_deputy
    return (leader.unit if leader else None, deputy.unit if deputy else None)


@transaction.atomic
def start_year(*, today: datetime.date | None = None, **year) -> Compact:
    """lifecycle.start_year (with its keyword arguments: cluster, year, user, source,
    unit_ids, leader_id, deputy_id), taking over the leader and deputy the source's review
    elected (when none are given), and recording the handover on `today`."""
    source, user = year["source"], year["user"]
    elected_leader, elected_deputy = elected_for_next_year(source)
    leader_id, deputy_id = year["leader_id"], year["deputy_id"]
    if leader_id is None and deputy_id is None and (elected_leader or elected_deputy):
        leader_id = elected_leader.pk if elected_leader else None
        deputy_id = elected_deputy.pk if elected_deputy else None
        year["unit_ids"] = list(year["unit_ids"]) + [u for u in (leader_id, deputy_id) if u]
    compact = lifecycle.start_year(**(year | {"leader_id": leader_id, "deputy_id": deputy_id}))
    if source is None:
        return compact
    handover = _record_handover(
        compact,
        source,
        user=user,
        roles=(leader_id, deputy_id),
        elected=(elected_leader, elected_deputy),
        day=today or timezone.localdate(),
    )
    summary = _handover_summary(handover)
    for target in (source, compact):
        lifecycle.record_event(target, kind=CompactEvent.Kind.REVIEW, user=user, summary=summary)
    return compact


def _record_handover(compact, source, *, user, roles, elected, day) -> Handover:
    """The handover from the source year's leader and deputy to `roles` (leader id, deputy
    id); `as_elected` when they are the ones the review elected."""
    leader_id, deputy_id = roles
    elected_leader, elected_deputy = elected
    previous = {
        m.role: m.unit
        for m in Membership.objects.of_cluster(source.cluster_id, source.year)
        .filter(role__in=[Membership.Role.LEADER, Membership.Role.DEPUTY])
        .select_related("unit")
    }
    units = Unit.objects.in_bulk([u for u in (leader_id, deputy_id) if u])
    return Handover.objects.create(
        compact=compact,
        previous=source,
        previous_leader=previous.get(Membership.Role.LEADER),
        previous_deputy=previous.get(Membership.Role.DEPUTY),
        leader=units.get(leader_id),
        deputy=units.get(deputy_id),
        as_elected=elected_leader is not None
        and (elected_leader.pk, elected_deputy.pk if elected_deputy else None)
        == (leader_id, deputy_id),
        handed_over_on=day,
        recorded_by=user,
    )


def _handover_summary(handover: Handover) -> str:
    return _(
        "Handover on %(day)s: cluster leader %(old_leader)s → %(leader)s, deputy "
        "%(old_deputy)s → %(deputy)s%(elected)s"
    ) % {
        "day": date_format(handover.handed_over_on, "d/m/Y"),
        "old_leader": handover.previous_leader or "—",
        "leader": handover.leader or "—",
        "old_deputy": handover.previous_deputy or "—",
        "deputy": handover.deputy or "—",
        "elected": (" (" + _("as elected at the review") + ")") if handover.as_elected else "",
    }
