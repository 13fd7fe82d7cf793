"""Who may see and change what: the one place that decides access to compacts and units.

- administrators (superusers, or the administrator role) see and change everything;
- a cluster secretariat sees and changes its cluster's compacts; one bound to a unit (the
  secretariat of the unit leading the cluster) changes the compact of the year its unit leads
  while that year is the cluster's latest, starts the next year from it, and keeps read access
  to the years its unit led once the next leader has taken over;
- a viewer (leader) sees its clusters, or every cluster without one, and changes nothing;
- a unit officer sees and self-assesses its own unit in the compacts the unit belongs to, and,
  once the secretariat has published a compact's results, its ranking and every unit's
  breakdown (get_results_for_user).

Outsiders get 404 (the object's existence is not revealed); insiders without the right to
change get 403.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from units.models import Cluster, Membership, Unit, UserRole
from units.names import show_annotated_names, with_names_on

from .dated_names import Shows, names_day
from .models import Compact, Evidence, Publication, TargetRegistration


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    secretariat_clusters: frozenset[int] = field(default_factory=frozenset)
    viewer_clusters: frozenset[int] = field(default_factory=frozenset)
    views_all_clusters: bool = False
    officer_units: frozenset[int] = field(default_factory=frozenset)
    # A unit-bound secretariat: (cluster, year) its unit leads, and the clusters whose latest
    # year its unit leads (that year it manages; the earlier ones it reads).
    led_years: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    leading_clusters: dict[int, int] = field(default_factory=dict)  # cluster → latest year

    def can_write_cluster(self, cluster_id: int) -> bool:
        """Cluster-wide writing (every year, and starting the next one)."""
        return (
            self.is_admin
            or cluster_id in self.secretariat_clusters
            or cluster_id in self.leading_clusters
        )

    def can_read_cluster(self, cluster_id: int) -> bool:
        """Cluster-wide reading (every year)."""
        return (
            self.is_admin
            or cluster_id in self.secretariat_clusters
            or self.views_all_clusters
            or cluster_id in self.viewer_clusters
        )

    def can_write_compact(self, compact) -> bool:
        if self.is_admin or compact.cluster_id in self.secretariat_clusters:
            return True
        return self.leading_clusters.get(compact.cluster_id) == compact.year

    def can_read_compact(self, compact) -> bool:
        return (
            self.can_read_cluster(compact.cluster_id)
            or (compact.cluster_id, compact.year) in self.led_years
        )


def scope_of(user) -> Scope:
    """The user's scope, read once per request (cached on the user object)."""
    if not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_scoring_scope", None)
    if cached is not None:
        return cached
    roles = list(UserRole.objects.filter(user=user).values_list("role", "cluster_id", "unit_id"))
    SECRETARIAT = UserRole.Role.SECRETARIAT
    led_years, leading = _led_years({(c, u) for r, c, u in roles if r == SECRETARIAT and u})
    scope = Scope(
        is_admin=user.is_superuser or any(r == UserRole.Role.ADMINISTRATOR for r, *_ in roles),
        secretariat_clusters=frozenset(c for r, c, u in roles if r == SECRETARIAT and not u),
        led_years=led_years,
        leading_clusters=leading,
        viewer_clusters=frozenset(c for r, c, _u in roles if r == UserRole.Role.VIEWER and c),
        views_all_clusters=any(r == UserRole.Role.VIEWER and c is None for r, c, _u in roles),
        officer_units=frozenset(u for r, _c, u in roles if r == UserRole.Role.OFFICER),
    )
    user._scoring_scope = scope
    return scope


def _led_years(bound: set[tuple[int, int]]) -> tuple[frozenset, dict]:
    """For unit-bound secretariats ((cluster, unit) pairs): the (cluster, year) pairs their
    units lead, and {cluster: year} where that year is the cluster's latest (two queries)."""
    if not bound:
        return frozenset(), {}
    clusters = {c for c, _u in bound}
    led = frozenset(
        (c, y)
        for c, u, y in Membership.objects.filter(
            cluster_id__in=clusters, role=Membership.Role.LEADER
        ).values_list("cluster_id", "unit_id", "year")
        if (c, u) in bound
    )
    latest = dict(
        Membership.objects.filter(cluster_id__in=clusters)
        .values("cluster_id")
        .annotate(latest=Max("year"))
        .values_list("cluster_id", "latest")
    )
    return led, {c: y for c, y in led if latest.get(c) == y}


