"""After the year-end review: the publication of the results to the member units, their
appeals against their own scores, and the handover of the lead to the next year.
`scoring.models` imports them for Django (migration 0010 names `appeal_evidence_path` here).
"""

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.history import HistoricalRecords
from units.models import Unit


class Publication(models.Model):
    """The secretariat's publication of a compact's results to every member unit (công khai):
    from then on the members' officers see the ranking and every unit's breakdown, and may
    appeal a score of their own unit for `appeal_days` days from `published_on` (inclusive)."""

    compact = models.OneToOneField(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="publication",
        verbose_name=_("compact"),
    )
    published_on = models.DateField(_("published on"))
    appeal_days = models.PositiveSmallIntegerField(
        _("appeal window (days)"), default=10, validators=[MaxValueValidator(90)]
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication of the results")
        verbose_name_plural = _("publications of the results")

    def __str__(self):
        return _("Results of %(compact)s published") % {"compact": self.compact}

    @property
    def appeals_until(self) -> datetime.date:
        """The last day an appeal can be lodged."""
        return self.published_on + datetime.timedelta(days=self.appeal_days)

    def window_open_on(self, day: datetime.date) -> bool:
        return self.published_on <= day <= self.appeals_until


def appeal_evidence_path(instance, filename):
    suffix = PurePath(filename).suffix.lower()
    return f"appeals/{instance.compact_id}/{instance.unit_id}/{uuid.uuid4().hex}{suffix}"


class Appeal(models.Model):
    """A member unit's appeal against one of its verified scores, and the secretariat's answer:
    upheld (the score was corrected to `corrected_value`), rejected, or closed unanswered when
    the year was closed (all three with their reason in `answer`)."""

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting an answer")
        UPHELD = "upheld", _("upheld")
        REJECTED = "rejected", _("rejected")
        CLOSED = "closed", _("closed unanswered")

    compact = models.ForeignKey(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="appeals",
        verbose_name=_("compact"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    criterion = models.ForeignKey(
        "scoring.Criterion",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("criterion"),
    )
    disputed_points = models.DecimalField(
        _("points appealed against"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    reason = models.TextField(_("reason for the appeal"))
    evidence = models.FileField(
        _("evidence"), upload_to=appeal_evidence_path, max_length=255, blank=True
    )
    evidence_name = models.CharField(_("file name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("content type"), max_length=100, blank=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("lodged by"),
    )
    lodged_on = models.DateField(_("lodged on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    corrected_value = models.DecimalField(
        _("corrected value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["compact", "lodged_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(answer=""),
                name="appeal_answer_has_reason",
                violation_error_message=_("An answer needs its reason."),
            ),
            models.UniqueConstraint(
                fields=["compact", "unit", "criterion"],
                condition=Q(status="open"),
                name="one_open_appeal_per_score",
                violation_error_message=_("An appeal against this score is already open."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.criterion.code}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


class Handover(models.Model):
    """The handover of the cluster's lead from one year to the next, recorded when the next
    year's compact is started: who led and deputised, who takes over, and the date."""

    compact = models.OneToOneField(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="handover",
        verbose_name=_("compact taken over"),
    )
    previous = models.ForeignKey(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="handed_over",
        verbose_name=_("compact handed over"),
    )
    previous_leader = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outgoing cluster leader"),
    )
    previous_deputy = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("outgoing deputy leader"),
    )
    leader = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incoming cluster leader"),
    )
    deputy = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("incoming deputy leader"),
    )
    as_elected = models.BooleanField(
        _("as elected at the review"),
        default=False,
        help_text=_("The incoming leader and deputy are those the year-end review elected."),
    )
    handed_over_on = models.DateField(_("handed over on"))
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
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return _("Handover %(previous)s → %(year)s") % {
            "previous": self.previous.year,
            "year": self.compact.year,
        }
