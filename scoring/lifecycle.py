"""A compact's year: starting it, its members, and its guarded status transitions.

draft → signing → in force (scoring open) → scoring closed → finalized.

- draft → signing: the scheme must add up; the scheme is frozen from then on (changes are
  amendments with a reason);
- signing → draft: only while nobody has signed;
- signing → in force: every member has signed, unless overridden with a reason;
- in force ⇄ scoring closed: closing and reopening scoring (reopening needs a reason);
- scoring closed → finalized: every member has verified points on every content criterion,
  and no appeal awaits an answer;
- finalized → scoring closed: only an administrator, with a reason.

Every transition is recorded with who, when and why (CompactEvent).

Signing and the signed documents are in `scoring.signing`.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from units.models import Membership, Unit, UnitName
from units.names import show_names_on

from . import ranking, selectors
from .access import units_cluster_may_take
from .concurrency import State, entry, refuse_if_changed
from .dated_names import Shows, results_day
from .models import Appeal, Compact, CompactEvent, Criterion, FinalResult, NotApplicable, Score
from .services import ServiceError

S = Compact.Status


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    needs_reason: bool = False
    administrator_only: bool = False
    style: str = "primary"


TRANSITIONS = [
    Transition(S.DRAFT, S.SIGNING, gettext_lazy("Start signing (freeze the scheme)")),
    Transition(S.SIGNING, S.DRAFT, gettext_lazy("Back to draft"), style="outline-secondary"),
    Transition(S.SIGNING, S.IN_FORCE, gettext_lazy("Put in force and open scoring")),
    Transition(S.IN_FORCE, S.SCORING_CLOSED, gettext_lazy("Close scoring")),
    Transition(
        S.SCORING_CLOSED,
        S.IN_FORCE,
        gettext_lazy("Reopen scoring"),
        needs_reason=True,
        style="outline-secondary",
    ),
    Transition(S.SCORING_CLOSED, S.FINALIZED, gettext_lazy("Finalize the results")),
    Transition(
        S.FINALIZED,
        S.SCORING_CLOSED,
        gettext_lazy("Reopen the finalized results"),
        needs_reason=True,
        administrator_only=True,
        style="outline-danger",
    ),
]


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


def record_event(compact, *, kind, user, summary="", reason="", source="", target=""):
    return CompactEvent.objects.create(
        compact=compact,
        kind=kind,
        user=user,
        summary=summary[:500],
        reason=reason,
        from_status=source,
        to_status=target,
    )


def unsigned_members(compact: Compact) -> list[Unit]:
    signed = set(compact.signatures.values_list("unit_id", flat=True))
    members = selectors.members_of(compact, Shows.SIGNING)
    return [m.unit for m in members if m.unit_id not in signed]


def missing_verified(compact: Compact) -> int:
    """How many (member, applicable content leaf) cells have no verified points."""
    leaves = [
        c.id
        for c in Criterion.objects.filter(compact=compact).leaves()
        if c.section == ranking.Section.CONTENT
    ]
    members = list(compact.memberships().values_list("unit_id", flat=True))
    done = Score.objects.filter(
        compact=compact,
        criterion_id__in=leaves,
        unit_id__in=members,
        verified_value__isnull=False,
    ).count()
    marked = NotApplicable.objects.filter(
        compact=compact, criterion_id__in=leaves, unit_id__in=members
    ).count()
    return len(leaves) * len(members) - marked - done


@transaction.atomic
def change_status(
    *,
    compact: Compact,
    target: str,
    user,
    is_administrator: bool,
    reason: str = "",
    override: bool = False,
) -> Compact:
    """Moves the compact to `target` if the lifecycle allows it now; ServiceError otherwise."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    reason = (reason or "").strip()
    transition = _allowed_transition(compact, target, is_administrator, reason)
    _ensure_ready_for(compact, target, reason=reason, override=override)
    source = compact.status
    compact.status = target
    compact.finalized_on = timezone.localdate() if target == S.FINALIZED else None
    compact._change_reason = reason
    compact.save(update_fields=["status", "finalized_on", "updated_at"])
    if target == S.FINALIZED:
        store_final_results(compact)
    elif source == S.FINALIZED:
        FinalResult.objects.filter(compact=compact).delete()  # reopened: no longer final
    record_event(
        compact,
        kind=CompactEvent.Kind.TRANSITION,
        user=user,
        reason=reason,
        source=source,
        target=target,
        summary=str(transition.label),
    )
    return compact