def _check_compact(request, compact: Compact, *, write: bool) -> None:
    """As _check_cluster, for one compact (a unit-bound secretariat's rights are by year)."""
    scope = scope_of(request.user)
    if not scope.can_read_compact(compact):
        raise Http404
    if write and not scope.can_write_compact(compact):
        raise PermissionDenied


def _check_cluster(request, cluster_id: int, *, write: bool) -> None:
    """Outside the user's clusters nothing exists (404); read-only users may not write (403)."""
    scope = scope_of(request.user)
    if not scope.can_read_cluster(cluster_id):
        raise Http404
    if write and not scope.can_write_cluster(cluster_id):
        raise PermissionDenied


def get_compact_for_user(request, pk: int, *, write: bool = False) -> Compact:
    """The compact, if the user may read it (404 otherwise) and, with write, change it (403)."""
    compact = get_object_or_404(Compact.objects.select_related("cluster"), pk=pk)
    _check_compact(request, compact, write=write)
    return compact


def get_results_for_user(request, pk: int) -> Compact:
    """The compact, for reading its ranking and its units' breakdowns: the cluster's readers,
    and the officers of its member units once the results are published; 404 otherwise."""
    compact = get_object_or_404(Compact.objects.select_related("cluster"), pk=pk)
    scope = scope_of(request.user)
    if scope.can_read_compact(compact):
        return compact
    if (
        scope.officer_units
        and Publication.objects.filter(compact=compact).exists()
        and _own_unit(compact, scope) is not None
    ):
        return compact
    raise Http404


def units_cluster_may_take(user, *, cluster_id: int, year: int):
    """The units `user` may make members of the cluster in `year` (a Unit queryset).

    An administrator may take any unit. Anyone else (the cluster's secretariat) may take the
    units whose latest membership up to that year is in this cluster — its members of that
    year and of the previous years — and the units that belong to no cluster up to that
    year. A unit another cluster had last year stays that cluster's to take: only an
    administrator moves a unit from one cluster to another.
    """
    units = Unit.objects.all()
    if scope_of(user).is_admin:
        return units
    latest = Membership.objects.filter(unit_id=OuterRef("pk"), year__lte=year).order_by("-year")
    return units.annotate(home_cluster=Subquery(latest.values("cluster_id")[:1])).filter(
        Q(home_cluster=cluster_id) | Q(home_cluster__isnull=True)
    )


def get_member_unit(compact: Compact, unit_pk: int) -> Unit:
    """A member unit of the compact's cluster that year; 404 for any other unit."""
    membership = get_object_or_404(
        with_names_on(
            Membership.objects.of_cluster(compact.cluster_id, compact.year).select_related("unit"),
            names_day(compact, Shows.RESULTS),
        ),
        unit_id=unit_pk,
    )
    return show_annotated_names(membership)


def get_own_unit_compact(request, pk: int) -> tuple[Compact, Unit]:
    """For a unit officer: the compact and the officer's own unit in it; 404 when the user is
    no officer of a member unit."""
    compact = get_object_or_404(Compact.objects.select_related("cluster"), pk=pk)
    unit = _own_unit(compact, scope_of(request.user))
    if unit is None:
        raise Http404
    return compact, unit


def compacts_for_user(user):
    """Compacts the user can see at all (as secretariat, viewer or officer), newest first."""
    scope = scope_of(user)
    compacts = Compact.objects.select_related("cluster").order_by("-year", "cluster__number")
    if scope.is_admin or scope.views_all_clusters:
        return compacts
    own_unit_is_member = Membership.objects.filter(
        unit_id__in=scope.officer_units, cluster_id=OuterRef("cluster_id"), year=OuterRef("year")
    )
    led = Q(pk__in=[])
    for cluster_id, year in scope.led_years:
        led |= Q(cluster_id=cluster_id, year=year)
    return compacts.filter(
        Q(cluster_id__in=scope.secretariat_clusters | scope.viewer_clusters)
        | Q(Exists(own_unit_is_member))
        | led
    )


def get_cluster_for_user(request, pk: int, *, write: bool = False):
    cluster = get_object_or_404(Cluster, pk=pk)
    _check_cluster(request, cluster.pk, write=write)
    return cluster


def get_compact_for_member(request, pk: int) -> tuple[Compact, Unit | None, bool]:
    """For pages that cluster readers and member units' officers both use (signing, targets,
    the printable compact): (compact, the officer's own unit or None, can write as
    secretariat). 404 for everyone else."""
    compact = get_object_or_404(Compact.objects.select_related("cluster"), pk=pk)
    scope = scope_of(request.user)
    if scope.can_read_compact(compact):
        own = None
        if scope.officer_units:
            own = _own_unit(compact, scope)
        return compact, own, scope.can_write_compact(compact)
    own = _own_unit(compact, scope)
    if own is None:
        raise Http404
    return compact, own, False


