"""The score sheet and a unit's page for the secretariat (enter, verify, accept or return a
self-assessment), the unit's own self-assessment page, and evidence files. Routed by
`scoring.urls`.
"""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import selectors, services
from ..access import (
    get_compact_for_user,
    get_evidence_for_user,
    get_member_unit,
    get_own_unit_compact,
    may_verify,
)
from ..forms import ReturnForm
from ..numbers import count_text, saved_text
from ..params import int_param
from ..ranking import Side
from ..sheet_input import cells_from_request, evidence_from_files
from . import sheet_json


def sheet_messages():
    """The sheet script's messages: the same texts the server uses when it refuses a cell."""
    return {
        "nan": _("“%(value)s” is not a number."),
        "negative": _("The value cannot be negative."),
        "decimals": _("Use at most two decimals."),
        "max": _("%(value)s is above the maximum of %(maximum)s points."),
        "passfail": _("Enter 1 for passed or 0 for not passed."),
        "whole": _("Enter a whole number of occurrences."),
        "notarget": _("No target is registered for this criterion, so it cannot be scored."),
        "reason": _("The verified points differ from the self-assessed %(self)s: give a reason."),
        "unsaved": _("You have unsaved changes."),
        "unsavedCount": _("%(count)s changed cells not saved yet"),
        "reasonLabel": _("Reason"),
    }


def _attempt_save(request, compact, *, units=None):
    """Saves posted verified cells. Returns (message, None, None) after success, or
    (message, the posted cells, each refused cell's problem) when nothing was saved.
    `units`: how many columns the page shows (None: every member unit)."""
    try:
        cells = cells_from_request(
            request.POST, max_cells=lambda: selectors.sheet_cell_count(compact, units=units)
        )
    except services.ServiceError as error:
        return error.message, [], {}
    try:
        written = services.record_scores(
            compact=compact, user=request.user, cells=cells, side=Side.VERIFIED
        )
    except services.SaveRefused as refused:
        return refused.message, cells, refused.problems
    except services.ServiceError as error:
        return error.message, cells, {}
    return saved_text(_("Saved %(count)s scores."), written), cells, None


def _save_verified(request, compact, *, units=None):
    """Saves posted verified cells; returns the problems to show, or None after success."""
    message, cells, problems = _attempt_save(request, compact, units=units)
    if problems is None:
        messages.success(request, message)
        return None
    messages.error(request, message)
    return cells, problems


@require_http_methods(["GET", "POST"])
def sheet(request, pk):
    """Criteria × member units: the secretariat's verification grid."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    posted = problems = None
    if request.method == "POST" and sheet_json.wants_json(request):
        message, cells, problems = _attempt_save(request, compact)
        if problems is None:
            return sheet_json.saved(request, compact, cells, message)
        return sheet_json.refused(message, problems)
    if request.method == "POST":
        outcome = _save_verified(request, compact)
        if outcome is None:
            return redirect("scoring:sheet", pk=compact.pk)
        posted, problems = outcome
    data = selectors.score_sheet(compact)
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=Side.VERIFIED)
    return render(
        request,
        "scoring/sheet.html",
        {
            "compact": compact,
            "sheet": data,
            "editable": may_verify(request.user, compact),
            "sheet_messages": sheet_messages(),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_sheet(request, pk, unit_pk):
    """One unit: self-assessed and verified side by side, with notes and evidence."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    unit = get_member_unit(compact, unit_pk)
    posted = problems = None
    if request.method == "POST":
        outcome = _save_verified(request, compact, units=1)
        if outcome is None:
            return redirect("scoring:unit", pk=compact.pk, unit_pk=unit.pk)
        posted, problems = outcome
    data = selectors.score_sheet(compact, unit_ids=[unit.pk])
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=Side.VERIFIED)
    return render(
        request,
        "scoring/unit.html",
        {
            "compact": compact,
            "unit": unit,
            "sheet": data,
            "column": data.columns[0],
            "return_form": ReturnForm(),
            "editable": may_verify(request.user, compact),
            "sheet_messages": sheet_messages(),
        },
    )


def _overwrite_from_post(post) -> dict[int, int]:
    """The corrections ticked to be overwritten: criterion id → the version shown."""
    chosen = {}
    for raw in post.getlist("overwrite"):
        criterion_id, version = int_param(raw), int_param(post.get(f"ver-{raw}", ""))
        if criterion_id is None or version is None:
            raise services.ServiceError(_("The form was not filled in as expected. Try again."))
        chosen[criterion_id] = version
    return chosen


