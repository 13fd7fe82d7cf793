"""Units through time: a unit's line (names, predecessors and successors, results year by
year following its predecessors) and the one-step merger form for administrators. Routed by
`scoring.urls` under /units/.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from units.models import Unit

from .. import services
from ..access import may_read_line_year, may_record_merger, may_see_unit_line
from ..forms import MergerForm
from ..params import int_param
from ..selectors import lines
from ..services import successions


@require_safe
def unit_line(request, pk):
    """A unit's line; 404 for a user who reads none of the clusters of its line."""
    unit = get_object_or_404(Unit, pk=pk)
    everything = lines.all_successions()
    if not may_see_unit_line(request.user, lines.line_units(unit.pk, everything)):
        raise Http404
    line = lines.unit_line(
        unit,
        readable=lambda compact: may_read_line_year(request.user, compact),
        successions=everything,
    )
    return render(request, "scoring/unit_line.html", {"unit": unit, "line": line})


@require_http_methods(["GET", "POST"])
def merger_new(request):
    """Records a merger in one step (administrators): see services.successions."""
    if not may_record_merger(request.user):
        raise PermissionDenied
    chosen = [int_param(pk) for pk in request.GET.getlist("absorbed")]
    initial = {"absorbed": [pk for pk in chosen if pk is not None]}
    form = MergerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = successions.record_merger(
                absorbing=data["absorbing"],
                absorbed=list(data["absorbed"]),
                effective_on=data["effective_on"],
                decision=data["decision"],
                decision_date=data["decision_date"],
                issuing_body=data["issuing_body"],
                lock_accounts=data["lock_accounts"],
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            _report_merger(request, result, data)
            return redirect("scoring:unit_line", pk=data["absorbing"].pk)
    return render(request, "scoring/merger_form.html", {"form": form})


def _report_merger(request, result: successions.MergerResult, data) -> None:
    """What the merger did, what it will do on its date, and the roles left vacant."""
    facts = {
        "moved": _count(result.moved),
        "year": result.first_year,
        "unit": data["absorbing"],
        "locked": _count(result.locked),
        "date": formats.date_format(data["effective_on"], "SHORT_DATE_FORMAT"),
    }
    if result.pending:
        text = _(
            "The merger was recorded and takes effect on %(date)s: %(moved)s memberships from "
            "%(year)s on passed to %(unit)s; until that date the absorbed units stay active "
            "and their accounts open."
        )
        if data["lock_accounts"]:
            text += " " + _("Their accounts will be locked on %(date)s.")
    else:
        text = _(
            "The merger was recorded: %(moved)s memberships from %(year)s on passed to "
            "%(unit)s; %(locked)s accounts were locked."
        )
    messages.success(request, text % facts)
    removed = result.removed_targets + result.removed_registrations + result.removed_not_applicable
    if removed:
        messages.info(
            request,
            _(
                "Removed what the absorbed units had registered for %(year)s on: %(targets)s "
                "targets, %(registrations)s target registrations, %(marks)s criteria marked "
                "not applicable. %(unit)s registers its own."
            )
            % {
                "year": result.first_year,
                "targets": _count(result.removed_targets),
                "registrations": _count(result.removed_registrations),
                "marks": _count(result.removed_not_applicable),
                "unit": data["absorbing"],
            },
        )
    for lost in result.lost_roles:
        messages.warning(
            request,
            _(
                "%(cluster)s has no %(role)s in %(year)s any more: %(absorbed)s held the role "
                "and %(unit)s cannot take it over. Choose the new one in the cluster's members."
            )
            % {
                "cluster": lost.cluster,
                "role": lost.get_role_display(),
                "year": lost.year,
                "absorbed": lost.unit,
                "unit": data["absorbing"],
            },
        )


def _count(number: int) -> str:
    return formats.number_format(number, force_grouping=True)
