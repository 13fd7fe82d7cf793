"""The year-end review (hội nghị tổng kết) of a compact: the meeting, its votes, the award
kinds with their quotas and the award proposals. `scoring.models` imports them for Django.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.history import HistoricalRecords
from units.models import Unit

DEFAULT_THRESHOLD = Decimal(50)
DEFAULT_FLAG_BAND = "Xuất sắc"


class ReviewMeeting(models.Model):
    """The year-end review meeting of a compact (one per compact): when, where, who, and the
    rules of its votes. People are entered as the minutes name them, never invented."""

    compact = models.OneToOneField(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("compact"),
    )
    held_on = models.DateField(_("meeting date"))
    place = models.CharField(_("place"), max_length=200)
    chair = models.CharField(_("chair"), max_length=300)
    secretary = models.CharField(_("secretary"), max_length=300)
    guests = models.TextField(_("guests"), blank=True, help_text=_("One per line."))
    agenda = models.TextField(_("agenda and notes"), blank=True)
    threshold_percent = models.DecimalField(
        _("passing threshold (percent of member units)"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("A candidate passes with more than this share of the member units' votes."),
    )
    minutes_number = models.CharField(_("number of the minutes"), max_length=50, blank=True)
    ballot_number = models.CharField(
        _("number of the ballot-count record"), max_length=50, blank=True
    )
    proposal_number = models.CharField(_("number of the award request"), max_length=50, blank=True)
    document_place = models.CharField(
        _("place on the documents"), max_length=100, blank=True, help_text=_("e.g. Thanh Hóa")
    )
    document_date = models.DateField(_("date on the documents"), null=True, blank=True)
    signatory_title = models.CharField(
        _("signatory's title"), max_length=200, blank=True, help_text=_("e.g. CỤM TRƯỞNG")
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_percent__gte=0, threshold_percent__lte=100),
                name="review_threshold_is_a_percentage",
                violation_error_message=_("The threshold is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return _("Review of %(compact)s") % {"compact": self.compact}


class Attendance(models.Model):
    """A member unit present at the review, with its representative as entered."""

    meeting = models.ForeignKey(
        ReviewMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("meeting"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    representative = models.CharField(_("representative"), max_length=300)
    title = models.CharField(_("title"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "unit"],
                name="one_attendance_per_unit",
                violation_error_message=_("This unit is already recorded as present."),
            ),
        ]

    def __str__(self):
        return f"{self.unit} — {self.representative}"


class AwardKind(models.Model):
    """A kind of award the compact's members may be proposed for, with its standard and quota
    (a number of units, or a percentage of the member units; both empty: no quota)."""

    class Level(models.TextChoices):
        GOVERNMENT_FLAG = "government_flag", _("Government emulation flag")
        MINISTRY_FLAG = "ministry_flag", _("Ministry emulation flag")
        CERTIFICATE = "certificate", _("certificate of merit")
        OTHER = "other", _("other")

    compact = models.ForeignKey(
        "scoring.Compact",
        on_delete=models.CASCADE,
        related_name="award_kinds",
        verbose_name=_("compact"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    name = models.CharField(_("name"), max_length=200)
    leader_only = models.BooleanField(
        _("only the unit leading the cluster"),
        default=False,
        help_text=_("First by the final ranking and passing the acclamation vote."),
    )
    required_band = models.CharField(
        _("required band"), max_length=100, blank=True, help_text=_("Empty: any band.")
    )
    quota_count = models.PositiveSmallIntegerField(_("quota (units)"), null=True, blank=True)
    quota_percent = models.DecimalField(
        _("quota (percent of member units)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award kind")
        verbose_name_plural = _("award kinds")
        ordering = ["compact", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["compact", "level"],
                name="one_award_kind_per_level",
                violation_error_message=_("This compact already has this kind of award."),
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True)
                | Q(quota_percent__gte=0, quota_percent__lte=100),
                name="award_quota_is_a_percentage",
                violation_error_message=_("The quota is a percentage between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(quota_count__isnull=True) | Q(quota_percent__isnull=True),
                name="award_quota_count_or_percent",
                violation_error_message=_(
                    "Give the quota as a number of units or a percentage, not both."
                ),
            ),
        ]

    def __str__(self):
        return self.name


class Vote(models.Model):
    """A vote at the review: the acclamation of the leading unit, an award, or the election of
    next year's leader or deputy; by show of hands or secret ballot. For a secret ballot the
    ballot counts are required; with a show of hands they stay empty."""

    class Subject(models.TextChoices):
        LEADING = "leading", _("acclamation of the leading unit")
        AWARD = "award", _("award proposal")
        NEXT_LEADER = "next_leader", _("next year's cluster leader")
        NEXT_DEPUTY = "next_deputy", _("next year's deputy leader")

    class Method(models.TextChoices):
        HANDS = "hands", _("show of hands")
        SECRET = "secret", _("secret ballot")

    meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, related_name="votes", verbose_name=_("meeting")
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    award_kind = models.ForeignKey(
        AwardKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="votes",
        verbose_name=_("award kind"),
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    ballots_issued = models.PositiveSmallIntegerField(_("ballots issued"), null=True, blank=True)
    ballots_returned = models.PositiveSmallIntegerField(
        _("ballots returned"), null=True, blank=True
    )
    ballots_valid = models.PositiveSmallIntegerField(_("valid ballots"), null=True, blank=True)
    ballots_invalid = models.PositiveSmallIntegerField(_("invalid ballots"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject="award", award_kind__isnull=False)
                | (~Q(subject="award") & Q(award_kind__isnull=True)),
                name="vote_award_kind_iff_award",
                violation_error_message=_("An award vote names its award; other votes do not."),
            ),
            models.CheckConstraint(
                condition=Q(ballots_returned__isnull=True)
                | Q(ballots_issued__isnull=True)
                | Q(ballots_returned__lte=models.F("ballots_issued")),
                name="vote_returned_not_above_issued",
                violation_error_message=_("More ballots returned than issued."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "subject"],
                condition=~Q(subject="award"),
                name="one_vote_per_subject",
                violation_error_message=_("This vote is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "award_kind"],
                condition=Q(subject="award"),
                name="one_vote_per_award_kind",
                violation_error_message=_("The vote for this award is already recorded."),
            ),
        ]

    def __str__(self):
        if self.award_kind_id:
            return f"{self.get_subject_display()}: {self.award_kind}"
        return self.get_subject_display()

    @property
    def is_secret(self):
        return self.method == self.Method.SECRET


class VoteCount(models.Model):
    """The votes a candidate unit received in one vote."""

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="counts", verbose_name=_("vote")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    votes = models.PositiveSmallIntegerField(_("votes"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("votes for a candidate")
        verbose_name_plural = _("votes for candidates")
        ordering = ["vote", "-votes", "unit__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "unit"],
                name="one_count_per_candidate",
                violation_error_message=_("This candidate is already counted."),
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.votes}"


class AwardProposal(models.Model):
    """A member unit proposed for an award. `override_reason` is set when the secretariat
    proposed it against an eligibility rule (the rule and the reason stay in the history)."""

    award_kind = models.ForeignKey(
        AwardKind, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("award kind")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    overridden = models.TextField(_("eligibility rules overridden"), blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        ordering = ["award_kind__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_kind", "unit"],
                name="one_proposal_per_unit_and_award",
                violation_error_message=_("This unit is already proposed for this award."),
            ),
            models.CheckConstraint(
                condition=Q(overridden="") | ~Q(override_reason=""),
                name="proposal_override_has_reason",
                violation_error_message=_("An override needs its reason."),
            ),
        ]

    def __str__(self):
        return f"{self.award_kind}: {self.unit}"