def _allowed_transition(compact, target, is_administrator, reason) -> Transition:
    """The transition from the compact's status to `target`, if this user may take it."""
    transition = next((t for t in transitions_from(compact.status) if t.target == target), None)
    if transition is None:
        raise ServiceError(
            _("A compact cannot go from “%(source)s” to “%(target)s”.")
            % {"source": compact.get_status_display(), "target": S(target).label}
        )
    if transition.administrator_only and not is_administrator:
        raise ServiceError(_("Only an administrator can reopen finalized results."))
    if transition.needs_reason and not reason:
        raise ServiceError(_("Give the reason for this change."))
    return transition


def _ensure_ready_for(compact, target, *, reason, override) -> None:
    """What the compact must hold before it reaches `target` (see the module docstring)."""
    if target == S.SIGNING:
        _ensure_scheme_ready(compact)
    if target == S.DRAFT and compact.signatures.exists():
        raise ServiceError(
            _("Members have already signed; the scheme can no longer go back to draft.")
        )
    if target == S.IN_FORCE and compact.status == S.SIGNING:
        missing = unsigned_members(compact)
        if missing and not override:
            raise ServiceError(
                _(
                    "%(count)s members have not signed yet: %(units)s. Record their signatures, "
                    "or open scoring anyway with a reason."
                )
                % {"count": len(missing), "units": ", ".join(str(u) for u in missing)}
            )
        if missing and not reason:
            raise ServiceError(_("Give the reason for opening scoring before every member signed."))
    if target == S.FINALIZED:
        missing = missing_verified(compact)
        if missing:
            raise ServiceError(
                _(
                    "%(count)s scores are not verified yet; every member needs verified points "
                    "on every content criterion before the results are finalized."
                )
                % {"count": formats.number_format(missing, force_grouping=True)}
            )
        if Appeal.objects.filter(compact=compact, status=Appeal.Status.OPEN).exists():
            raise ServiceError(
                _("Appeals are awaiting an answer: answer them, or close them with a reason.")
            )


def _ensure_scheme_ready(compact) -> None:
    """Signing needs members and a scheme that adds up."""
    if not compact.memberships().exists():
        raise ServiceError(_("The compact has no member units for its year."))
    if not Criterion.objects.filter(compact=compact).exists():
        raise ServiceError(_("The scheme is empty."))
    problems = selectors.scheme_problems(compact)
    if problems:
        raise ServiceError(
            _("The scheme does not add up yet: %(problems)s") % {"problems": " ".join(problems)}
        )


def store_final_results(compact: Compact) -> None:
    """Keeps each member's place in the finalized results as announced (see FinalResult)."""
    places = selectors.standings_by_compact([compact], with_previous=False)[compact.pk].rows
    FinalResult.objects.filter(compact=compact).delete()
    FinalResult.objects.bulk_create(
        FinalResult(
            compact=compact,
            unit_id=row.membership.unit_id,
            rank=row.ranked.rank,
            total=row.ranked.total.total,
            band=row.ranked.band,
        )
        for row in places
    )


def leaders_by_year(cluster_id: int, *, up_to: int | None = None) -> list[dict]:
    """Past leaders and deputies of a cluster (of the years up to `up_to`), newest year first,
    for choosing by rotation, each printing the name of its year's results."""
    years: dict[int, dict] = {}
    finalized_on = Compact.objects.filter(
        cluster_id=OuterRef("cluster_id"), year=OuterRef("year")
    ).values("finalized_on")[:1]
    for m in (
        Membership.objects.filter(
            cluster_id=cluster_id, role__in=["leader", "deputy"], year__lte=up_to or 9999
        )
        .select_related("unit")
        .prefetch_related(Prefetch("unit__former_names", queryset=UnitName.objects.all()))
        .annotate(finalized_on=Subquery(finalized_on))
        .order_by("-year")
    ):
        show_names_on([m.unit], results_day(m.year, m.finalized_on))  # each year's names
        years.setdefault(m.year, {"year": m.year})[m.role] = m.unit
    return list(years.values())


