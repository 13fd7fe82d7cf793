from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Cluster, Membership, Unit, UnitName, UnitSuccession, UserRole


class LocalizedDecimals:
    """Admin forms read and show points the Vietnamese way ("7,5"), and accept "7.5" too."""

    formfield_overrides = {models.DecimalField: {"localize": True}}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["year", "unit", "role"]
    autocomplete_fields = ["unit"]
    ordering = ["-year", "role", "unit__short_name"]
    verbose_name = _("member unit by year")
    verbose_name_plural = _("member units by year")


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "managing_body", "member_count"]
    search_fields = ["name", "managing_body"]
    list_filter = ["managing_body"]
    inlines = [MembershipInline]

    @admin.display(description=_("memberships (all years)"))
    def member_count(self, obj):
        return obj.memberships.count()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships")


class UnitNameFormSet(BaseInlineFormSet):
    """Each name is checked against the stored ones (`UnitName.clean`); here the names of
    one submission are checked against each other."""

    def clean(self):
        super().clean()
        names = [
            form.instance
            for form in self.forms
            if form.is_valid()
            and form.has_changed()
            and not self._should_delete_form(form)
            and form.instance.valid_from
            and form.instance.valid_until
        ]
        for i, first in enumerate(names):
            for second in names[i + 1 :]:
                if first.overlaps(second):
                    raise ValidationError(
                        _(
                            "Two former names of the unit have overlapping periods: "
                            "“%(first)s” and “%(second)s”."
                        )
                        % {"first": first.short_name, "second": second.short_name}
                    )


class UnitNameInline(admin.TabularInline):
    model = UnitName
    formset = UnitNameFormSet
    extra = 0


SUCCESSION_FIELDS = [
    "kind",
    "effective_on",
    "decision",
    "decision_date",
    "issuing_body",
    "lock_accounts",
    "closed_on",
]


class SuccessionInline(admin.TabularInline):
    """What the unit became: renamed as, merged into, split into… or dissolved."""

    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0
    fields = ["successor", *SUCCESSION_FIELDS]
    readonly_fields = ["closed_on"]  # written when the succession closes its unit
    autocomplete_fields = ["successor"]
    verbose_name = _("successor")
    verbose_name_plural = _("successors")


class PredecessionInline(SuccessionInline):
    """Where the unit came from: the units renamed as, merged into… this one."""

    fk_name = "successor"
    fields = ["predecessor", *SUCCESSION_FIELDS]
    autocomplete_fields = ["predecessor"]
    verbose_name = _("predecessor")
    verbose_name_plural = _("predecessors")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["short_name", "full_name", "code", "province", "active"]
    list_filter = ["active", "province"]
    search_fields = ["code", "full_name", "short_name", "province", "former_names__full_name"]
    inlines = [UnitNameInline, SuccessionInline, PredecessionInline]
    actions = ["record_merger"]

    @admin.action(description=_("Record a merger of the selected units…"))
    def record_merger(self, request, queryset):
        """Leads to the merger form with the selected units as the absorbed ones."""
        query = urlencode([("absorbed", pk) for pk in queryset.values_list("pk", flat=True)])
        return HttpResponseRedirect(f"{reverse('scoring:merger_new')}?{query}")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "cluster", "year", "role"]
    list_filter = ["year", "role", "cluster"]
    search_fields = ["unit__short_name", "unit__full_name", "cluster__name"]
    list_select_related = ["unit", "cluster"]
    autocomplete_fields = ["unit", "cluster"]


@admin.register(UserRole)
class UserRoleAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "cluster", "unit"]
    list_filter = ["role", "cluster"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__short_name"]
    list_select_related = ["user", "cluster", "unit"]
    autocomplete_fields = ["user", "cluster", "unit"]
