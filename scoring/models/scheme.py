"""The scoring scheme of a compact: criteria as a tree (groups, criteria, sub-criteria; judged,
quantitative, pass/fail, bonus and deduction) and the targets units register for the
quantitative ones.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.history import HistoricalRecords
from units.models import Unit

from .. import ranking
from .compact import MAX_DEPTH, POINTS, VALUES, ZERO, Compact


class CriterionQuerySet(models.QuerySet):
    def leaves(self):
        # Children are in their parent's compact (Criterion.clean): saying so lets PostgreSQL
        # read one compact's criteria for the NOT EXISTS, whatever its statistics say (a LEFT
        # JOIN on children … IS NULL could hash every criterion of every year: 300,000 on
        # the national set).
        children = self.model.objects.filter(
            parent_id=OuterRef("pk"), compact_id=OuterRef("compact_id")
        )
        return self.filter(~Exists(children))


class Criterion(models.Model):
    """A node of a compact's scoring scheme: a group (I), a criterion (I.1) or a sub-criterion.

    Scores are given on leaves only. `kind` is the section for groups (content groups use
    "judged"; the bonus and deduction sections use their own kind) and the scoring rule for
    leaves. For bonus and deduction items, `max_points` is the item's own cap (empty: none).
    """

    Kind = ranking.Kind
    Rule = ranking.Rule

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("compact")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    code = models.CharField(_("code"), max_length=50, help_text=_("e.g. I, II.3, II.3.a"))
    typed_code = models.CharField(
        _("code as typed"),
        max_length=30,
        blank=True,
        help_text=_("The number as the imported table wrote it (“1.1.”, “2.a)”, “-”)."),
    )
    title = models.CharField(pgettext_lazy("criterion's wording", "title"), max_length=500)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ranking.Kind.choices, default=ranking.Kind.JUDGED
    )
    max_points = models.DecimalField(
        _("maximum points"),
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
    )
    points_per_occurrence = models.DecimalField(
        _("points per occurrence"),
        **POINTS,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text=_("For bonus and deduction items: points added or taken per occurrence."),
    )
    rule = models.CharField(
        _("quantitative rule"),
        max_length=20,
        choices=ranking.Rule.choices,
        blank=True,
        help_text=_("For quantitative criteria: how the actual value against the target scores."),
    )
    lower_is_better = models.BooleanField(
        _("lower is better"),
        default=False,
        help_text=_(
            "For criteria compared within the cluster: fewer is better (fires, deaths, damage); "
            "a target of 0 is then a real target."
        ),
    )
    disqualifying = models.BooleanField(
        _("disqualifying"),
        default=False,
        help_text=_("An occurrence makes the unit ineligible for flags, whatever its total."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    guidance = models.TextField(_("guidance"), blank=True)

    objects = CriterionQuerySet.as_manager()

    # What the scheme editor changes, and (with the position) a copied scheme carries.
    EDITABLE_FIELDS = [
        "parent",
        "code",
        "title",
        "kind",
        "max_points",
        "points_per_occurrence",
        "rule",
        "lower_is_better",
        "disqualifying",
        "guidance",
    ]
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["compact", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "code"],
                name="criterion_code_unique_in_compact",
                violation_error_message=_("This code is already used in the scheme."),
            ),
            models.CheckConstraint(
                condition=Q(max_points__isnull=True) | Q(max_points__gte=0),
                name="criterion_max_points_not_negative",
                violation_error_message=_("The maximum points cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(points_per_occurrence__isnull=True) | Q(points_per_occurrence__gte=0),
                name="criterion_per_occurrence_not_negative",
                violation_error_message=_("Points per occurrence cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["bonus", "deduction"]) | Q(max_points__isnull=False),
                name="criterion_content_has_max_points",
                violation_error_message=_("A content criterion needs its maximum points."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="criterion_not_own_parent",
                violation_error_message=_("A criterion cannot be its own parent."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    @property
    def shown_code(self) -> str:
        """The number as the secretariat typed it when imported, else the scheme's code."""
        return self.typed_code or self.code

    @property
    def is_relative(self) -> bool:
        """Compared within the cluster: points depend on every unit's result."""
        return ranking.is_relative(self.kind, self.rule)

    @property
    def section(self):
        return ranking.section_of(self.kind)

    def depth(self):
        depth, node = 1, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth

    def clean(self):
        errors = {}
        if self.parent_id:
            if self.parent.compact_id != self.compact_id:
                errors["parent"] = _("The parent belongs to another compact.")
            elif self.parent.depth() >= MAX_DEPTH:
                errors["parent"] = _("Criteria nest at most %(depth)s levels.") % {
                    "depth": MAX_DEPTH
                }
            elif ranking.section_of(self.parent.kind) != self.section:
                errors["kind"] = _(
                    "A criterion must be of the same section (content, bonus or deduction) "
                    "as its group."
                )
            elif self.parent.scores.exists():
                errors["parent"] = _(
                    "The parent already has scores; a scored criterion cannot become a group."
                )
        if self.kind == ranking.Kind.QUANTITATIVE and not self.rule:
            errors["rule"] = _("A quantitative criterion needs its rule.")
        if self.lower_is_better and not ranking.is_relative(self.kind, self.rule):
            errors["lower_is_better"] = _(
                "Only a criterion compared within the cluster can be lower-is-better."
            )
        if self.kind == ranking.Kind.COUNT and self.points_per_occurrence is None:
            errors["points_per_occurrence"] = _(
                "A count criterion needs its points per occurrence."
            )
        if self.kind in (ranking.Kind.BONUS, ranking.Kind.DEDUCTION):
            if self.parent_id and self.points_per_occurrence is None:
                errors["points_per_occurrence"] = _(
                    "A bonus or deduction item needs its points per occurrence."
                )
        elif self.max_points is None:
            errors["max_points"] = _("A content criterion needs its maximum points.")
        if errors:
            raise ValidationError(errors)


class Target(models.Model):
    """A unit's registered target (chỉ tiêu) for a quantitative criterion. Zero is a real
    target where lower is better ("no deaths"); no row means no target registered."""

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="targets", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="targets", verbose_name=_("unit")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="targets", verbose_name=_("criterion")
    )
    value = models.DecimalField(_("target"), **VALUES)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit", "criterion"],
                name="one_target_per_unit_criterion",
                violation_error_message=_("This unit already has a target for this criterion."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="target_not_negative",
                violation_error_message=_("A target cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criterion.code}: {self.value}"

    def clean(self):
        if self.criterion_id and self.criterion.kind != ranking.Kind.QUANTITATIVE:
            raise ValidationError(
                {"criterion": _("Targets are registered for quantitative criteria only.")}
            )