@require_http_methods(["GET", "POST"])
def accept_self(request, pk, unit_pk):
    """Accepting the self-assessment, of the unit or of one group, in two steps: the page
    lists the verified corrections it would overwrite (kept unless ticked), then applies."""
    compact = get_compact_for_user(request, pk, write=True)
    unit = get_member_unit(compact, unit_pk)
    raw_group = request.POST.get("group") or request.GET.get("group") or None
    group = None
    if raw_group is not None:
        group_id = int_param(raw_group)
        if group_id is None:
            raise Http404
        group = get_object_or_404(compact.criteria, pk=group_id, parent__isnull=True)
    back = redirect("scoring:unit", pk=compact.pk, unit_pk=unit.pk)
    if request.method == "POST":
        try:
            done = services.accept_self_assessment(
                compact=compact,
                unit_id=unit.pk,
                user=request.user,
                group_id=group.pk if group else None,
                overwrite=_overwrite_from_post(request.POST),
            )
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Accepted the self-assessed points: %(count)s scores changed, "
                    "%(kept)s corrections kept."
                )
                % {"count": count_text(done.changed), "kept": count_text(done.kept)},
            )
            return back
    try:
        plan = services.plan_self_acceptance(
            compact=compact, unit_id=unit.pk, group_id=group.pk if group else None
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
        return back
    return render(
        request,
        "scoring/accept.html",
        {"compact": compact, "unit": unit, "group": group, "plan": plan},
    )


@require_POST
def return_self(request, pk, unit_pk):
    compact = get_compact_for_user(request, pk, write=True)
    unit = get_member_unit(compact, unit_pk)
    form = ReturnForm(request.POST)
    try:
        services.return_self_assessment(
            compact=compact,
            unit_id=unit.pk,
            user=request.user,
            reason=form.data.get("reason", ""),
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The self-assessment was returned to the unit."))
    return redirect("scoring:unit", pk=compact.pk, unit_pk=unit.pk)


@require_POST
def mark_verified(request, pk, unit_pk):
    compact = get_compact_for_user(request, pk, write=True)
    unit = get_member_unit(compact, unit_pk)
    try:
        services.mark_verified(compact=compact, unit_id=unit.pk, user=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Verification of %(unit)s is complete.") % {"unit": unit})
    return redirect("scoring:unit", pk=compact.pk, unit_pk=unit.pk)


@require_http_methods(["GET", "POST"])
def self_assessment(request, pk):
    """A unit officer's own unit: self-assessed values, notes and evidence; then submit."""
    compact, unit = get_own_unit_compact(request, pk)
    posted = problems = None
    if request.method == "POST":
        cells = []  # what cannot be read is not shown again
        try:
            cells = cells_from_request(
                request.POST, max_cells=lambda: selectors.sheet_cell_count(compact, units=1)
            )
            written = services.save_self_assessment(
                compact=compact,
                unit_id=unit.pk,
                user=request.user,
                cells=cells,
                evidence=evidence_from_files(request.FILES),
            )
        except services.SaveRefused as refused:
            messages.error(
                request,
                refused.message,
            )
            posted, problems = cells, refused.problems
        except services.ServiceError as error:
            messages.error(request, error.message)
            posted, problems = cells, {}
        else:
            messages.success(request, saved_text(_("Saved %(count)s scores."), written))
            return redirect("scoring:self", pk=compact.pk)
    data = selectors.score_sheet(compact, unit_ids=[unit.pk], side=Side.SELF)
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=Side.SELF)
    column = data.columns[0]
    return render(
        request,
        "scoring/self.html",
        {
            "compact": compact,
            "unit": unit,
            "sheet": data,
            "column": column,
            "editable": compact.is_open_for_scoring
            and (column.assessment is None or column.assessment.is_editable_by_unit),
            "sheet_messages": sheet_messages(),
        },
    )


@require_POST
def submit_self(request, pk):
    compact, unit = get_own_unit_compact(request, pk)
    try:
        services.submit_self_assessment(compact=compact, unit_id=unit.pk, user=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The self-assessment was submitted to the secretariat."))
    return redirect("scoring:self", pk=compact.pk)


@require_safe
def evidence_download(request, pk):
    evidence = get_evidence_for_user(request, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def evidence_delete(request, pk):
    evidence = get_evidence_for_user(request, pk, write=True)
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed %(name)s.") % {"name": evidence.original_name})
    return redirect("scoring:self", pk=evidence.compact_id)
