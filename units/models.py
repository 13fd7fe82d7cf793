import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .history import HistoricalRecords


class Cluster(models.Model):
    """An emulation cluster (cụm thi đua), numbered within its managing body."""

    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. Cụm thi đua số 12"))
    managing_body = models.CharField(_("managing body"), max_length=200, default="Bộ Công an")
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")
        ordering = ["managing_body", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["managing_body", "number"],
                name="cluster_number_unique",
                violation_error_message=_("A cluster with this number already exists."),
            ),
        ]

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def existing_in(self, year: int | None):
        """Units that may belong to a cluster in `year`: the active ones, and those a merger
        or a dissolution closed only after that year began (Bình Định, merged on 1/7/2025,
        still takes part in 2025 and before). An active unit whose merger, recorded in
        advance, has not yet closed it is not offered for the years from the merger's first
        (`first_year_after` its date). Without a year, the active ones."""
        if year is None:
            return self.active()
        closing = UnitSuccession.objects.filter(
            predecessor=models.OuterRef("pk"), kind__in=UnitSuccession.CLOSING
        )
        closed_later = closing.filter(effective_on__gt=datetime.date(year, 1, 1))
        # A merger recorded in advance: the unit is still active, but gone by that year.
        pending_by_then = closing.filter(
            effective_on__lte=datetime.date(year, 1, 1), closed_on__isnull=True
        )
        return self.filter(
            (Q(active=True) & ~Q(models.Exists(pending_by_then))) | Q(models.Exists(closed_later))
        )

    def named_on(self, day: datetime.date):
        """Units that print (`str`, `shown_*_name`) their names valid on `day`, read in the
        same query (e.g. a form's choices for a 2017 page)."""
        return self.annotate(**names_on_annotations(day, "pk"))


