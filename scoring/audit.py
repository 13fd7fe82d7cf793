"""The audit trail of a compact's year, read from django-simple-history's records.

Every change to scores, criteria, the compact, signatures, marks "not applicable", targets and
their registration, self-assessments, evidence and memberships is a historical record; this
module turns them into entries of who, when, what, old → new and why, comparing each record
with the previous one of the same object. A fixed number of queries whatever the number of
records.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from units.models import Membership
from units.names import show_annotated_names, with_names_on

from . import ranking
from .dated_names import Shows, names_day
from .models import (
    Appeal,
    Assessment,
    AwardKind,
    AwardProposal,
    Compact,
    Criterion,
    Evidence,
    Handover,
    NotApplicable,
    Publication,
    ReviewMeeting,
    Score,
    Signature,
    Target,
    TargetRegistration,
    Vote,
)

# An old value the history never recorded (data loaded in bulk before the history began).
UNKNOWN = object()


@dataclass
class Change:
    """One field's change, its values as stored; shown (numbers and dates the Vietnamese way,
    choices by their label) only when a page or a workbook prints them: a year's trail holds
    tens of thousands of changes and a page shows a hundred entries."""

    field: str
    before: object
    after: object

    @property
    def old(self) -> str:
        return "?" if self.before is UNKNOWN else _shown(self.before)

    @property
    def new(self) -> str:
        return _shown(self.after)


@dataclass
class AuditEntry:
    at: datetime
    user: str
    kind: str
    action: str  # "+" created, "~" changed, "-" deleted
    subject: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""

    @property
    def action_label(self):
        return {"+": _("created"), "~": _("changed"), "-": _("deleted")}[self.action]


# model, its fields worth showing, how to find the compact's records
TRACKED = [
    (Score, ["self_value", "self_points", "self_note", "verified_value", "verified_points",
             "verified_note"], "compact"),
    (Criterion, ["code", "title", "parent", "kind", "max_points", "points_per_occurrence",
                 "rule", "lower_is_better", "disqualifying", "guidance"], "compact"),
    (Compact, ["status", "movement", "slogan", "commitments", "signed_on", "signed_place",
               "content_max", "bonus_cap", "deduction_cap", "bands", "tie_breakers"], "self"),
    (Signature, ["representative", "title", "signed_on"], "compact"),
    (NotApplicable, ["reason"], "compact"),
    (Target, ["value"], "compact"),
    (TargetRegistration, ["status", "return_reason"], "compact"),
    (Assessment, ["status", "return_reason"], "compact"),
    (Evidence, ["original_name", "size"], "compact"),
    (Membership, ["role"], "cluster_year"),
    # The year-end review, its publication and appeals, and the handover to the next year.
    (ReviewMeeting, ["held_on", "place", "chair", "secretary", "threshold_percent"], "compact"),
    (Vote, ["method", "ballots_issued", "ballots_returned", "ballots_valid",
            "ballots_invalid"], "meeting"),
    (AwardKind, ["name", "required_band", "leader_only", "quota_count", "quota_percent"],
     "compact"),
    (AwardProposal, ["overridden", "override_reason"], "award_kind"),
    (Publication, ["published_on", "appeal_days"], "compact"),
    (Appeal, ["status", "reason", "answer", "corrected_value"], "compact"),
    (Handover, ["previous_leader", "previous_deputy", "leader", "deputy", "handed_over_on"],
     "compact"),
]  # fmt: skip


def _blank(value) -> bool:
    return value is None or value == ""


def _differs(old, new) -> bool:
    """Whether a field's change shows: its two values as printed differ. Lists, dicts and
    values of two types are compared as printed (JSON tells 1 from 1.0 and keeps the keys'
    order; False equals 0); other values that differ print differently, unless both print as
    "—"."""
    if old is UNKNOWN:
        return True
    # (type: False == 0, yet prints "no" and "0")
    if isinstance(old, list | dict) or type(old) is not type(new):
        return _shown(old) != _shown(new)
    if old == new:
        return False
    return not (_shown_blank(old) and _shown_blank(new))


def _shown_blank(value) -> bool:
    return _blank(value) or value == "—"


def _shown(value) -> str:
    if _blank(value):
        return "—"
    if isinstance(value, Decimal):
        return ranking.format_points(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _records(model, how, compact, extra=None):
    history = model.history.model.objects.all()
    if how == "compact":
        history = history.filter(compact_id=compact.pk)
    elif how == "self":
        history = history.filter(id=compact.pk)
    elif how == "meeting":
        history = history.filter(meeting__compact=compact.pk)
    elif how == "award_kind":
        history = history.filter(award_kind__compact=compact.pk)
    else:
        history = history.filter(cluster_id=compact.cluster_id, year=compact.year)
    if extra:
        history = history.filter(**extra)
    return history.order_by("id", "history_date", "history_id")


def _entries(model, fields, records, *, subject_of, users) -> list[AuditEntry]:
    entries = []
    previous = {}
    kind = str(model._meta.verbose_name)
    choices = {
        name: dict(model._meta.get_field(name).flatchoices)
        for name in fields
        if model._meta.get_field(name).choices
    }
    labels = {name: str(model._meta.get_field(name).verbose_name) for name in fields}

    def value(record, name):
        attribute = f"{name}_id" if model._meta.get_field(name).is_relation else name
        raw = getattr(record, attribute)
        return choices[name].get(raw, raw) if name in choices else raw

    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in fields:
            new = value(record, name)
            if record.history_type == "+":
                if not _shown_blank(new) and new is not False:
                    changes.append(Change(labels[name], None, new))
            elif record.history_type == "-":
                changes.append(Change(labels[name], new, None))
            else:
                # A change whose earlier state was never recorded (data loaded in bulk
                # before the history began) shows its old value as unknown.
                old = value(before, name) if before is not None else UNKNOWN
                if _differs(old, new):
                    changes.append(Change(labels[name], old, new))
        previous[record.id] = record
        # A record that changes nothing is noise, unless it says why it was made (an
        # acceptance of the self-assessment that kept the secretariat's correction).
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue
        entries.append(
            AuditEntry(
                at=record.history_date,
                user=users.get(record.history_user_id, ""),
                kind=kind,
                action=record.history_type,
                subject=subject_of(record),
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


def _unit_names(compact, unit_ids=None) -> dict[int, str]:
    """The short names the compact's results show, of its members (or of these)."""
    memberships = Membership.objects.filter(cluster_id=compact.cluster_id, year=compact.year)
    if unit_ids is not None:
        memberships = memberships.filter(unit_id__in=unit_ids)
    memberships = with_names_on(memberships, names_day(compact, Shows.RESULTS))
    return {
        m.unit_id: show_annotated_names(m).shown_short_name
        for m in memberships.select_related("unit")
    }


