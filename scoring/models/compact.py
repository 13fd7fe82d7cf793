"""The compact (giao ước thi đua) of one cluster and year: its texts, scale, ranking settings
and status; its events (who changed its status, when, why) and members' signatures.
The shared field sizes (POINTS, VALUES) live here too.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.history import HistoricalRecords
from units.models import Cluster, Membership, Unit

from .. import ranking

ZERO = Decimal(0)


# Points have at most two decimals (half and quarter points exist) and stay below 100,000.
POINTS = {"max_digits": 7, "decimal_places": 2}


# Raw values (an actual count of outreach sessions, a target) can be much larger.
VALUES = {"max_digits": 12, "decimal_places": 2}


# Groups (I) → criteria (I.1) → sub-criteria (I.1.a) → … : real schemes go five or six deep.
MAX_DEPTH = 8


def compact_document_path(instance, filename):
    return f"compacts/{instance.pk or 'new'}/{uuid.uuid4().hex}.pdf"


def default_bands():
    return [dict(band) for band in ranking.DEFAULT_BANDS]


def default_tie_breakers():
    return list(ranking.DEFAULT_TIE_BREAKERS)


class Compact(models.Model):
    """A cluster's emulation compact (giao ước thi đua) for one year, with its scoring scheme."""

    RankBy = ranking.RankBy

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
    signing_guests = models.TextField(
        _("guests at the signing"),
        blank=True,
        help_text=_("One per line, with rank and position as announced at the conference."),
    )
    finalized_on = models.DateField(
        _("finalization date"),
        null=True,
        blank=True,
        help_text=_("Set when the results are finalized, cleared when they are reopened."),
    )
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
    rank_by = models.CharField(
        _("rank by"),
        max_length=20,
        choices=ranking.RankBy.choices,
        default=ranking.RankBy.TOTAL,
        help_text=_(
            "Total points, or the percentage of the maximum that applies to each unit (when "
            "some criteria do not apply to some units)."
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

    history = HistoricalRecords(excluded_fields=["updated_at"])

    # What the settings page changes; a new year copies all but the signing's own.
    SETTINGS_FIELDS = [
        "movement",
        "slogan",
        "commitments",
        "signed_on",
        "signed_place",
        "signing_guests",
        "content_max",
        "bonus_cap",
        "deduction_cap",
        "bands",
        "tie_breakers",
        "rank_by",
    ]
    SIGNING_FIELDS = ["signed_on", "signed_place", "signing_guests"]

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
