"""Publication of a compact's results and the members' appeals (công khai, khiếu nại).

Rules, stated once:
- the secretariat publishes the results once scoring is closed (or the year is finalized),
  with the date of publication (not before the year; a past year may be published late) and
  an appeal window in days (0–90); once, not again;
- from publication on, every member unit's officers see the ranking and every unit's
  breakdown (scoring/access.py, get_results_for_user);
- an officer appeals a verified score of its own unit, with its reason (and optionally an
  evidence file), from the day of publication to `appeals_until` inclusive, while scoring is
  closed; one open appeal per score;
- the secretariat answers each open appeal once: upheld, with the corrected value written
  through the score-writing service (record_scores, so the score's history keeps it), or
  rejected; both with the reason;
- unanswered appeals are closed explicitly, all at once, with a reason; the year is finalized
  only when no appeal is open (scoring/lifecycle.py, change_status).
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from units.names import show_annotated_names, show_names_on, with_names_on

from . import services
from .access import scope_of
from .dated_names import Shows, names_day
from .lifecycle import record_event
from .models import Appeal, Compact, CompactEvent, Criterion, Publication, Score
from .numbers import parse_number
from .ranking import Side, format_points
from .services import ServiceError

S = Compact.Status
MAX_APPEAL_DAYS = 90


def _day(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def _locked(compact: Compact) -> Compact:
    return Compact.objects.select_for_update().get(pk=compact.pk)


@transaction.atomic
def publish_results(
    *, compact: Compact, user, published_on: datetime.date | None, appeal_days: int | None
) -> Publication:
    compact = _locked(compact)
    if compact.status not in (S.SCORING_CLOSED, S.FINALIZED):
        raise ServiceError(
            _("The results are published once scoring is closed (status now: %(status)s).")
            % {"status": compact.get_status_display()}
        )
    if Publication.objects.filter(compact=compact).exists():
        raise ServiceError(_("The results of this year are already published."))
    if published_on is None:
        raise ServiceError(_("Give the date of publication."))
    if published_on.year < compact.year:
        raise ServiceError(
            _("The results of %(year)s cannot be published before the year, on %(day)s.")
            % {"year": compact.year, "day": _day(published_on)}
        )
    if appeal_days is None or not (0 <= appeal_days <= MAX_APPEAL_DAYS):
        raise ServiceError(
            _("The appeal window is from 0 to %(max)s days.") % {"max": MAX_APPEAL_DAYS}
        )
    publication = Publication.objects.create(
        compact=compact, published_on=published_on, appeal_days=appeal_days, published_by=user
    )
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=_("Results published on %(day)s; appeals until %(until)s")
        % {"day": _day(published_on), "until": _day(publication.appeals_until)},
    )
    return publication


@transaction.atomic
def lodge_appeal(
    *,
    compact: Compact,
    user,
    unit_id: int,
    criterion_id: int | None,
    reason: str,
    upload=None,
    today: datetime.date | None = None,
) -> Appeal:
    """An officer's appeal against a verified score of its own unit (see the module's rules)."""
    compact = _locked(compact)
    today = today or timezone.localdate()
    _check_appeals_open(compact, user=user, unit_id=unit_id, today=today)
    criterion, score = _appealed_score(compact, unit_id, criterion_id)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for the appeal."))
    if Appeal.objects.filter(
        compact=compact, unit_id=unit_id, criterion=criterion, status=Appeal.Status.OPEN
    ).exists():
        raise ServiceError(
            _("An appeal against %(code)s is already open.") % {"code": criterion.code}
        )
    appeal = Appeal(
        compact=compact,
        unit_id=unit_id,
        criterion=criterion,
        disputed_points=score.verified_points,
        reason=reason,
        lodged_by=user,
        lodged_on=today,
    )
    if upload is not None:
        appeal.evidence_type = services.check_evidence_file(upload)
        appeal.evidence_name = upload.name[:255]
        appeal.evidence = upload
    appeal.save()
    _record_appeal_event(
        compact, appeal, user=user, summary=_("Appeal lodged by %(unit)s against %(code)s")
    )
    return appeal


def _record_appeal_event(compact: Compact, appeal: Appeal, *, user, summary: str) -> None:
    """Records `summary` on the compact's events, its %(unit)s the appeal's unit as named on
    the results' day, %(code)s the criterion's and %(status)s the appeal's; the reason is the
    appeal's answer once answered, else its own."""
    show_names_on([appeal.unit], names_day(compact, Shows.RESULTS))
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=summary
        % {
            "unit": appeal.unit,
            "code": appeal.criterion.code,
            "status": appeal.get_status_display(),
        },
        reason=appeal.answer or appeal.reason,
    )


def _check_appeals_open(compact: Compact, *, user, unit_id: int, today: datetime.date) -> None:
    """The user's own member unit, results published, scoring closed, within the window."""
    if (
        unit_id not in scope_of(user).officer_units
        or not compact.memberships().filter(unit_id=unit_id).exists()
    ):
        raise ServiceError(_("A unit can appeal only its own scores."))
    publication = Publication.objects.filter(compact=compact).first()
    if publication is None:
        raise ServiceError(_("The results are not published yet; appeals open with them."))
    if compact.status != S.SCORING_CLOSED:
        raise ServiceError(
            _("Appeals are lodged while scoring is closed and the year not finalized.")
        )
    if not publication.window_open_on(today):
        raise ServiceError(
            _("Appeals were open from %(start)s to %(end)s; today is %(today)s.")
            % {
                "start": _day(publication.published_on),
                "end": _day(publication.appeals_until),
                "today": _day(today),
            }
        )