def members_state(units: list[Unit], leader: Unit | None, deputy: Unit | None) -> State:
    """A cluster's members and roles for a year, as compared for a stale save."""
    units = sorted(set(units), key=lambda u: (u.short_name, u.pk))
    return {
        "units": entry(
            Membership._meta.verbose_name_plural,
            ",".join(str(u.pk) for u in sorted(units, key=lambda u: u.pk)),
            ", ".join(str(u) for u in units) or None,
        ),
        "leader": entry(Membership.Role.LEADER.label, leader),
        "deputy": entry(Membership.Role.DEPUTY.label, deputy),
    }


def current_members_state(cluster_id: int, year: int) -> State:
    memberships = list(Membership.objects.of_cluster(cluster_id, year).select_related("unit"))
    role = {m.role: m.unit for m in memberships}
    return members_state(
        [m.unit for m in memberships], role.get(Membership.Role.LEADER), role.get("deputy")
    )


@transaction.atomic
def set_members(
    *,
    cluster_id: int,
    year: int,
    unit_ids: list[int],
    leader_id: int | None,
    deputy_id: int | None,
    user=None,
    seen: dict | None = None,
) -> None:
    """Makes exactly these units the cluster's members for the year, with these roles.
    StaleSave if the members changed since the page showed them (`seen`)."""
    # The compact's row is the lock that orders two saves of the same members.
    list(Compact.objects.select_for_update().filter(cluster_id=cluster_id, year=year))
    if seen is not None:
        chosen_units = {u.pk: u for u in Unit.objects.filter(pk__in=set(unit_ids))}
        refuse_if_changed(
            seen=seen,
            now=current_members_state(cluster_id, year),
            yours=members_state(
                list(chosen_units.values()),
                Unit.objects.filter(pk=leader_id).first() if leader_id else None,
                Unit.objects.filter(pk=deputy_id).first() if deputy_id else None,
            ),
        )
    if leader_id and leader_id == deputy_id:
        raise ServiceError(_("The leader and the deputy must be different units."))
    chosen = set(unit_ids) | {u for u in (leader_id, deputy_id) if u}
    if not chosen:
        raise ServiceError(_("Choose at least one member unit."))
    _check_units_free(chosen, cluster_id=cluster_id, year=year, user=user)
    _write_members(chosen, cluster_id=cluster_id, year=year, roles=(leader_id, deputy_id))


def _check_units_free(chosen: set, *, cluster_id: int, year: int, user) -> None:
    """The chosen units are in no other cluster this year, and the user may take them."""
    elsewhere = list(
        Membership.objects.filter(year=year, unit_id__in=chosen)
        .exclude(cluster_id=cluster_id)
        .select_related("unit", "cluster")
    )
    if elsewhere:
        raise ServiceError(
            _("Already members of another cluster in %(year)s: %(units)s.")
            % {"year": year, "units": ", ".join(f"{m.unit} ({m.cluster})" for m in elsewhere)}
        )
    if user is not None:  # None: a trusted caller (the demo, a management command)
        allowed = units_cluster_may_take(user, cluster_id=cluster_id, year=year)
        refused = chosen - set(allowed.filter(pk__in=chosen).values_list("pk", flat=True))
        if refused:
            raise ServiceError(
                _(
                    "These units belong to another cluster; only an administrator can move "
                    "them: %(units)s."
                )
                % {"units": ", ".join(str(u) for u in Unit.objects.filter(pk__in=refused))}
            )


def _write_members(chosen: set, *, cluster_id: int, year: int, roles: tuple) -> None:
    """Removes the units not chosen (refused if one has scores), then gives each chosen unit
    its role (leader, deputy) = `roles`, stepping down first so the one-leader and one-deputy
    constraints hold at every save."""
    leader_id, deputy_id = roles
    current = {m.unit_id: m for m in Membership.objects.filter(cluster_id=cluster_id, year=year)}
    scored = set(
        Score.objects.filter(compact__cluster_id=cluster_id, compact__year=year)
        .values_list("unit_id", flat=True)
        .distinct()
    )
    leaving = [m for unit_id, m in current.items() if unit_id not in chosen]
    if any(m.unit_id in scored for m in leaving):
        raise ServiceError(_("A unit that already has scores this year cannot be removed."))
    for m in leaving:
        m.delete()

    def role_of(unit_id):
        if unit_id == leader_id:
            return Membership.Role.LEADER
        return Membership.Role.DEPUTY if unit_id == deputy_id else Membership.Role.MEMBER

    for unit_id, m in current.items():
        if unit_id in chosen and m.role != role_of(unit_id) and m.role != Membership.Role.MEMBER:
            m.role = Membership.Role.MEMBER
            m.save()
    for unit_id in chosen:
        membership = current.get(unit_id) or Membership(
            cluster_id=cluster_id, unit_id=unit_id, year=year
        )
        if membership.pk is None or membership.role != role_of(unit_id):
            membership.role = role_of(unit_id)
            membership.save()


