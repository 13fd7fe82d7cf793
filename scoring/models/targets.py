"""Where a unit's target registration stands in a compact (đăng ký chỉ tiêu).

draft → submitted → approved, or submitted → returned (with a reason) → submitted … A missing
row means draft. The unit's officer changes its targets while they are a draft or returned;
once submitted nobody changes them until the secretariat returns or approves them; approved
targets change only by the secretariat, with a reason. Every step says who and when; the
history is django-simple-history's, `version` refuses a stale page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.history import HistoricalRecords
from units.models import Unit

from .compact import Compact

# The reason is shown to the unit's officer in one line (and kept whole in the history).
RETURN_REASON_MAX_LENGTH = 100


def _who(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


class TargetRegistration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being registered")
        SUBMITTED = "submitted", _("submitted, awaiting approval")
        RETURNED = "returned", _("returned for correction")
        APPROVED = "approved", _("approved")

    compact = models.ForeignKey(
        Compact,
        on_delete=models.CASCADE,
        related_name="target_registrations",
        verbose_name=_("compact"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="target_registrations",
        verbose_name=_("unit"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = _who(_("submitted by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = _who(_("returned by"))
    return_reason = models.CharField(
        _("reason for return"), max_length=RETURN_REASON_MAX_LENGTH, blank=True
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = _who(_("approved by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target registration")
        verbose_name_plural = _("target registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "unit"],
                name="one_target_registration_per_unit",
                violation_error_message=_("This unit already has a target registration."),
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name="target_registration_returned_with_reason",
                violation_error_message=_("Returned targets need the reason."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_status_display()}"

    @property
    def is_open_to_unit(self) -> bool:
        """The unit's officer may change its targets (and submit them)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)