def _codes(compact, criterion_ids=None) -> dict[int, str]:
    criteria = Criterion.objects.filter(compact=compact)
    if criterion_ids is not None:
        criteria = criteria.filter(id__in=criterion_ids)
    return dict(criteria.values_list("id", "code"))


def _people(*record_lists) -> dict[int, str]:
    """The names of who made these records, and only theirs: a cell's history names two or
    three people whatever the number of accounts. An account deactivated since (a unit
    merged away) still signs what it did."""
    ids = {r.history_user_id for records in record_lists for r in records} - {None}
    return {
        user.pk: (f"{user.last_name} {user.first_name}".strip() or user.get_username())
        for user in get_user_model()
        .objects.filter(pk__in=ids)
        .only("id", "username", "first_name", "last_name")
    }


def audit_log(compact: Compact, *, kinds: list[str] | None = None) -> list[AuditEntry]:
    """Every recorded change of the compact's year, newest first. `kinds` limits it to some
    model names ("score", "criterion", …)."""
    units, codes = _unit_names(compact), _codes(compact)

    def subject_of(model):
        def unit(record):
            return units.get(getattr(record, "unit_id", None), "")

        return {
            Score: lambda r: f"{unit(r)} — {codes.get(r.criterion_id, r.criterion_id)}",
            Criterion: lambda r: f"{r.code}. {r.title[:60]}",
            Compact: lambda r: str(compact),
            Signature: unit,
            NotApplicable: lambda r: f"{unit(r)} — {codes.get(r.criterion_id, r.criterion_id)}",
            Target: lambda r: f"{unit(r)} — {codes.get(r.criterion_id, r.criterion_id)}",
            TargetRegistration: unit,
            Assessment: unit,
            Evidence: lambda r: f"{unit(r)} — {r.original_name}",
            Membership: unit,
            ReviewMeeting: lambda r: str(compact),
            Vote: lambda r: str(Vote.Subject(r.subject).label),
            AwardKind: lambda r: r.name,
            AwardProposal: unit,
            Publication: lambda r: str(compact),
            Appeal: lambda r: f"{unit(r)} — {codes.get(r.criterion_id, r.criterion_id)}",
            Handover: lambda r: str(compact),
        }[model]

    read = [
        (model, fields, list(_records(model, how, compact)))
        for model, fields, how in TRACKED
        if not kinds or model._meta.model_name in kinds
    ]
    return _newest_first(read, subject_of)


def score_history(compact: Compact, *, unit_id: int, criterion_id: int) -> list[AuditEntry]:
    """One cell's changes, newest first: what was entered, by whom, when, and why. Reads the
    names of that unit, that criterion and the people in its records only."""
    model, fields, how = TRACKED[0]
    records = list(
        _records(model, how, compact, {"unit_id": unit_id, "criterion_id": criterion_id})
    )
    subject = (
        f"{_unit_names(compact, [unit_id]).get(unit_id, '')} — "
        f"{_codes(compact, [criterion_id]).get(criterion_id)}"
    )
    entries = _entries(model, fields, records, subject_of=lambda r: subject, users=_people(records))
    return list(reversed(entries))


def target_history(compact: Compact, *, unit_ids) -> list[AuditEntry]:
    """The steps of these units' target registrations and the changes of their targets,
    newest first (the approved targets' changes with their reason)."""
    units, codes = _unit_names(compact, unit_ids), _codes(compact)
    subjects = {
        Target: lambda r: f"{units.get(r.unit_id, '')} — {codes.get(r.criterion_id, '')}",
        TargetRegistration: lambda r: units.get(r.unit_id, ""),
    }
    read = [
        (model, fields, list(_records(model, how, compact, {"unit_id__in": list(unit_ids)})))
        for model, fields, how in TRACKED
        if model in subjects
    ]
    return _newest_first(read, subjects.__getitem__)


def _newest_first(read, subject_of) -> list[AuditEntry]:
    """The entries of records read as (model, fields, records), newest first, each signed by
    its author; `subject_of(model)` names what a record of that model is about."""
    users = _people(*(records for _model, _fields, records in read))
    entries = [
        entry
        for model, fields, records in read
        for entry in _entries(model, fields, records, subject_of=subject_of(model), users=users)
    ]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


KINDS = [model._meta.model_name for model, _fields, _how in TRACKED]
