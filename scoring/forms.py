from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from units.models import Unit

from .access import units_cluster_may_take
from .concurrency import SeenStateMixin
from .models import MAX_DEPTH, Compact, Criterion
from .not_applicable import NewMark
from .numbers import parse_number
from .params import int_param
from .ranking import format_points
from .schemes import EDITABLE_FIELDS, SETTINGS_FIELDS


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.TextInput(attrs={"placeholder": _("Reason for return"), "size": 40}),
        max_length=2000,
    )


class LocalizedNumberInput(forms.TextInput):
    """A number shown in the active language's format ("1.050,5" in Vietnamese); text that
    was posted back is shown as it was typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_points(value, grouping=True)
        return super().format_value(value)


class LocalizedNumberField(forms.DecimalField):
    """A decimal read by the product's one number rule (`numbers.parse_number`): it reads
    back exactly what its widget shows, "1.050" = 1050 in Vietnamese. Digits, decimal
    places and bounds are checked as DecimalField does."""

    widget = LocalizedNumberInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_number(str(value))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    @classmethod
    def replacing(cls, field: forms.DecimalField) -> "LocalizedNumberField":
        """The same field (label, help, required, digits, bounds) read the product's way."""
        return cls(
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            max_value=field.max_value,
            min_value=field.min_value,
            step_size=field.step_size,
            required=field.required,
            label=field.label,
            initial=field.initial,
            help_text=field.help_text,
            disabled=field.disabled,
            label_suffix=field.label_suffix,
        )


