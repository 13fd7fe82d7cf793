"""The targets page: each unit's registered targets and where its registration stands.

The unit's officer types its targets, saves and submits them; the secretariat returns them
with a reason or approves them, one unit or every submitted one at once; approved targets
change only by the secretariat, with a reason. Leaders read. Every step posts the version
of the registration the page showed (refused when stale); the targets grid posts, next to
each target, the value the page showed (see `scoring.targets`). Routed by `scoring.urls`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import audit, selectors, services
from .. import targets as target_rules
from ..access import (
    get_compact_for_member,
    get_compact_for_user,
    get_member_unit,
    may_change_targets,
    may_decide_targets,
    may_fill_any,
    may_read_unit,
    may_submit_targets,
)
from ..dated_names import Shows, show_names
from ..models import Criterion, Target, TargetRegistration
from ..numbers import count_text, saved_text
from ..params import int_param
from ..ranking import format_points
from ..templatetags.points import plain

RegistrationStatus = TargetRegistration.Status


@dataclass(frozen=True)
class UnitRegistration:
    """A unit's column: its registration and what the user may do with it."""

    unit: object
    registration: TargetRegistration
    may_submit: bool
    may_decide: bool
    may_change: bool

    @property
    def is_submitted(self) -> bool:
        return self.registration.status == RegistrationStatus.SUBMITTED

    @property
    def needs_reason(self) -> bool:
        """Changing these targets needs a reason (they are approved)."""
        return self.may_change and self.registration.status == RegistrationStatus.APPROVED


@require_http_methods(["GET", "POST"])
def targets(request, pk):
    """The grid of targets (quantitative criteria × units) and the registrations. A refused
    save shows what was typed, as it was typed, each refused cell marked."""
    compact, own, can_write = get_compact_for_member(request, pk)
    if request.method == "GET":
        return _page(request, compact, own)
    if not may_fill_any(own=own, can_write=can_write):
        raise PermissionDenied  # a leader reads the targets but registers none
    entries = target_rules.entries_from_post(request.POST)
    try:
        count = target_rules.register_targets(
            compact=compact,
            user=request.user,
            entries=entries,
            reason=request.POST.get("reason", ""),
        )
    except (services.SaveRefused, services.ServiceError) as error:
        return _refused(request, compact, own, entries, error)
    messages.success(request, saved_text(_("Saved %(count)s targets."), count))
    return redirect("scoring:targets", pk=compact.pk)


def _refused(request, compact, own, entries, error):
    """The page again with what was typed, the refusal said, each refused cell marked."""
    messages.error(request, error.message)
    problems = error.problems if isinstance(error, services.SaveRefused) else {}
    posted = {(e.unit_id, e.criterion_id): e for e in entries}
    return _page(request, compact, own, posted=posted, problems=problems)


def _page(request, compact, own, *, posted=None, problems=None):
    columns = _columns(request.user, compact, own)
    criteria = Criterion.objects.filter(compact=compact, kind="quantitative").order_by("position")
    rows = _target_rows(compact, columns, criteria, posted=posted or {}, problems=problems or {})
    return render(
        request,
        "scoring/targets.html",
        {
            "compact": compact,
            "columns": columns,
            "rows": rows,
            "editable": any(c.may_change for c in columns),
            # A refused save: the grid shows typing that differs from what is stored.
            "unsaved": any(cell["unsaved"] for row in rows for cell in row["cells"]),
            "needs_reason": any(c.needs_reason for c in columns),
            "has_actions": any(c.may_submit or (c.may_decide and c.is_submitted) for c in columns),
            "submitted": [
                c for c in columns if c.may_decide and c.registration.status == "submitted"
            ],
            "history": audit.target_history(compact, unit_ids=[c.unit.pk for c in columns]),
        },
    )


def _columns(user, compact, own) -> list[UnitRegistration]:
    """The units the user sees (every member for the cluster's readers, its own unit for an
    officer), each with its registration and the steps the user may take."""
    units = [
        m.unit
        for m in selectors.members_of(compact, Shows.SIGNING)
        if may_read_unit(user, compact, m.unit, own=own)
    ]
    registrations = services.registrations_of(compact, [u.pk for u in units])
    open_ = services.targets_editable(compact)
    columns = []
    for unit in units:
        registration = registrations[unit.pk]
        columns.append(
            UnitRegistration(
                unit=unit,
                registration=registration,
                may_submit=open_
                and registration.is_open_to_unit
                and may_submit_targets(user, compact, unit.pk),
                may_decide=open_ and may_decide_targets(user, compact),
                may_change=open_
                and may_change_targets(user, compact, unit.pk, registration.status),
            )
        )
    return columns


