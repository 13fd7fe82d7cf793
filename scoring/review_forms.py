"""Forms of the year-end review pages. They only read what was typed; the rules are in
scoring/review/."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import LocalizedDecimalMixin
from .models import ReviewMeeting, Vote
from .review import MEETING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeetingForm(LocalizedDecimalMixin, forms.ModelForm):
    """The meeting, and for each member unit: present, its representative and title
    (fields `present-<unit>`, `rep-<unit>`, `title-<unit>`)."""

    class Meta:
        model = ReviewMeeting
        fields = list(MEETING_FIELDS)  # the fields save_meeting records
        widgets = {
            "held_on": DATE,
            "document_date": DATE,
            "guests": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        present = {}
        if self.instance.pk:
            present = {a.unit_id: a for a in self.instance.attendance.all()}
        for m in members:
            seen = present.get(m.unit_id)
            self.fields[f"present-{m.unit_id}"] = forms.BooleanField(
                required=False, initial=seen is not None, label=str(m.unit)
            )
            self.fields[f"rep-{m.unit_id}"] = forms.CharField(
                required=False,
                max_length=300,
                initial=seen.representative if seen else "",
                label=_("representative"),
            )
            self.fields[f"title-{m.unit_id}"] = forms.CharField(
                required=False, max_length=200, initial=seen.title if seen else "", label=_("title")
            )
        for name in ("held_on", "place", "chair", "secretary"):
            self.fields[name].required = False  # the service names what is missing

    def attendance_rows(self):
        return [
            (m, self[f"present-{m.unit_id}"], self[f"rep-{m.unit_id}"], self[f"title-{m.unit_id}"])
            for m in self.members
        ]

    def attendance(self):
        data = self.cleaned_data
        return [
            (m.unit_id, data[f"rep-{m.unit_id}"], data[f"title-{m.unit_id}"])
            for m in self.members
            if data.get(f"present-{m.unit_id}")
        ]

    def service_arguments(self):
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields}
        values["attendance"] = self.attendance()
        return values


class VoteForm(forms.Form):
    """One vote: its method, the ballot counts and each member's votes (`votes-<unit>`,
    empty: not a candidate)."""

    method = forms.ChoiceField(
        label=_("method"), choices=Vote.Method.choices, widget=forms.RadioSelect
    )
    ballots_issued = forms.IntegerField(label=_("ballots issued"), required=False, min_value=0)
    ballots_returned = forms.IntegerField(label=_("ballots returned"), required=False, min_value=0)
    ballots_valid = forms.IntegerField(label=_("valid ballots"), required=False, min_value=0)
    ballots_invalid = forms.IntegerField(label=_("invalid ballots"), required=False, min_value=0)
    notes = forms.CharField(
        label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members, names, vote=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        counts = {}
        if vote is not None:
            counts = {c.unit_id: c.votes for c in vote.counts.all()}
            initial.update(
                method=vote.method,
                ballots_issued=vote.ballots_issued,
                ballots_returned=vote.ballots_returned,
                ballots_valid=vote.ballots_valid,
                ballots_invalid=vote.ballots_invalid,
                notes=vote.notes,
            )
        else:
            initial.setdefault("method", Vote.Method.SECRET)
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            self.fields[f"votes-{m.unit_id}"] = forms.IntegerField(
                required=False, min_value=0, initial=counts.get(m.unit_id), label=names[m.unit_id]
            )

    def count_fields(self):
        return [self[f"votes-{m.unit_id}"] for m in self.members]

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "method": data["method"],
            "ballots_issued": data["ballots_issued"],
            "ballots_returned": data["ballots_returned"],
            "ballots_valid": data["ballots_valid"],
            "ballots_invalid": data["ballots_invalid"],
            "notes": data["notes"],
            "counts": {m.unit_id: data[f"votes-{m.unit_id}"] for m in self.members},
        }


class ProposalForm(forms.Form):
    award_kind = forms.IntegerField(widget=forms.HiddenInput)
    unit = forms.IntegerField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label=_("reason for the override"), required=False, max_length=2000
    )

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "award_kind_id": data["award_kind"],
            "unit_id": data["unit"],
            "override_reason": data["override_reason"],
        }


class WithdrawForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), required=False, max_length=2000)


class AwardKindForm(LocalizedDecimalMixin, forms.Form):
    award_kind = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("name"), max_length=200)
    required_band = forms.CharField(label=_("required band"), required=False, max_length=100)
    leader_only = forms.BooleanField(label=_("only the unit leading the cluster"), required=False)
    quota_count = forms.IntegerField(label=_("quota (units)"), required=False, min_value=0)
    quota_percent = forms.DecimalField(
        label=_("quota (percent of member units)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
    )


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("published on"), required=False, widget=DATE)
    appeal_days = forms.IntegerField(
        label=_("appeal window (days)"), required=False, min_value=0, initial=10
    )


class AppealForm(forms.Form):
    """An officer's appeal: one of its unit's verified scores (`choices`: (criterion id,
    label)), the reason and an optional evidence file."""

    criterion = forms.TypedChoiceField(label=_("score appealed against"), coerce=int)
    reason = forms.CharField(
        label=_("reason for the appeal"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("evidence"), required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "—"), *choices]


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("answer"),
        choices=[("upheld", _("upheld")), ("rejected", _("rejected"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("reason"), required=False, max_length=4000)
    value = forms.CharField(label=_("corrected value"), required=False, max_length=30)

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "upheld": data["decision"] == "upheld",
            "answer": data["answer"],
            "value": data["value"],
        }


class CloseAppealsForm(forms.Form):
    reason = forms.CharField(label=_("reason"), required=False, max_length=4000)
