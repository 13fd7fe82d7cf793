"""Maintained totals: each unit's points in each top-level group of a compact, kept by the
database itself, so that a ranking reads a few hundred rows instead of summing every score.

The rows are written only by database triggers (migration 0015), in the same transaction as
the statement that changes scores or moves criteria: every writer of scores is covered —
the sheet's one-statement save, imports, appeals, relative recomputes, not-applicable marks,
mergers, the admin, seeding, raw SQL and COPY — with no code of its own. A row's sums are
those of the scores on the leaves below its group (the top-level ancestor of the score's
criterion), of one section (the leaf's kind: content, bonus or deduction); points of a side
count only where they are not None, and `*_scored` counts them. A row whose counts are both
zero may stay: readers skip it. `manage.py check_totals` compares the table with the scores,
and `--repair` rebuilds it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from units.models import Unit

from .. import ranking
from .compact import Compact
from .scheme import Criterion

# A group's sum over thousands of leaves: wider than one score's points (compact.POINTS).
SUMS = {"max_digits": 12, "decimal_places": 2}


class ScoreTotal(models.Model):
    """The sums of one unit's scores below one top-level group, for one section."""

    compact = models.ForeignKey(
        Compact,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index starts with it
        verbose_name=_("compact"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    group = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    section = models.CharField(_("section"), max_length=20, choices=ranking.Section.choices)
    self_points = models.DecimalField(_("self-assessed points"), **SUMS, default=0)
    self_scored = models.IntegerField(_("self-assessed leaves"), default=0)
    verified_points = models.DecimalField(_("verified points"), **SUMS, default=0)
    verified_scored = models.IntegerField(_("verified leaves"), default=0)

    class Meta:
        verbose_name = _("score total")
        verbose_name_plural = _("score totals")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit", "group", "section"], name="one_total_per_group"
            )
        ]

    def __str__(self):
        return f"{self.compact_id}/{self.unit_id}/{self.group_id} {self.section}"