class LocalizedDecimalMixin:
    """Every decimal field of the form becomes a LocalizedNumberField: shown in the user's
    format and read back as shown ("1.050" is 1050, "7,5" and "7.5" are 7.5)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, formfield in self.fields.items():
            if isinstance(formfield, forms.DecimalField) and not isinstance(
                formfield, LocalizedNumberField
            ):
                self.fields[name] = LocalizedNumberField.replacing(formfield)


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the amendment"),
        required=False,
        max_length=2000,
        help_text=_("Required once signing has started: the scheme is frozen."),
        widget=forms.TextInput(),
    )


class CriterionForm(SeenStateMixin, LocalizedDecimalMixin, forms.ModelForm):
    reason = ReasonMixin.base_fields["reason"]

    class Meta:
        model = Criterion
        fields = EDITABLE_FIELDS
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2}), "title": forms.TextInput()}

    def __init__(self, *args, compact, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.instance.pk
        self.fields["parent"].queryset = Criterion.objects.filter(
            pk__in=[n.pk for n in nodes if n.level < MAX_DEPTH and n.pk != own]
        ).order_by("position")
        self.fields["parent"].label_from_instance = lambda c: f"{c.code}. {c.title[:60]}"
        self.fields["parent"].empty_label = _("(top level: a group)")

    def _post_clean(self):
        # The service validates the whole row; the form only converts the fields.
        pass


class UnitsField(forms.ModelMultipleChoiceField):
    """Ids no database holds are refused before the query (SQLite raises on them)."""

    def _check_values(self, value):
        for pk in value:
            if int_param(str(pk)) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class StartYearForm(SeenStateMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200)
    source = forms.ModelChoiceField(
        label=_("Copy from"),
        queryset=Compact.objects.none(),
        required=False,
        empty_label=_("(from scratch)"),
        help_text=_(
            "Copies the texts, the scale, the ranking settings, the whole scheme and the "
            "criteria marked not applicable to the units that stay members."
        ),
    )
    units = UnitsField(
        label=_("Member units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(
        label=_("Cluster leader"), queryset=Unit.objects.none(), required=False
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy leader"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args, cluster, user, year=None, with_year=True, names_on=None, **kwargs):
        """`names_on`: the day whose unit names the choices print (default: today's)."""
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Compact.objects.filter(cluster=cluster).order_by("-year")
        self.fields["source"].label_from_instance = lambda c: str(c.year)
        if with_year:
            year = self._posted_year() or self.initial.get("year")
        # Only the units this cluster may take are offered (the service refuses the others).
        units = (
            units_cluster_may_take(user, cluster_id=cluster.pk, year=year)
            .existing_in(year)
            .order_by("province")
        )
        if names_on is not None:
            units = units.named_on(names_on)
        for name in ("units", "leader", "deputy"):
            self.fields[name].queryset = units
        if not with_year:
            del self.fields["year"]
            del self.fields["source"]

    def _posted_year(self):
        """The posted year if it is a plausible one, to offer that year's units."""
        if not self.is_bound:
            return None
        try:
            return self.fields["year"].clean(self.data.get(self.add_prefix("year")))
        except forms.ValidationError:
            return None


class SettingsForm(SeenStateMixin, LocalizedDecimalMixin, forms.ModelForm):
    bands_text = forms.CharField(
        label=_("Classification bands"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line, highest first: the minimum total, then the name. E.g. “900 Xuất sắc”."
        ),
    )
    tie_breaker_1 = forms.ChoiceField(label=_("First tie-breaker"), required=False)
    tie_breaker_2 = forms.ChoiceField(label=_("Second tie-breaker"), required=False)
    tie_breaker_3 = forms.ChoiceField(label=_("Third tie-breaker"), required=False)
    reason = ReasonMixin.base_fields["reason"]

    class Meta:
        model = Compact
        # The bands and tie-breakers are edited through bands_text and tie_breaker_1..3.
        fields = [name for name in SETTINGS_FIELDS if name not in ("bands", "tie_breakers")]
        widgets = {
            "commitments": forms.Textarea(attrs={"rows": 6}),
            "slogan": forms.TextInput(),
            "signing_guests": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("(none)")), ("fewer_deductions", _("Fewer deduction points"))]
        content = [g.code for g in groups if g.section == "content"]
        options = [",".join(content[1:3])] if len(content) >= 3 else []
        options += content
        for codes in dict.fromkeys(options):
            choices.append(
                (
                    f"higher_groups:{codes}",
                    _("Higher points in groups %(codes)s") % {"codes": codes.replace(",", " + ")},
                )
            )
        current = list(self.instance.tie_breakers or [])
        for value in current:
            if value not in dict(choices):
                choices.append((value, value))
        for i in range(3):
            field = self.fields[f"tie_breaker_{i + 1}"]
            field.choices = choices
            field.initial = current[i] if i < len(current) else ""
        self.fields["bands_text"].initial = "\n".join(
            f"{format_points(Decimal(b['min']), grouping=True)} {b['label']}"
            for b in self.instance.bands or []
        )

    def clean_bands_text(self):
        bands = []
        for number, line in enumerate(self.cleaned_data["bands_text"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            minimum, _sep, label = line.partition(" ")
            try:
                value = parse_number(minimum)
            except ValueError:
                value = None
            if value is None or not label.strip():
                raise forms.ValidationError(
                    _("Line %(line)s: write the minimum total, a space, then the name.")
                    % {"line": number}
                )
            bands.append({"min": str(value), "label": label.strip()})
        return bands

    def settings_data(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["bands"] = self.cleaned_data["bands_text"]
        data["tie_breakers"] = [
            self.cleaned_data[f"tie_breaker_{i}"]
            for i in (1, 2, 3)
            if self.cleaned_data.get(f"tie_breaker_{i}")
        ]
        return data

    def _post_clean(self):
        pass


class SignatureForm(SeenStateMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    representative = forms.CharField(label=_("Representative"), max_length=200)
    title = forms.CharField(
        label=pgettext_lazy("signatory's position", "Title"), max_length=200, required=False
    )
    signed_on = forms.DateField(label=_("Signing date"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=Compact.Status.choices)
    reason = forms.CharField(required=False, max_length=2000)
    override = forms.BooleanField(required=False)


class DocumentForm(SeenStateMixin, forms.Form):
    field = forms.ChoiceField(
        choices=[("signed_scan", "signed_scan"), ("operating_rules", "operating_rules")]
    )
    file = forms.FileField(label=_("PDF file"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("The scheme table: STT, content and maximum points columns."),
    )


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_(
            "A self-assessment template exported from this application, with the values and "
            "notes filled in."
        ),
    )


class NotApplicableForm(SeenStateMixin, forms.Form):
    """The marking page: a new mark (unit, criterion or group, reason) and, for each existing
    mark, its reason (`reason_<id>`) and a box to remove it (`remove_<id>`)."""

    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Unit"), empty_label="—"
    )
    criterion = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, label=_("Criterion or group")
    )
    reason = forms.CharField(required=False, max_length=500, label=_("Reason"))

    def __init__(self, *args, units, criteria, marks, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks = marks
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        names = {u.pk: getattr(u, "shown_short_name", u.short_name) for u in units}
        self.fields["unit"].label_from_instance = lambda u: names.get(u.pk, u.short_name)
        self.fields["criterion"].choices = [("", "—")] + [
            (c.pk, f"{'  ' * (c.level - 1)}{c.shown_code}. {c.title[:90]}") for c in criteria
        ]
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["criterion"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["reason"].widget.attrs["class"] = "form-control form-control-sm"
        for mark in marks:
            self.fields[f"reason_{mark.pk}"] = forms.CharField(
                required=False, max_length=500, initial=mark.reason, label=_("Reason")
            )
            self.fields[f"remove_{mark.pk}"] = forms.BooleanField(
                required=False, label=_("Remove the mark")
            )

    def clean(self):
        cleaned = super().clean()
        unit, criterion = cleaned.get("unit"), cleaned.get("criterion")
        if (unit is None) != (criterion is None) or (
            cleaned.get("reason", "").strip() and unit is None
        ):
            self.add_error(None, _("To add a mark, choose the unit and the criterion."))
        return cleaned

    def rows(self):
        """Each existing mark with its two fields, for the template."""
        return [(m, self[f"reason_{m.pk}"], self[f"remove_{m.pk}"]) for m in self.marks]

    def new_mark(self):
        data = self.cleaned_data
        if data.get("unit") is None or data.get("criterion") is None:
            return None
        return NewMark(
            unit_id=data["unit"].pk, criterion_id=data["criterion"], reason=data["reason"]
        )

    def reasons(self) -> dict[int, str]:
        """The posted reason of each mark; a mark whose reason was not posted keeps it."""
        return {
            m.pk: self.cleaned_data.get(f"reason_{m.pk}", "")
            for m in self.marks
            if self.add_prefix(f"reason_{m.pk}") in self.data
        }

    def removed(self) -> set[int]:
        return {m.pk for m in self.marks if self.cleaned_data.get(f"remove_{m.pk}")}


class MergerForm(forms.Form):
    """One merger: the absorbing unit, the absorbed ones, the date and the decision."""

    DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    absorbing = forms.ModelChoiceField(
        label=_("Absorbing unit"),
        queryset=Unit.objects.none(),
        help_text=_("The unit that remains."),
    )
    absorbed = UnitsField(
        label=_("Absorbed units"),
        queryset=Unit.objects.none(),
        help_text=_(
            "They close on the merger date; their memberships from the next year on pass to "
            "the absorbing unit."
        ),
    )
    effective_on = forms.DateField(label=_("Merger takes effect on"), widget=DATE)
    decision = forms.CharField(
        label=_("Decision number"), max_length=200, help_text=_("e.g. NQ 202/2025/QH15")
    )
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    issuing_body = forms.CharField(
        label=_("Issuing body"), max_length=200, required=False, help_text=_("e.g. Quốc hội")
    )
    lock_accounts = forms.BooleanField(
        label=_("Lock the absorbed units' accounts"),
        required=False,
        help_text=_(
            "Accounts that work only for the absorbed units can no longer sign in from the "
            "merger date on."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Closed units too: the service says why one cannot be merged again.
        units = Unit.objects.order_by("-active", "province", "short_name")
        self.fields["absorbing"].queryset = units
        self.fields["absorbed"].queryset = units
        self.fields["absorbed"].widget.attrs["size"] = 10