def _target_rows(compact, columns, criteria, *, posted, problems):
    """One row per quantitative criterion, one cell per unit: the stored target in the
    user's format, or what was typed when the page was refused, with the value the page
    showed for the stale check."""
    current = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, unit_id__in=[c.unit.pk for c in columns])
    }

    def cell(column, criterion):
        key = (column.unit.pk, criterion.pk)
        stored, entry, problem = current.get(key), posted.get(key), problems.get(key)
        stored_plain = "" if stored is None else plain(stored)
        stored_text = "" if stored is None else format_points(stored, grouping=True)
        if entry is None:
            text = stored_text
            original = stored_plain
        else:
            text = entry.value
            # After a conflict the page has shown the other person's value: saving again
            # replaces it deliberately.
            conflict = problem is not None and problem.current_value is not None
            original = stored_plain if conflict else (entry.original or "")
        return {
            "unit": column.unit,
            "key": f"{column.unit.pk}-{criterion.pk}",
            "text": text,
            "original": original,
            "editable": column.may_change,
            "problem": problem.message if problem else "",
            "unsaved": column.may_change and text.strip() != stored_text,
        }

    return [{"criterion": c, "cells": [cell(col, c) for col in columns]} for c in criteria]


def _step(request, pk, unit_pk, step, done: str, *, decide: bool = False, **extra):
    """Runs one registration step for one unit and goes back to the page: 403 for a user
    who may not take it (a leader, another unit's officer), 404 outside the cluster."""
    compact, _own, _can_write = get_compact_for_member(request, pk)
    unit = get_member_unit(compact, unit_pk)
    show_names(compact, Shows.SIGNING, [unit])
    allowed = (
        may_decide_targets(request.user, compact)
        if decide
        else may_submit_targets(request.user, compact, unit.pk)
    )
    if not allowed:
        raise PermissionDenied
    version = int_param(request.POST.get("version", "")) or 0
    try:
        step(compact=compact, unit_id=unit.pk, user=request.user, version=version, **extra)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"unit": unit.shown_short_name})
    return redirect("scoring:targets", pk=compact.pk)


@require_POST
def submit(request, pk, unit_pk):
    """Submits a unit's targets. The button posts the targets grid with it: what was typed
    and not saved yet is saved first, in the same step; a refused save or submit shows the
    page again with what was typed, and nothing is written."""
    done = _("The targets of %(unit)s were submitted to the secretariat.")
    entries = target_rules.entries_from_post(request.POST)
    if not entries:  # a page without a grid posts the version only
        return _step(request, pk, unit_pk, services.submit_targets, done)
    compact, own, _can_write = get_compact_for_member(request, pk)
    unit = get_member_unit(compact, unit_pk)
    show_names(compact, Shows.SIGNING, [unit])
    if not may_submit_targets(request.user, compact, unit.pk):
        raise PermissionDenied
    try:
        count = target_rules.submit_with_targets(
            compact=compact,
            unit_id=unit.pk,
            user=request.user,
            version=int_param(request.POST.get("version", "")) or 0,
            entries=entries,
            reason=request.POST.get("reason", ""),
        )
    except (services.SaveRefused, services.ServiceError) as error:
        return _refused(request, compact, own, entries, error)
    if count:
        messages.success(request, _("Saved %(count)s targets.") % {"count": count_text(count)})
    messages.success(request, done % {"unit": unit.shown_short_name})
    return redirect("scoring:targets", pk=compact.pk)


@require_POST
def return_(request, pk, unit_pk):
    done = _("The targets of %(unit)s were returned to the unit.")
    reason = request.POST.get("reason", "")
    return _step(request, pk, unit_pk, services.return_targets, done, decide=True, reason=reason)


@require_POST
def approve(request, pk, unit_pk):
    done = _("The targets of %(unit)s were approved.")
    return _step(request, pk, unit_pk, services.approve_targets, done, decide=True)


@require_POST
def approve_all(request, pk):
    """Approves the submitted registrations the page listed (`v-<unit>`: the version shown)."""
    compact = get_compact_for_user(request, pk, write=True)
    versions = {}
    for key, value in request.POST.items():
        unit_id = int_param(key.removeprefix("v-")) if key.startswith("v-") else None
        if unit_id:
            versions[unit_id] = int_param(value) or 0
    try:
        count = services.approve_all_targets(compact=compact, user=request.user, versions=versions)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Approved the targets of %(count)s units.") % {"count": count_text(count)}
        )
    return redirect("scoring:targets", pk=compact.pk)