@transaction.atomic
def start_year(
    *,
    cluster,
    year: int,
    user,
    source: Compact | None,
    unit_ids: list[int],
    leader_id: int | None,
    deputy_id: int | None,
) -> Compact:
    """Creates the cluster's compact for `year`, in draft: from scratch, or copying the
    source compact's texts, scale, ranking settings, whole scheme and the marks of criteria
    not applicable to units that stay members (not its scores, targets or signatures).
    Members and roles are those given."""
    if Compact.objects.filter(cluster=cluster, year=year).exists():
        raise ServiceError(
            _("%(cluster)s already has a compact for %(year)s.")
            % {"cluster": cluster, "year": year}
        )
    set_members(
        cluster_id=cluster.pk,
        year=year,
        unit_ids=unit_ids,
        leader_id=leader_id,
        deputy_id=deputy_id,
        user=user,
    )
    fields = {}
    if source is not None:
        fields = {
            name: getattr(source, name)
            for name in Compact.SETTINGS_FIELDS
            if name not in Compact.SIGNING_FIELDS
        }
    try:
        compact = Compact.objects.create(cluster=cluster, year=year, status=S.DRAFT, **fields)
    except IntegrityError:
        raise ServiceError(_("This cluster already has a compact for this year.")) from None
    summary = _("From scratch")
    if source is not None:
        new_ids = copy_scheme(source=source, target=compact)
        carried = copy_not_applicable(source=source, target=compact, new_ids=new_ids, user=user)
        summary = _("Copied from %(year)s") % {"year": source.year}
        if carried:
            summary += " " + ngettext(
                "(%(count)s criterion not applicable to a unit carried over)",
                "(%(count)s criteria not applicable to units carried over)",
                carried,
            ) % {"count": carried}
    record_event(compact, kind=CompactEvent.Kind.CREATED, user=user, summary=summary)
    return compact


# What a criterion carries into next year's scheme (its parent is mapped to the copy's).
COPIED_CRITERION_FIELDS = [
    *(name for name in Criterion.EDITABLE_FIELDS if name != "parent"),
    "position",
]


def copy_scheme(*, source: Compact, target: Compact) -> dict[int, int]:
    """Copies every criterion, keeping the tree, in tree order (parents before children).
    Returns each source criterion's id → its copy's."""
    new_ids = {}
    for node in selectors.criteria_for_compact(source):
        copy = Criterion.objects.create(
            compact=target,
            parent_id=new_ids.get(node.parent_id),
            **{name: getattr(node, name) for name in COPIED_CRITERION_FIELDS},
        )
        new_ids[node.id] = copy.id
    return new_ids


def copy_not_applicable(*, source: Compact, target: Compact, new_ids: dict[int, int], user) -> int:
    """Carries the source year's marks "not applicable" (no seaport, no border: they rarely
    change) onto the copied criteria, for the units that are members of the new year, with
    their reasons; the secretariat reviews them on the new year's page before scoring
    closes. Saved one by one so that each has its history entry. Returns how many."""
    members = set(
        Membership.objects.filter(cluster_id=target.cluster_id, year=target.year).values_list(
            "unit_id", flat=True
        )
    )
    now = timezone.now()
    carried = 0
    for mark in NotApplicable.objects.filter(compact=source, unit_id__in=members).order_by("pk"):
        copy_id = new_ids.get(mark.criterion_id)
        if copy_id is None:  # a mark on a criterion outside the copied tree: nothing to carry
            continue
        NotApplicable.objects.create(
            compact=target,
            unit_id=mark.unit_id,
            criterion_id=copy_id,
            reason=mark.reason,
            marked_by=user,
            marked_at=now,
        )
        carried += 1
    return carried
