from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from units.models import Cluster, Membership, Unit

from . import ranking

ZERO = Decimal(0)
# Points have at most two decimals (half and quarter points exist) and stay below 100,000.
POINTS = {"max_digits": 7, "decimal_places": 2}
# Raw values (an actual count of outreach sessions, a target) can be much larger.
VALUES = {"max_digits": 12, "decimal_places": 2}
# Groups (I) → criteria (I.1) → sub-criteria (I.1.a) → … : real schemes go five or six deep.
MAX_DEPTH = 8


def compact_document_path(instance, filename):
    import uuid

    return f"compacts/{instance.pk or 'new'}/{uuid.uuid4().hex}.pdf"


def default_bands():
    return [dict(band) for band in ranking.DEFAULT_BANDS]


def default_tie_breakers():
    return list(ranking.DEFAULT_TIE_BREAKERS)


class CompactQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def open_for_scoring(self):
        return self.filter(status=Compact.Status.IN_FORCE)


class Compact(models.Model):
    """A cluster's emulation compact (giao ước thi đua) for one year, with its scoring scheme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SIGNING = "signing", _("signing")
        IN_FORCE = "in_force", _("in force (scoring open)")
        SCORING_CLOSED = "scoring_closed", _("scoring closed")
        FINALIZED = "finalized", _("finalized")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="compacts", verbose_name=_("cluster")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    movement = models.CharField(
        _("emulation movement"), max_length=255, default="Vì an ninh Tổ quốc"
    )
    slogan = models.CharField(_("action slogan"), max_length=500, blank=True)
    commitments = models.TextField(_("commitments"), blank=True)
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_place = models.CharField(_("signing place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    content_max = models.DecimalField(
        _("maximum content points"),
        **POINTS,
        default=Decimal(950),
        help_text=_("The declared scale of the content groups, e.g. 950 (of 1,000) or 100."),
    )
    bonus_cap = models.DecimalField(
        _("bonus cap"),
        **POINTS,
        default=Decimal(50),
        help_text=_("The most bonus points a unit can receive in total."),
    )
    deduction_cap = models.DecimalField(
        _("deduction cap"),
        **POINTS,
        null=True,
        blank=True,
        help_text=_("The most points that can be deducted in total; empty means no limit."),
    )
    bands = models.JSONField(
        _("classification bands"),
        default=default_bands,
        help_text=_('Highest first, e.g. [{"min": "900", "label": "Xuất sắc"}, …].'),
    )
    tie_breakers = models.JSONField(
        _("tie-breakers"),
        default=default_tie_breakers,
        blank=True,
        help_text=_(
            'In order: "fewer_deductions", "higher_groups:II,III". A tie they cannot break is '
            "decided at the vote."
        ),
    )
    operating_rules = models.FileField(
        _("operating rules"), upload_to=compact_document_path, blank=True, max_length=255
    )
    signed_scan = models.FileField(
        _("signed compact (scan)"), upload_to=compact_document_path, blank=True, max_length=255
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CompactQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("compact")
        verbose_name_plural = _("compacts")
        ordering = ["cluster", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "year"],
                name="one_compact_per_cluster_year",
                violation_error_message=_("This cluster already has a compact for this year."),
            ),
            models.CheckConstraint(
                condition=Q(content_max__gt=0),
                name="compact_content_max_positive",
                violation_error_message=_("The maximum content points must be positive."),
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0),
                name="compact_bonus_cap_not_negative",
                violation_error_message=_("The bonus cap cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(deduction_cap__isnull=True) | Q(deduction_cap__gte=0),
                name="compact_deduction_cap_not_negative",
                violation_error_message=_("The deduction cap cannot be negative."),
            ),
        ]

    def __str__(self):
        return _("%(cluster)s compact, %(year)s") % {"cluster": self.cluster, "year": self.year}

    @property
    def is_open_for_scoring(self):
        return self.status == self.Status.IN_FORCE

    @property
    def is_finalized(self):
        return self.status == self.Status.FINALIZED

    @property
    def scheme_is_frozen(self):
        """Once signing starts, a scheme change is an amendment with a reason."""
        return self.status != self.Status.DRAFT

    def clean(self):
        errors = {}
        try:
            ranking.parse_bands(self.bands or [])
        except (KeyError, TypeError, ValueError, ArithmeticError):
            errors["bands"] = _(
                'Each band needs a minimum and a label, e.g. {"min": "900", "label": "Xuất sắc"}.'
            )
        try:
            for text in self.tie_breakers or []:
                ranking.parse_tie_breaker(str(text))
        except ValueError as exc:
            errors["tie_breakers"] = _("Unknown tie-breaker: %(value)s.") % {"value": exc}
        if errors:
            raise ValidationError(errors)

    def memberships(self):
        return Membership.objects.of_cluster(self.cluster_id, self.year)


class CompactEvent(models.Model):
    """Something that happened to a compact: a status transition or a scheme amendment,
    with who, when and why. Kept for ever and shown on the compact's page."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        TRANSITION = "transition", _("status changed")
        AMENDMENT = "amendment", _("scheme amended")
        IMPORT = "import", _("scheme imported")
        SIGNATURE = "signature", _("signature recorded")
        REVIEW = "review", _("year-end review")

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="events", verbose_name=_("compact")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=Compact.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Compact.Status.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compact event")
        verbose_name_plural = _("compact events")
        ordering = ["compact", "-at", "-id"]

    def __str__(self):
        return f"{self.compact} — {self.get_kind_display()}"


