"""What units and the secretariat enter: scores (self-assessed and verified side by side), each
unit's self-assessment with its evidence files, and the final results stored when a compact
is finalized.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from units.history import HistoricalRecords
from units.models import Unit

from .. import ranking
from ..ranking import Side
from .compact import POINTS, VALUES, Compact
from .scheme import Criterion, Target

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
        for side in Side:
            value_field, points_field, _note_field = side.fields
            value = getattr(self, value_field)
            if value is None:
                setattr(self, points_field, None)
                continue
            try:
                if criterion.is_relative:  # every unit's points at once (services.relative)
                    ranking.check_value(value)
                    continue
                points = ranking.points_for(
                    criterion=ranking.CriterionRule.of(criterion), value=value, target=target
                )
            except ranking.InvalidScore as exc:
                errors[value_field] = exc.message
            else:
                setattr(self, points_field, points)
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