def get_evidence_for_user(request, pk: int, *, write: bool = False) -> Evidence:
    """An evidence file: read by the cluster's readers and the unit's officer, removed only
    by the unit's officer. 404 for everyone else."""
    evidence = get_object_or_404(Evidence.objects.select_related("compact"), pk=pk)
    scope = scope_of(request.user)
    own_unit = evidence.unit_id in scope.officer_units
    if write:
        if not own_unit:
            raise Http404
    elif not (own_unit or scope.can_read_compact(evidence.compact)):
        raise Http404
    return evidence


def _own_unit(compact, scope):
    membership = with_names_on(
        Membership.objects.of_cluster(compact.cluster_id, compact.year)
        .filter(unit_id__in=scope.officer_units)
        .select_related("unit"),
        names_day(compact, Shows.RESULTS),
    ).first()
    return show_annotated_names(membership) if membership else None


# The rules a view applies once it holds the compact. Each names one decision, so that a
# view says which rule it applies and no view decides inline.


def may_verify(user, compact: Compact) -> bool:
    """Verified scores can be typed: scoring is open and the user writes for the cluster."""
    return compact.is_open_for_scoring and scope_of(user).can_write_compact(compact)


def may_edit_compact(user, compact: Compact) -> bool:
    """The scheme and the settings can be changed: the compact is not finalized and the user
    writes for the cluster."""
    return not compact.is_finalized and scope_of(user).can_write_compact(compact)


def may_read_unit(user, compact: Compact, unit: Unit, *, own: Unit | None) -> bool:
    """A unit's sheets and score history: the cluster's readers, and the unit's own officer."""
    return scope_of(user).can_read_compact(compact) or (own is not None and unit.pk == own.pk)


def may_fill_for(unit: Unit, *, own: Unit | None, can_write: bool) -> bool:
    """A unit's template and targets: the secretariat for any member, an officer for its own
    unit (`own` and `can_write` as get_compact_for_member returns them)."""
    return can_write or (own is not None and unit.pk == own.pk)


def may_fill_any(*, own: Unit | None, can_write: bool) -> bool:
    """Whether the user fills in for some unit at all (a leader only reads)."""
    return can_write or own is not None


# Target registration (see scoring.models.targets): the unit's officer registers and submits,
# the secretariat decides; approved targets change only by the secretariat.


def may_submit_targets(user, compact: Compact, unit_id: int) -> bool:
    """A unit's targets can be submitted by its officer, or by the secretariat for it."""
    scope = scope_of(user)
    return scope.can_write_compact(compact) or unit_id in scope.officer_units


def may_decide_targets(user, compact: Compact) -> bool:
    """Submitted targets are returned or approved by the secretariat only."""
    return scope_of(user).can_write_compact(compact)


def may_change_targets(user, compact: Compact, unit_id: int, status: str) -> bool:
    """A unit's targets, in a registration of `status`, can be changed: a draft or returned
    one by its officer or the secretariat; a submitted one by nobody (it is returned first);
    an approved one by the secretariat only, with a reason (the service asks for it)."""
    if status == TargetRegistration.Status.SUBMITTED:
        return False
    if status == TargetRegistration.Status.APPROVED:
        return may_decide_targets(user, compact)
    return may_submit_targets(user, compact, unit_id)


def may_see_unit_line(user, unit_ids: set[int]) -> bool:
    """A unit's line (`unit_ids`: the unit and every unit linked to it by successions):
    administrators and leaders of every cluster; the readers of a cluster that one of these
    units belonged to in some year; and the officers of these units. Which years' results
    the page shows is may_read_line_year's."""
    scope = scope_of(user)
    if scope.is_admin or scope.views_all_clusters or scope.officer_units & unit_ids:
        return True
    places = Membership.objects.filter(unit_id__in=unit_ids).values_list("cluster_id", "year")
    return any(scope.can_read_cluster(c) or (c, y) in scope.led_years for c, y in places)


def may_read_line_year(user, compact: Compact) -> bool:
    """A year's result on a unit's line: for those who may read that year's compact."""
    return scope_of(user).can_read_compact(compact)


def may_record_merger(user) -> bool:
    """Mergers change units and memberships across clusters: administrators only."""
    return scope_of(user).is_admin