def _appealed_score(compact: Compact, unit_id: int, criterion_id) -> tuple[Criterion, Score]:
    """The criterion appealed against and the unit's verified score on it."""
    criterion = Criterion.objects.filter(compact=compact, pk=criterion_id).first()
    if criterion is None:
        raise ServiceError(_("Choose the score you appeal against."))
    score = Score.objects.filter(compact=compact, unit_id=unit_id, criterion=criterion).first()
    if score is None or score.verified_value is None:
        raise ServiceError(
            _("%(code)s has no verified score of your unit to appeal against.")
            % {"code": criterion.code}
        )
    return criterion, score


@transaction.atomic
def answer_appeal(
    *, compact: Compact, user, appeal_id: int, upheld: bool, answer: str, value: str = ""
) -> Appeal:
    """Answers an open appeal; an upheld one writes `value` (as typed) as the verified value
    through the score-writing service, its answer as the score's note."""
    compact = _locked(compact)
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("criterion", "unit")
        .filter(compact=compact, pk=appeal_id)
        .first()
    )
    if appeal is None:
        raise ServiceError(_("This appeal does not exist."))
    if not appeal.is_open:
        raise ServiceError(
            _("This appeal was already answered (%(status)s).")
            % {"status": appeal.get_status_display()}
        )
    if compact.status != S.SCORING_CLOSED:
        raise ServiceError(_("Appeals are answered while scoring is closed."))
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("Give the reason for the answer."))
    if upheld:
        appeal.corrected_value = _correct_score(compact, user, appeal, value=value, answer=answer)
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    appeal.answer = answer
    appeal.answered_by = user
    appeal.answered_at = timezone.now()
    appeal._change_reason = answer
    appeal.save()
    _record_appeal_event(
        compact, appeal, user=user, summary=_("Appeal of %(unit)s against %(code)s: %(status)s")
    )
    return appeal


def _correct_score(compact: Compact, user, appeal: Appeal, *, value: str, answer: str):
    """Writes the upheld appeal's value as the verified one (its answer as the note) through
    the score-writing service; returns the value read."""
    if not (value or "").strip():
        raise ServiceError(_("Give the corrected value of the score."))
    try:
        corrected = parse_number(value)
    except ValueError as error:
        raise ServiceError(str(error)) from None
    score = Score.objects.get(
        compact=compact, unit_id=appeal.unit_id, criterion_id=appeal.criterion_id
    )
    try:
        services.record_scores(
            compact=compact,
            user=user,
            side=Side.VERIFIED,
            appeal=True,
            cells=[
                services.CellInput(
                    unit_id=appeal.unit_id,
                    criterion_id=appeal.criterion_id,
                    value=value,
                    note=_("Appeal upheld: %(answer)s") % {"answer": answer},
                    version=score.version,
                )
            ],
        )
    except services.SaveRefused as refused:
        raise ServiceError(" ".join(p.message for p in refused.problems.values())) from None
    return corrected


@transaction.atomic
def close_unanswered(*, compact: Compact, user, reason: str) -> int:
    """Closes every open appeal with the reason; returns how many."""
    compact = _locked(compact)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for closing the unanswered appeals."))
    open_appeals = list(
        Appeal.objects.select_for_update().filter(compact=compact, status=Appeal.Status.OPEN)
    )
    if not open_appeals:
        raise ServiceError(_("No appeal is awaiting an answer."))
    now = timezone.now()
    for appeal in open_appeals:
        appeal.status = Appeal.Status.CLOSED
        appeal.answer = reason
        appeal.answered_by = user
        appeal.answered_at = now
        appeal._change_reason = reason
        appeal.save()
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=_("%(count)s unanswered appeals closed") % {"count": len(open_appeals)},
        reason=reason,
    )
    return len(open_appeals)


# --- Reads -------------------------------------------------------------------------------------


def appeal_choices(compact: Compact, unit_id: int) -> list[tuple[int, str]]:
    """The unit's verified scores an appeal can name: (criterion id, "code title: points")."""
    scores = (
        Score.objects.filter(compact=compact, unit_id=unit_id, verified_value__isnull=False)
        .select_related("criterion")
        .order_by("criterion__position", "criterion__id")
    )
    return [
        (
            s.criterion_id,
            f"{s.criterion.code} {s.criterion.title[:80]}: "
            f"{format_points(s.verified_points) if s.verified_points is not None else '—'}",
        )
        for s in scores
    ]


def appeals_of(compact: Compact, unit_id: int | None = None) -> list[Appeal]:
    """The compact's appeals (of one unit), each unit printing the name of the results."""
    appeals = with_names_on(
        Appeal.objects.filter(compact=compact).select_related(
            "unit", "criterion", "lodged_by", "answered_by"
        ),
        names_day(compact, Shows.RESULTS),
    )
    if unit_id is not None:
        appeals = appeals.filter(unit_id=unit_id)
    return [_named(appeal) for appeal in appeals]


def _named(appeal: Appeal) -> Appeal:
    show_annotated_names(appeal)
    return appeal
