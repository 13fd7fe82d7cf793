"""Criteria that do not apply to a unit (không áp dụng): no seaport, no forest, no border.

The secretariat marks a content leaf as not applicable to one unit, with a reason, before
scoring closes; such a cell takes no score, and the unit's maximum drops by the leaf's.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from units.history import HistoricalRecords
from units.models import Unit

from .. import ranking
from .compact import Compact
from .scheme import Criterion

REASON_MAX_LENGTH = 500


class NotApplicable(models.Model):
    """One content leaf of a compact's scheme that does not apply to one unit."""

    compact = models.ForeignKey(
        Compact, on_delete=models.CASCADE, related_name="not_applicable", verbose_name=_("compact")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="not_applicable", verbose_name=_("unit")
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.CASCADE,
        related_name="not_applicable",
        verbose_name=_("criterion"),
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX_LENGTH)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion not applicable")
        verbose_name_plural = _("criteria not applicable")
        ordering = ["compact", "unit", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit", "criterion"],
                name="one_not_applicable_per_unit_criterion",
                violation_error_message=_(
                    "This criterion is already marked not applicable to this unit."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="not_applicable_has_reason",
                violation_error_message=_("Give the reason why the criterion does not apply."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criterion.code}"

    def clean(self):
        errors = {}
        if not (self.reason or "").strip():
            errors["reason"] = _("Give the reason why the criterion does not apply.")
        if self.criterion_id:
            if self.criterion.compact_id != self.compact_id:
                errors["criterion"] = _("The criterion belongs to another compact.")
            elif self.criterion.section != ranking.Section.CONTENT:
                errors["criterion"] = _(
                    "Bonus and deduction items cannot be marked not applicable."
                )
            elif self.criterion.children.exists():
                errors["criterion"] = _("Mark the criteria of a group, not the group itself.")
        if errors:
            raise ValidationError(errors)
