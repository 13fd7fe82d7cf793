"""Criteria not applicable to a unit: the secretariat's marking page. Routed by
`scoring.urls`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import ranking, selectors, services
from ..access import get_compact_for_user, may_mark_not_applicable
from ..concurrency import StaleSave
from ..forms import NotApplicableForm
from ..not_applicable import current_marks, marks_state, save_not_applicable
from ..numbers import count_text


@require_http_methods(["GET", "POST"])
def not_applicable(request, pk):
    """The marks of a compact, a form to add one (a leaf, or a group's leaves) and each
    mark's reason and removal. The cluster's readers read it; the secretariat changes it
    until scoring closes (`access.may_mark_not_applicable`)."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    editable = may_mark_not_applicable(request.user, compact)
    if request.method == "POST" and not editable:
        messages.error(request, _("Criteria can no longer be marked not applicable."))
        return redirect("scoring:not_applicable", pk=compact.pk)
    members = selectors.members_of(compact)  # with the names of the year's results
    units = [m.unit for m in members]
    criteria = [
        c for c in selectors.criteria_for_compact(compact) if c.section == ranking.Section.CONTENT
    ]
    marks = _named(current_marks(compact), units)
    form = _form(request.POST or None, units, criteria, marks)
    if request.method == "POST" and form.is_valid():
        try:
            count = save_not_applicable(
                compact=compact,
                user=request.user,
                add=form.new_mark(),
                reasons=form.reasons(),
                remove=form.removed(),
                seen=form.cleaned_data["seen"],
            )
        except StaleSave as error:
            marks = _named(current_marks(compact), units)
            data = request.POST.copy()
            for mark in marks:
                data.setdefault(f"reason_{mark.pk}", mark.reason)
            form = _form(data, units, criteria, marks)
            form.is_valid()
            form.refuse_stale(error, marks_state(marks))
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            if count:
                messages.success(
                    request, _("Saved %(count)s changes.") % {"count": count_text(count)}
                )
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("scoring:not_applicable", pk=compact.pk)
    return render(
        request,
        "scoring/not_applicable.html",
        {
            "compact": compact,
            "form": form,
            "editable": editable,
            "summary": _summary(compact, members, marks),
        },
    )


def _named(marks, units):
    """The marks, each with its unit as the members show it (the names of the year)."""
    by_id = {unit.pk: unit for unit in units}
    for mark in marks:
        mark.unit = by_id.get(mark.unit_id, mark.unit)
    return marks


def _form(data, units, criteria, marks):
    return NotApplicableForm(
        data, units=units, criteria=criteria, marks=marks, seen_state=marks_state(marks)
    )


def _summary(compact, members, marks):
    """Each member unit with how many criteria do not apply to it and its maximum."""
    by_unit: dict[int, selectors.Applicability] = {}
    for mark in marks:
        before = by_unit.get(mark.unit_id, selectors.Applicability())
        by_unit[mark.unit_id] = selectors.Applicability(
            count=before.count + 1, maxima=before.maxima + mark.criterion.max_points
        )
    return [
        (
            m.unit,
            by_unit.get(m.unit_id, selectors.Applicability()),
            selectors.applicable_maximum(
                compact, by_unit.get(m.unit_id, selectors.Applicability())
            ),
        )
        for m in members
    ]