class Unit(models.Model):
    """A member organisation. `code` is its stable identity; names change over time."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A permanent identifier that never changes, even when the unit is renamed."),
    )
    full_name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    province = models.CharField(_("province"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["short_name"]

    def __str__(self):
        return self.shown_short_name

    @property
    def shown_short_name(self) -> str:
        """The short name to print: the one valid on the day chosen for this instance
        (`units.names.show_names_on`, `Unit.objects.named_on`), else the current one."""
        return self._shown_names()[1]

    @property
    def shown_full_name(self) -> str:
        return self._shown_names()[0]

    def _shown_names(self) -> tuple[str, str]:
        shown = getattr(self, "_names_shown", None)
        if shown is not None:
            return shown
        if getattr(self, "dated_full_name", None) is not None:  # Unit.objects.named_on
            return self.dated_full_name, self.dated_short_name
        return self.full_name, self.short_name

    def names_on(self, day: datetime.date) -> tuple[str, str]:
        """(full name, short name) valid on `day`: a dated former name, else the current one.

        Uses prefetched `former_names` when present, so it costs no query in loops. Should
        two periods overlap (rows older than `UnitName.clean`), the latest-starting name wins.
        """
        valid = [f for f in self.former_names.all() if f.valid_from <= day <= f.valid_until]
        if valid:
            latest = max(valid, key=lambda f: (f.valid_from, f.pk or 0))
            return latest.full_name, latest.short_name
        return self.full_name, self.short_name


def names_on_annotations(day: datetime.date, unit_field: str) -> dict:
    """`dated_full_name` and `dated_short_name`: the former names valid on `day` of the unit
    whose id is in `unit_field` of the annotated rows (None when it bore its current name).
    Periods never overlap (`UnitName.clean`); should old rows overlap, the latest-starting
    name wins, as in `Unit.names_on` and `units.names.show_names_on`."""
    names = UnitName.objects.filter(
        unit=models.OuterRef(unit_field), valid_from__lte=day, valid_until__gte=day
    ).order_by("-valid_from", "-pk")
    return {
        "dated_full_name": models.Subquery(names.values("full_name")[:1]),
        "dated_short_name": models.Subquery(names.values("short_name")[:1]),
    }


class UnitName(models.Model):
    """A name the unit carried over a closed period, so old years print the names of their time."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="former_names", verbose_name=_("unit")
    )
    full_name = models.CharField(_("full name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["unit", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="unit_name_period_ordered",
                violation_error_message=_("The end of the period is before its start."),
            ),
        ]

    def __str__(self):
        return f"{self.short_name} ({self.valid_from:%d/%m/%Y}–{self.valid_until:%d/%m/%Y})"

    def overlaps(self, other: "UnitName") -> bool:
        return self.valid_from <= other.valid_until and other.valid_from <= self.valid_until

    def clean(self):
        """One name at a time: a unit's periods never overlap (the name valid on a day
        must be one name)."""
        if not (self.unit_id and self.valid_from and self.valid_until):
            return
        clash = (
            UnitName.objects.filter(
                unit_id=self.unit_id,
                valid_from__lte=self.valid_until,
                valid_until__gte=self.valid_from,
            )
            .exclude(pk=self.pk)
            .order_by("valid_from")
            .first()
        )
        if clash is not None:
            raise ValidationError(
                _(
                    "This period overlaps the former name “%(name)s” (%(start)s–%(end)s) of "
                    "the same unit; a unit's name periods cannot overlap."
                )
                % {
                    "name": clash.short_name,
                    "start": formats.date_format(clash.valid_from, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(clash.valid_until, "SHORT_DATE_FORMAT"),
                }
            )


class UnitSuccession(models.Model):
    """A predecessor → successor link: renaming, merger, split, reorganisation or dissolution,
    with the decision that made it. A dissolved unit has no successor; every other kind has
    one (a database constraint)."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("renamed as")
        MERGED = "merged", _("merged into")
        MERGED_TO_FORM = "merged_to_form", _("merged with others to form")
        SPLIT = "split", _("split into")
        REORGANISED = "reorganised", _("reorganised as")
        DISSOLVED = "dissolved", _("dissolved")

    # A unit closed by one of these is gone from that date: it cannot be merged again.
    CLOSING = (Kind.MERGED, Kind.MERGED_TO_FORM, Kind.DISSOLVED)

    predecessor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="predecessions",
        verbose_name=_("successor"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    decision = models.CharField(
        _("decision number"), max_length=200, blank=True, help_text=_("e.g. QĐ 4083/QĐ-BCA")
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    issuing_body = models.CharField(
        _("issuing body"), max_length=200, blank=True, help_text=_("e.g. Bộ Công an")
    )
    lock_accounts = models.BooleanField(
        _("lock the accounts"),
        default=False,
        help_text=_(
            "When the unit closes on this date, the accounts that work only for it can no "
            "longer sign in."
        ),
    )
    closed_on = models.DateField(
        _("closed the unit on"),
        null=True,
        blank=True,
        help_text=_(
            "The day this succession made its unit inactive; empty while it has not. A unit "
            "an administrator reactivates afterwards stays active."
        ),
    )

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="dissolved", successor__isnull=True)
                    | (~Q(kind="dissolved") & Q(successor__isnull=False))
                ),
                name="succession_successor_unless_dissolved",
                violation_error_message=_(
                    "A dissolved unit has no successor; every other kind of succession needs one."
                ),
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="succession_once",
                violation_error_message=_("This succession is already recorded."),
            ),
        ]

    def __str__(self):
        if self.successor_id is None:
            return f"{self.predecessor} ({self.get_kind_display()})"
        return f"{self.predecessor} → {self.successor}"


class MembershipQuerySet(models.QuerySet):
    def of_cluster(self, cluster, year):
        return self.filter(cluster=cluster, year=year)


class Membership(models.Model):
    """A unit's place in a cluster for one year, with its role that year."""

    class Role(models.TextChoices):
        LEADER = "leader", _("cluster leader")
        DEPUTY = "deputy", _("deputy leader")
        MEMBER = "member", _("member")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("cluster")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["cluster", "-year", "role", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="unit_one_cluster_per_year",
                violation_error_message=_("This unit already belongs to a cluster in this year."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "year"],
                condition=Q(role="leader"),
                name="one_leader_per_cluster_year",
                violation_error_message=_("This cluster already has a leader in this year."),
            ),
            models.UniqueConstraint(
                fields=["cluster", "year"],
                condition=Q(role="deputy"),
                name="one_deputy_per_cluster_year",
                violation_error_message=_("This cluster already has a deputy leader in this year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2200),
                name="membership_year_plausible",
                violation_error_message=_("The year is out of range."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.cluster} ({self.year})"


class UserRole(models.Model):
    """What a user may do, and where: the scope of every permission check.

    - administrator: everything;
    - secretariat: reads and writes its cluster's compacts; with a unit, it is the secretariat
      of that unit as cluster leader: it manages the year its unit leads (while that year is
      the cluster's latest) and keeps read access to the years its unit led;
    - officer: self-assesses its own unit only;
    - viewer (leader): reads one cluster, or every cluster when no cluster is given.
    """

    class Role(models.TextChoices):
        ADMINISTRATOR = "admin", _("administrator")
        SECRETARIAT = "secretariat", _("cluster secretariat")
        OFFICER = "officer", _("unit officer")
        VIEWER = "viewer", _("leader (read-only)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="user_roles",
        verbose_name=_("cluster"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="user_roles",
        verbose_name=_("unit"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="admin", cluster__isnull=True, unit__isnull=True)
                    | Q(role="secretariat", cluster__isnull=False)
                    | Q(role="officer", cluster__isnull=True, unit__isnull=False)
                    | Q(role="viewer", unit__isnull=True)
                ),
                name="user_role_scope_matches_role",
                violation_error_message=_(
                    "A secretariat needs a cluster (and may name the leader unit it works "
                    "for), an officer needs a unit, a viewer may have a cluster (none means "
                    "every cluster), an administrator has neither."
                ),
            ),
        ]

    def __str__(self):
        scope = self.unit or self.cluster or _("all clusters")
        return f"{self.user} — {self.get_role_display()} ({scope})"
