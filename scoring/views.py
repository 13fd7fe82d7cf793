from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from units.models import Cluster

from . import charts, docx_documents, lifecycle, selectors, services
from .access import (
    compacts_for_user,
    get_compact_for_user,
    get_member_unit,
    get_own_unit_compact,
    get_results_for_user,
    scope_of,
)
from .forms import ReturnForm, cells_from_post, evidence_from_files
from .models import Evidence
from .params import int_param
from .review_models import Publication, ReviewMeeting


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
    }


def home(request):
    scope = scope_of(request.user)
    compacts = list(compacts_for_user(request.user))
    published = set(
        Publication.objects.filter(compact__in=compacts).values_list("compact_id", flat=True)
    )
    entries = [
        {
            "compact": compact,
            "can_write": scope.can_write_compact(compact),
            "can_read": scope.can_read_compact(compact),
            "published": compact.pk in published,
        }
        for compact in compacts
    ]
    readable_clusters = {e["compact"].cluster_id for e in entries if e["can_read"]}
    writable = {e["compact"].cluster_id: e["compact"].cluster for e in entries if e["can_write"]}
    writable |= {
        c.pk: c
        for c in Cluster.objects.filter(
            pk__in=scope.secretariat_clusters | set(scope.leading_clusters)
        )
    }
    return render(
        request,
        "scoring/home.html",
        {
            "entries": entries,
            "scope": scope,
            "several_clusters": len(readable_clusters) > 1,
            "writable_clusters": sorted(writable.values(), key=lambda c: c.number),
        },
    )


def compact_overview(request, pk):
    """The compact's page: its status and what can happen next, its history, the members'
    progress, and the way to every page of its year."""
    compact = get_compact_for_user(request, pk)
    scope = scope_of(request.user)
    can_write = scope.can_write_compact(compact)
    transitions = [
        t
        for t in lifecycle.transitions_from(compact.status)
        if can_write and (scope.is_admin or not t.administrator_only)
    ]
    return render(
        request,
        "scoring/compact.html",
        {
            "compact": compact,
            "sheet": selectors.score_sheet(compact),
            "can_write": can_write,
            "review_documents": docx_documents.DOCUMENTS
            if ReviewMeeting.objects.filter(compact=compact).exists()
            else {},
            "transitions": transitions,
            "events": compact.events.select_related("user")[:50],
            "unsigned": lifecycle.unsigned_members(compact) if compact.status == "signing" else [],
            "problems": selectors.scheme_problems(compact),
        },
    )


def _verifier_may_edit(request, compact) -> bool:
    """Verified scores can be typed: scoring is open and the user writes for the cluster."""
    return compact.is_open_for_scoring and scope_of(request.user).can_write_compact(compact)


def _save_verified(request, compact):
    """Saves posted verified cells; returns the problems to show, or None after success."""
    cells = cells_from_post(request.POST)
    try:
        written = services.record_scores(
            compact=compact, user=request.user, cells=cells, side=services.VERIFIED
        )
    except services.SaveRefused as refused:
        messages.error(
            request,
            _("Nothing was saved: %(count)s cells need your attention (marked in red).")
            % {"count": len(refused.problems)},
        )
        return cells, refused.problems
    except services.ServiceError as error:
        messages.error(request, error.message)
        return cells, {}
    messages.success(request, _("Saved %(count)s scores.") % {"count": written})
    return None


