from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from units.admin import LocalizedDecimals

from . import selectors
from .models import (
    Appeal,
    Assessment,
    Attendance,
    AwardKind,
    AwardProposal,
    Compact,
    Criterion,
    Evidence,
    FinalResult,
    Handover,
    NotApplicable,
    Publication,
    ReviewMeeting,
    Score,
    Signature,
    Target,
    TargetRegistration,
    Vote,
    VoteCount,
)


class ReadOnly:
    """Shown here, never added, changed or deleted: these rows change only through the
    pages whose services check who may change them and how."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(LocalizedDecimals, admin.TabularInline):
    """The compact's scheme in its order, each row a link to the criterion's own page here.
    Read-only: the scheme is edited on the application's scheme page, which keeps a frozen
    scheme's amendments with their reasons. As a formset every row carried a list of every
    criterion as its possible parent, read again for each row: 200 criteria took 4.5 s, 211
    queries and 2.7 MB of page."""

    model = Criterion
    # The guidance, a long text, is read on the criterion's own page.
    fields = readonly_fields = [
        "position",
        *(name for name in Criterion.EDITABLE_FIELDS if name != "guidance"),
    ]
    ordering = ["position", "id"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Compact)
class CompactAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["__str__", "cluster", "year", "status", "signed_on"]
    list_filter = ["status", "year", "cluster"]
    search_fields = ["cluster__name", "movement", "slogan"]
    list_select_related = ["cluster"]
    date_hierarchy = "signed_on"
    fieldsets = [
        (None, {"fields": ["cluster", "year", "status", "finalized_on"]}),
        (
            _("Compact"),
            {
                "fields": [
                    "movement",
                    "slogan",
                    "commitments",
                    "signed_on",
                    "signed_place",
                    "signing_guests",
                ]
            },
        ),
        (_("Scale"), {"fields": ["content_max", "bonus_cap", "deduction_cap"]}),
        (_("Ranking"), {"fields": ["bands", "tie_breakers"]}),
    ]
    inlines = [SignatureInline, CriterionInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "slogan":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        compact = self.get_object(request, object_id)
        if compact is not None and request.method == "GET":
            for problem in selectors.scheme_problems(compact):
                messages.warning(request, problem)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Criterion)
class CriterionAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["code", "title", "compact", "kind", "max_points", "points_per_occurrence"]
    list_filter = ["kind", "compact__year", "compact__cluster"]
    search_fields = ["code", "title"]
    list_select_related = ["compact__cluster"]
    raw_id_fields = ["parent"]
    ordering = ["compact", "position"]


@admin.register(Score)
class ScoreAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = [
        "unit",
        "criterion_code",
        "compact",
        "self_points",
        "verified_points",
        "updated_by",
        "updated_at",
    ]
    list_filter = ["compact__year", "compact__cluster", "unit"]
    search_fields = ["unit__short_name", "criterion__code", "criterion__title"]
    list_select_related = ["unit", "criterion", "compact__cluster", "updated_by"]
    ordering = ["compact", "unit__short_name", "criterion__position"]
    raw_id_fields = ["criterion"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["self_points", "verified_points", "updated_by", "updated_at", "version"]
    fields = [
        "compact",
        "unit",
        "criterion",
        "self_value",
        "self_points",
        "self_note",
        "verified_value",
        "verified_points",
        "verified_note",
        "updated_by",
        "updated_at",
        "version",
    ]

    @admin.display(description=_("criterion"), ordering="criterion__position")
    def criterion_code(self, obj):
        return obj.criterion.code

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Target)
class TargetAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["unit", "criterion", "compact", "value"]
    list_filter = ["compact__year", "compact__cluster"]
    search_fields = ["unit__short_name", "criterion__code"]
    list_select_related = ["unit", "criterion", "compact__cluster"]
    raw_id_fields = ["criterion"]
    autocomplete_fields = ["unit"]


@admin.register(TargetRegistration)
class TargetRegistrationAdmin(ReadOnly, SimpleHistoryAdmin):
    """Read only: a registration moves through its steps on the targets page, where each
    step checks who may take it."""

    list_display = ["unit", "compact", "status", "submitted_at", "approved_at", "approved_by"]
    list_filter = ["status", "compact__year", "compact__cluster"]
    search_fields = ["unit__short_name"]
    list_select_related = ["unit", "compact__cluster", "approved_by"]


@admin.register(NotApplicable)
class NotApplicableAdmin(ReadOnly, SimpleHistoryAdmin):
    """Read only: marks change on the compact's not-applicable page, whose service refuses
    scored cells, bonus and deduction items and a closed year."""

    list_display = ["unit", "criterion", "compact", "reason", "marked_by", "marked_at"]
    list_filter = ["compact__year", "compact__cluster"]
    search_fields = ["unit__short_name", "criterion__code", "reason"]
    list_select_related = ["unit", "criterion", "compact__cluster", "marked_by"]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "compact", "status", "submitted_at", "submitted_by"]
    list_filter = ["status", "compact__year", "compact__cluster"]
    search_fields = ["unit__short_name"]
    list_select_related = ["unit", "compact__cluster", "submitted_by"]
    autocomplete_fields = ["unit"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = [
        "original_name",
        "unit",
        "criterion",
        "compact",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    list_filter = ["compact__year", "compact__cluster", "content_type"]
    search_fields = ["original_name", "unit__short_name", "criterion__code"]
    list_select_related = ["unit", "criterion", "compact__cluster", "uploaded_by"]
    raw_id_fields = ["criterion"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["size", "content_type", "uploaded_by", "uploaded_at"]


admin.site.site_header = _("Emulation clusters — administration")
admin.site.site_title = _("Emulation clusters")
admin.site.index_title = _("Administration")


@admin.register(FinalResult)
class FinalResultAdmin(ReadOnly, LocalizedDecimals, admin.ModelAdmin):
    """Read-only: written when results are finalized, removed when they are reopened."""

    list_display = ["compact", "rank", "unit", "total", "band"]
    list_filter = ["compact__year", "compact__cluster"]
    list_select_related = ["compact__cluster", "unit"]
    ordering = ["-compact__year", "compact", "rank"]


# --- The year-end review, publication, appeals, handover (scoring/models/review.py, appeals.py)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(ReviewMeeting)
class ReviewMeetingAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["compact", "held_on", "place", "threshold_percent"]
    list_filter = ["compact__year", "compact__cluster"]
    list_select_related = ["compact__cluster"]
    inlines = [AttendanceInline]


class VoteCountInline(admin.TabularInline):
    model = VoteCount
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Vote)
class VoteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "method", "ballots_issued", "ballots_valid"]
    list_filter = ["subject", "method", "meeting__compact__year"]
    list_select_related = ["meeting__compact__cluster", "award_kind"]
    inlines = [VoteCountInline]


@admin.register(AwardKind)
class AwardKindAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["name", "compact", "level", "quota_count", "quota_percent", "leader_only"]
    list_filter = ["level", "compact__year", "compact__cluster"]
    list_select_related = ["compact__cluster"]


@admin.register(AwardProposal)
class AwardProposalAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "award_kind", "override_reason", "created_by", "created_at"]
    list_filter = ["award_kind__level", "award_kind__compact__year"]
    list_select_related = ["unit", "award_kind__compact", "created_by"]
    autocomplete_fields = ["unit"]


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    list_display = ["compact", "published_on", "appeal_days", "published_by"]
    list_select_related = ["compact__cluster", "published_by"]


@admin.register(Appeal)
class AppealAdmin(LocalizedDecimals, SimpleHistoryAdmin):
    list_display = ["unit", "criterion", "compact", "status", "lodged_on", "answered_by"]
    list_filter = ["status", "compact__year", "compact__cluster"]
    list_select_related = ["unit", "criterion", "compact__cluster", "answered_by"]
    raw_id_fields = ["criterion"]
    autocomplete_fields = ["unit"]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ["compact", "previous", "leader", "deputy", "as_elected", "handed_over_on"]
    list_select_related = ["compact__cluster", "previous", "leader", "deputy"]
