"""Units through time: a unit's line (names, predecessors and successors, results year by
year following its predecessors) and the one-step merger form for administrators. Routed by
`scoring.urls` under /units/.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from units.models import Unit

from .. import services
from ..access import may_read_line_year, may_record_merger, may_see_unit_line
from ..forms import MergerForm
from ..params import int_param
from ..selectors import lines
from ..services import successions


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
            messages.success(
                request,
                _(
                    "The merger was recorded: %(moved)s memberships from %(year)s on passed to "
                    "%(unit)s; %(locked)s accounts were locked."
                )
                % {
                    "moved": result.moved,
                    "year": result.first_year,
                    "unit": data["absorbing"],
                    "locked": result.locked,
                },
            )
            return redirect("scoring:unit_line", pk=data["absorbing"].pk)
    return render(request, "scoring/merger_form.html", {"form": form})
