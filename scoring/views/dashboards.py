"""What leaders read: the home page, a compact's overview, the ranking dashboard, a unit's
report, ranking.json and the overview of every visible cluster. Routed by `scoring.urls`
(home by `cumthidua.urls`).
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from units.models import Cluster

from .. import charts, docx_documents, lifecycle, selectors
from ..access import (
    compacts_for_user,
    get_compact_for_user,
    get_member_unit,
    get_results_for_user,
    scope_of,
)
from ..models import Publication, ReviewMeeting
from ..params import int_param


@require_safe
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


@require_safe
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


@require_safe
def dashboard(request, pk):
    """Leaders' view of a compact: ranking, bands, changes since last year, charts."""
    compact = get_results_for_user(request, pk)
    standings = selectors.standings_for(compact)
    return render(
        request,
        "scoring/dashboard.html",
        {
            "compact": compact,
            "standings": standings,
            "chart": charts.totals_chart(
                standings.rows, maximum=standings.max_total, by_percentage=standings.by_percentage
            ),
            "chart_narrow": charts.totals_chart(
                standings.rows,
                maximum=standings.max_total,
                by_percentage=standings.by_percentage,
                layout=charts.NARROW,
            ),
            "can_write": scope_of(request.user).can_write_compact(compact),
            "can_read": scope_of(request.user).can_read_compact(compact),
        },
    )


@require_safe
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
            "unit_name": unit.shown_full_name,
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


@require_safe
def ranking_json(request, pk):
    """The ranking for other systems; the same permissions as the dashboard."""
    compact = get_results_for_user(request, pk)
    data = selectors.standings_for(compact)
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
            "rank_by": compact.rank_by,
            "scale": str(data.max_total),
            "crosses_merger": data.crosses_merger,
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
                    # Criteria not applicable to the unit are left out of its maximum.
                    "maximum": json_number(row.totals.maximum),
                    "percent": json_number(row.totals.percent),
                    "band": row.ranked.band if row.complete else None,
                    "disqualified": row.ranked.disqualified,
                    "previous_rank": row.previous_rank,
                    "rank_change": row.rank_change,
                    "points_change": json_number(row.points_change),
                    # Units merged into this one since last year: its change follows them.
                    "merged_from": row.merged_from,
                }
                for row in data.rows
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
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
    standings = selectors.standings_by_compact(chosen, with_previous=False)
    return render(
        request,
        "scoring/overview.html",
        {"year": year, "years": years, "all_standings": [standings[c.pk] for c in chosen]},
    )


def json_number(value) -> str | None:
    """A decimal for JSON: its exact text, or null when it is not known (never "None")."""
    return None if value is None else str(value)