class Signature(models.Model):
    """A member unit's signing of the compact."""

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("unit")
    )
    representative = models.CharField(_("representative"), max_length=200)
    title = models.CharField(
        pgettext_lazy("signatory's position", "title"), max_length=200, blank=True
    )
    signed_on = models.DateField(_("signing date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["compact", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit"],
                name="one_signature_per_unit",
                violation_error_message=_("This unit has already signed the compact."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.representative}"

    def clean(self):
        if (
            self.compact_id
            and self.unit_id
            and not self.compact.memberships().filter(unit_id=self.unit_id).exists()
        ):
            raise ValidationError(
                {"unit": _("This unit is not a member of the cluster in that year.")}
            )


class CriterionQuerySet(models.QuerySet):
    def leaves(self):
        return self.filter(children__isnull=True)

    def top_level(self):
        return self.filter(parent__isnull=True)


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
    disqualifying = models.BooleanField(
        _("disqualifying"),
        default=False,
        help_text=_("An occurrence makes the unit ineligible for flags, whatever its total."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    guidance = models.TextField(_("guidance"), blank=True)

    objects = CriterionQuerySet.as_manager()
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
    """A unit's registered target (chỉ tiêu) for a quantitative criterion."""

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
                condition=Q(value__gt=0),
                name="target_positive",
                violation_error_message=_("A target must be greater than zero."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criterion.code}: {self.value}"

    def clean(self):
        if self.criterion_id and self.criterion.kind != ranking.Kind.QUANTITATIVE:
            raise ValidationError(
                {"criterion": _("Targets are registered for quantitative criteria only.")}
            )


# A note or a reason is a few sentences; the limit keeps a pasted document out of every page
# that shows it (and out of the audit trail, which copies it on every save).
NOTE_MAX_LENGTH = 2000


class Score(models.Model):
    """A unit's score on one leaf criterion of a compact.

    `*_value` is what was entered (points, the actual figure, 1/0 for pass/fail, or a count of
    occurrences); `*_points` is what it is worth under the criterion's rule, always ≥ 0 —
    deductions are stored as positive points and subtracted in the total. `None` means
    "not scored yet". `version` increases on every save, for optimistic locking.
    """

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="scores", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="scores", verbose_name=_("unit")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    self_value = models.DecimalField(_("self-assessed value"), **VALUES, null=True, blank=True)
    self_points = models.DecimalField(_("self-assessed points"), **POINTS, null=True, blank=True)
    self_note = models.TextField(
        _("self-assessment note"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
    )
    verified_value = models.DecimalField(_("verified value"), **VALUES, null=True, blank=True)
    verified_points = models.DecimalField(_("verified points"), **POINTS, null=True, blank=True)
    verified_note = models.TextField(
        _("verification note"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        help_text=_("Required when the verified points differ from the self-assessed points."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        # Columns of the unique index: following the related models' orderings would join
        # compact, cluster, unit and criterion into every read of scores and sort them (3×
        # slower for a national compact's 12,000 scores). Locks are taken in this order too.
        ordering = ["compact_id", "unit_id", "criterion_id"]
        constraints = (
            [
                models.UniqueConstraint(
                    fields=["compact", "unit", "criterion"],
                    name="one_score_per_unit_criterion",
                    violation_error_message=_("This unit already has a score for this criterion."),
                ),
            ]
            + [
                models.CheckConstraint(
                    condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0}),
                    name=f"score_{field}_not_negative",
                    violation_error_message=_("Points and values cannot be negative."),
                )
                for field in ("self_value", "self_points", "verified_value", "verified_points")
            ]
            + [
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(field), NOTE_MAX_LENGTH),
                    name=f"score_{field}_length",
                    violation_error_message=_("A note can be at most 2,000 characters long."),
                )
                for field in ("self_note", "verified_note")
            ]
        )

    def __str__(self):
        return f"{self.unit} — {self.criterion.code}"

    def clean(self):
        if not (self.criterion_id and self.compact_id):
            return
        criterion = self.criterion
        if criterion.compact_id != self.compact_id:
            raise ValidationError({"criterion": _("The criterion belongs to another compact.")})
        if criterion.children.exists():
            raise ValidationError(
                {
                    "criterion": _("%(code)s is a group: score its criteria instead.")
                    % {"code": criterion.code}
                }
            )
        if self.unit_id and not self.compact.memberships().filter(unit_id=self.unit_id).exists():
            raise ValidationError(
                {"unit": _("This unit is not a member of the cluster in that year.")}
            )
        target = None
        if criterion.kind == ranking.Kind.QUANTITATIVE and self.unit_id:
            target = (
                Target.objects.filter(
                    compact_id=self.compact_id, unit_id=self.unit_id, criterion=criterion
                )
                .values_list("value", flat=True)
                .first()
            )
        errors = {}
        for prefix in ("self", "verified"):
            value = getattr(self, f"{prefix}_value")
            if value is None:
                setattr(self, f"{prefix}_points", None)
                continue
            try:
                points = ranking.points_for(
                    criterion=ranking.CriterionRule.of(criterion), value=value, target=target
                )
            except ranking.InvalidScore as exc:
                errors[f"{prefix}_value"] = exc.message
            else:
                setattr(self, f"{prefix}_points", points)
        if errors:
            raise ValidationError(errors)


class Assessment(models.Model):
    """Where a unit's self-assessment stands in a compact.

    draft → submitted → (returned → submitted …) → verified. A missing row means draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("being self-assessed")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for correction")
        VERIFIED = "verified", _("verified")

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("unit")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit"],
                name="one_assessment_per_unit",
                violation_error_message=_("This unit already has a self-assessment record."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_status_display()}"

    @property
    def is_editable_by_unit(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


def evidence_path(instance, filename):
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"evidence/{instance.compact_id}/{instance.unit_id}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file a unit attaches to a criterion as proof (minh chứng). Served only by a view that
    checks access; stored under MEDIA_ROOT with a random name, never under static."""

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("unit")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("criterion")
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["criterion__position", "uploaded_at"]

    def __str__(self):
        return self.original_name


class FinalResult(models.Model):
    """A unit's place in a finalized compact, kept as it was announced.

    Stored when the results are finalized and removed if they are reopened; a later year
    reads last year's places from here instead of ranking that year again. A finalized
    compact without stored results (finalized before they were kept) is ranked as before.
    """

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="final_results", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="final_results", verbose_name=_("unit")
    )
    rank = models.PositiveIntegerField(_("rank"))
    total = models.DecimalField(_("total"), max_digits=9, decimal_places=2)
    band = models.CharField(_("band"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("final result")
        verbose_name_plural = _("final results")
        ordering = ["compact_id", "rank", "unit_id"]
        constraints = [
            models.UniqueConstraint(fields=["compact", "unit"], name="one_final_result_per_unit")
        ]

    def __str__(self):
        return f"{self.compact} — {self.unit}: {self.rank}"


from .review_models import *  # noqa: E402, F403  (the year-end review's models, for Django)