@require_http_methods(["GET", "POST"])
def sheet(request, pk):
    """Criteria × member units: the secretariat's verification grid."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    posted = problems = None
    if request.method == "POST":
        outcome = _save_verified(request, compact)
        if outcome is None:
            return redirect("scoring:sheet", pk=compact.pk)
        posted, problems = outcome
    data = selectors.score_sheet(compact)
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=services.VERIFIED)
    return render(
        request,
        "scoring/sheet.html",
        {
            "compact": compact,
            "sheet": data,
            "editable": _verifier_may_edit(request, compact),
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
        outcome = _save_verified(request, compact)
        if outcome is None:
            return redirect("scoring:unit", pk=compact.pk, unit_pk=unit.pk)
        posted, problems = outcome
    data = selectors.score_sheet(compact, unit_ids=[unit.pk])
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=services.VERIFIED)
    return render(
        request,
        "scoring/unit.html",
        {
            "compact": compact,
            "unit": unit,
            "sheet": data,
            "column": data.columns[0],
            "return_form": ReturnForm(),
            "editable": _verifier_may_edit(request, compact),
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
                % {"count": done.changed, "kept": done.kept},
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
        cells = cells_from_post(request.POST)
        try:
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
                _("Nothing was saved: %(count)s cells need your attention (marked in red).")
                % {"count": len(refused.problems)},
            )
            posted, problems = cells, refused.problems
        except services.ServiceError as error:
            messages.error(request, error.message)
            posted, problems = cells, {}
        else:
            messages.success(request, _("Saved %(count)s scores.") % {"count": written})
            return redirect("scoring:self", pk=compact.pk)
    data = selectors.score_sheet(compact, unit_ids=[unit.pk], side=services.SELF)
    if posted is not None:
        selectors.apply_posted(data, posted, problems, side=services.SELF)
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


def _evidence_for_user(request, pk, *, write=False):
    evidence = get_object_or_404(Evidence.objects.select_related("compact"), pk=pk)
    scope = scope_of(request.user)
    own_unit = evidence.unit_id in scope.officer_units
    if write:
        if not own_unit:
            raise Http404
    elif not (own_unit or scope.can_read_compact(evidence.compact)):
        raise Http404
    return evidence


def evidence_download(request, pk):
    evidence = _evidence_for_user(request, pk)
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
    evidence = _evidence_for_user(request, pk, write=True)
    try:
        services.remove_evidence(evidence=evidence, user=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed %(name)s.") % {"name": evidence.original_name})
    return redirect("scoring:self", pk=evidence.compact_id)


def dashboard(request, pk):
    """Leaders' view of a compact: ranking, bands, changes since last year, charts."""
    compact = get_results_for_user(request, pk)
    data = selectors.ranking_for(compact)
    return render(
        request,
        "scoring/dashboard.html",
        {
            "compact": compact,
            "ranking": data,
            "chart": charts.totals_chart(data.rows, maximum=data.max_total),
            "chart_narrow": charts.totals_chart(
                data.rows, maximum=data.max_total, layout=charts.NARROW
            ),
            "can_write": scope_of(request.user).can_write_compact(compact),
            "can_read": scope_of(request.user).can_read_compact(compact),
        },
    )


def unit_report(request, pk, unit_pk):
    """One unit in a compact: its breakdown by criterion and its trend over the years."""
    compact = get_results_for_user(request, pk)
    unit = get_member_unit(compact, unit_pk)
    scope = scope_of(request.user)
    trend = selectors.unit_trend(unit.pk, readable=scope.can_read_cluster)
    maximum = compact.content_max + compact.bonus_cap
    return render(
        request,
        "scoring/unit_report.html",
        {
            "compact": compact,
            "unit": unit,
            "breakdown": selectors.unit_breakdown(compact, unit.pk),
            "trend": trend,
            "this_year": next((row for c, row in trend if c.pk == compact.pk), None),
            "unit_name": unit.names_on(selectors.year_end(compact))[0],
            # Years not completely scored would plunge: the chart leaves them out.
            "trend_chart": charts.trend_chart(
                [
                    (c.year, row.totals.total, f"#{row.ranked.rank}")
                    for c, row in trend
                    if row.complete
                ],
                maximum=maximum,
            ),
        },
    )


def ranking_json(request, pk):
    """The ranking for other systems; the same permissions as the dashboard."""
    compact = get_results_for_user(request, pk)
    data = selectors.ranking_for(compact)
    return JsonResponse(
        {
            "cluster": {"number": compact.cluster.number, "name": compact.cluster.name},
            "year": compact.year,
            "status": compact.status,
            "provisional": data.provisional,
            "completeness_percent": data.completeness,
            "units": len(data.rows),
            "complete_units": data.complete_units,
            "criteria": data.criteria,
            # Complete units first, ranked among themselves; then the units whose scoring is
            # not complete, with "complete": false and no rank, band or change (null).
            "ranking": [
                {
                    "complete": row.complete,
                    "verified": row.verified,
                    "criteria": row.criteria,
                    "rank": row.ranked.rank,
                    "shared": row.ranked.shared,
                    "unit": {
                        "code": row.unit.code,
                        "name": row.full_name,
                        "short_name": row.short_name,
                    },
                    "groups": {h.group.code: str(h.points) for h in row.heat},
                    "content": str(row.totals.content),
                    "bonus": str(row.totals.bonus),
                    "deductions": str(row.totals.deductions),
                    "total": str(row.totals.total),
                    "band": row.ranked.band if row.complete else None,
                    "disqualified": row.ranked.disqualified,
                    "previous_rank": row.previous_rank,
                    "rank_change": row.rank_change,
                    "points_change": None if row.points_change is None else str(row.points_change),
                }
                for row in data.rows
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def overview(request):
    """For leaders of several clusters: each cluster's leading units in one year, side by side."""
    scope = scope_of(request.user)
    compacts = [c for c in compacts_for_user(request.user) if scope.can_read_compact(c)]
    years = sorted({c.year for c in compacts}, reverse=True)
    if not years:
        raise Http404
    year = request.GET.get("year", "")
    year = int_param(year)
    if year not in years:
        with_results = selectors.years_with_results(compacts)
        year = with_results[0] if with_results else years[0]
    chosen = [c for c in compacts if c.year == year]
    rankings = selectors.rankings_for(chosen, with_previous=False)
    return render(
        request,
        "scoring/overview.html",
        {"year": year, "years": years, "rankings": [rankings[c.pk] for c in chosen]},
    )
