"""Recording the review meeting (who, where, who was present) and the compact's award kinds."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..lifecycle import record_event
from ..models import DEFAULT_FLAG_BAND, Attendance, AwardKind, Compact, CompactEvent, ReviewMeeting
from ..ranking import format_points
from ..services import ServiceError
from .common import HUNDRED, check_review_open


def ensure_award_kinds(compact: Compact) -> list[AwardKind]:
    """The compact's award kinds; the usual three (with default standards and quotas) the
    first time."""
    if not AwardKind.objects.filter(compact=compact).exists():
        AwardKind.objects.bulk_create(
            [
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.GOVERNMENT_FLAG,
                    name="Cờ thi đua của Chính phủ",
                    leader_only=True,
                    required_band=DEFAULT_FLAG_BAND,
                    quota_count=1,
                    position=1,
                ),
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.MINISTRY_FLAG,
                    name="Cờ thi đua của Bộ Công an",
                    required_band=DEFAULT_FLAG_BAND,
                    quota_percent=Decimal(20),
                    position=2,
                ),
                AwardKind(
                    compact=compact,
                    level=AwardKind.Level.CERTIFICATE,
                    name="Bằng khen của Bộ trưởng Bộ Công an",
                    quota_percent=Decimal(50),
                    position=3,
                ),
            ]
        )
    return list(AwardKind.objects.filter(compact=compact))


def _meeting_as_saved(meeting: ReviewMeeting):
    """The stored meeting in save_meeting's terms: its values and who was present."""
    values = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    present = sorted(meeting.attendance.values_list("unit_id", "representative", "title"))
    return values, [tuple(row) for row in present]


MEETING_FIELDS = (
    "held_on",
    "place",
    "chair",
    "secretary",
    "guests",
    "agenda",
    "threshold_percent",
    "minutes_number",
    "ballot_number",
    "proposal_number",
    "document_place",
    "document_date",
    "signatory_title",
    "signatory_name",
)


@transaction.atomic
def save_meeting(
    *,
    compact: Compact,
    user,
    held_on: datetime.date,
    place: str,
    chair: str,
    secretary: str,
    guests: str = "",
    agenda: str = "",
    threshold_percent: Decimal | None = None,
    attendance: list[tuple[int, str, str]] = (),
    minutes_number: str = "",
    ballot_number: str = "",
    proposal_number: str = "",
    document_place: str = "",
    document_date: datetime.date | None = None,
    signatory_title: str = "",
    signatory_name: str = "",
) -> ReviewMeeting:
    """Creates or replaces the meeting record and who was present: `attendance` is a list of
    (unit id, representative, title) for the member units present."""
    compact = check_review_open(compact)
    place, chair, secretary = (
        (place or "").strip(),
        (chair or "").strip(),
        (secretary or "").strip(),
    )
    _check_meeting(compact, held_on=held_on, place=place, chair=chair, secretary=secretary)
    threshold = _checked_threshold(threshold_percent)
    members = {m.unit_id: m.unit for m in compact.memberships().select_related("unit")}
    _check_attendance(attendance, members)
    values = {
        "held_on": held_on,
        "place": place[:200],
        "chair": chair[:300],
        "secretary": secretary[:300],
        "guests": (guests or "").strip(),
        "agenda": (agenda or "").strip(),
        "threshold_percent": threshold,
        "minutes_number": (minutes_number or "").strip()[:50],
        "ballot_number": (ballot_number or "").strip()[:50],
        "proposal_number": (proposal_number or "").strip()[:50],
        "document_place": (document_place or "").strip()[:100],
        "document_date": document_date,
        "signatory_title": (signatory_title or "").strip()[:200],
        "signatory_name": (signatory_name or "").strip()[:200],
    }
    present = sorted((u, r.strip()[:300], t.strip()[:200]) for u, r, t in attendance)
    return _store_meeting(compact, user, values, present, member_count=len(members))


def _check_meeting(compact, *, held_on, place, chair, secretary) -> None:
    """The date, place, chair and secretary are given, and the date falls in the review's time."""
    missing = [
        label
        for label, value in (
            (_("the place"), place),
            (_("the chair"), chair),
            (_("the secretary"), secretary),
        )
        if not value
    ]
    if held_on is None:
        missing.insert(0, _("the date"))
    if missing:
        raise ServiceError(_("Give %(fields)s of the meeting.") % {"fields": ", ".join(missing)})
    if held_on.year not in (compact.year, compact.year + 1):
        raise ServiceError(
            _("The review of %(year)s is held in %(year)s or early %(next)s, not on %(day)s.")
            % {"year": compact.year, "next": compact.year + 1, "day": held_on.strftime("%d/%m/%Y")}
        )


def _checked_threshold(threshold_percent) -> Decimal:
    """The passing threshold: 50 % unless given, from 0 to below 100."""
    threshold = Decimal(50) if threshold_percent is None else Decimal(threshold_percent)
    if not (Decimal(0) <= threshold < HUNDRED):
        raise ServiceError(
            _("The passing threshold is a percentage from 0 to below 100, not %(value)s.")
            % {"value": format_points(threshold, grouping=True)}
        )
    return threshold


def _check_attendance(attendance, members: dict) -> None:
    """Each unit present is a member, recorded once, with its representative."""
    seen = set()
    for unit_id, representative, _title in attendance:
        if unit_id not in members:
            raise ServiceError(_("This unit is not a member of the cluster in that year."))
        if unit_id in seen:
            raise ServiceError(_("This unit is already recorded as present."))
        seen.add(unit_id)
        if not (representative or "").strip():
            raise ServiceError(
                _("Give the representative of %(unit)s, or mark it absent.")
                % {"unit": members[unit_id]}
            )


def _store_meeting(compact, user, values: dict, present: list, *, member_count: int):
    """Writes the meeting and who was present, unless nothing changed, and records the event."""
    meeting = ReviewMeeting.objects.filter(compact=compact).first() or ReviewMeeting(
        compact=compact
    )
    created = meeting.pk is None
    if not created and _meeting_as_saved(meeting) == (values, present):
        return meeting  # submitted unchanged: nothing to write, nothing to record
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, unit_id=u, representative=r, title=t) for u, r, t in present
    )
    ensure_award_kinds(compact)
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=(_("Review meeting recorded") if created else _("Review meeting changed"))
        + f" ({values['held_on']:%d/%m/%Y}, {len(present)}/{member_count})",
    )
    return meeting
