"""Refusing stale saves on the editing forms (the score sheet has its own per-cell versions).

A page renders, in a hidden field `seen`, the state its form was rendered from: for each key
a canonical value (compared) and its display (shown), signed so that it comes back as it
left. The service that saves compares, inside its transaction and after locking the compact,
the state seen with the state now. If someone else changed any of it, nothing is written and
the user reads each change — field: their value → yours. The refused form carries the state
now, so saving again replaces the other person's change deliberately.

A post without `seen` (a script, a test) is not checked; a `seen` that does not verify is
refused as an out-of-date page.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core import signing
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import ranking
from .services import ServiceError

SALT = "scoring.seen-state"
SHOWN_CHARS = 80


@dataclass(frozen=True)
class Entry:
    """One compared part of a form's state."""

    label: str
    canonical: str
    display: str


State = dict[str, Entry]


def entry(label, value, display: str | None = None) -> Entry:
    """An Entry for a value as stored or as posted; equal values give equal canonicals."""
    if value is None or value == "":
        canonical, shown = "", _("(empty)")
    elif isinstance(value, bool):
        canonical, shown = ("1", _("yes")) if value else ("0", _("no"))
    elif isinstance(value, Decimal):
        canonical = format(value.normalize(), "f")
        shown = ranking.format_points(value)
    elif isinstance(value, datetime.date):
        canonical, shown = value.isoformat(), date_format(value, "SHORT_DATE_FORMAT")
    elif isinstance(value, models.Model):
        canonical, shown = str(value.pk), str(value)
    else:
        text = str(value)
        canonical = text if len(text) <= 64 else hashlib.sha256(text.encode()).hexdigest()
        shown = text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
    return Entry(str(label), canonical, shown if display is None else display)


def dump_state(state: State) -> str:
    return signing.dumps(
        {key: [e.canonical, e.display] for key, e in state.items()}, salt=SALT, compress=True
    )


def load_state(text: str | None) -> dict | None:
    """The state a page was rendered with; None when none was posted. ServiceError when the
    text is not one this server signed."""
    if not text:
        return None
    try:
        data = signing.loads(text, salt=SALT)
    except (signing.BadSignature, ValueError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)
        for v in data.values()
    ):
        raise ServiceError(_("This page is out of date: reload it and make your change again."))
    return data


@dataclass(frozen=True)
class Change:
    label: str
    theirs: str
    yours: str

    def __str__(self):
        return f"{self.label}: {self.theirs} → {self.yours}"


class StaleSave(ServiceError):
    """Someone else saved after the page was rendered; nothing was written."""

    def __init__(self, changes: list[Change]):
        self.changes = changes
        super().__init__(
            _(
                "Someone else saved a change after you opened this page, so nothing of yours "
                "was saved. What changed (field: their value → yours): %(changes)s. Check it "
                "and save again to replace it with yours."
            )
            % {"changes": "; ".join(str(c) for c in changes)}
        )


def refuse_if_changed(*, seen: dict | None, now: State, yours: State | None = None) -> None:
    """Raises StaleSave when any key of `now` differs from the state the page showed.
    `yours` gives what the user posted for each key (default: what they saw)."""
    if seen is None:
        return
    changes = []
    for key, current in now.items():
        canonical, shown = seen.get(key, ["", _("(empty)")])
        if canonical == current.canonical:
            continue
        mine = yours.get(key) if yours else None
        changes.append(Change(current.label, current.display, mine.display if mine else shown))
    if changes:
        raise StaleSave(changes)


class SeenStateMixin:
    """A form that carries the state it was rendered from (hidden `seen`); pass
    `seen_state=` with the current state. `cleaned_data["seen"]` is what the page showed."""

    def __init__(self, *args, seen_state: State | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if seen_state is not None:
            self.initial["seen"] = dump_state(seen_state)

    def clean_seen(self):
        try:
            return load_state(self.cleaned_data.get("seen"))
        except ServiceError as error:
            raise forms.ValidationError(error.message) from None

    def clean(self):
        cleaned = super().clean()
        if "seen" in self._errors:  # the field is hidden: say it above the form
            del self._errors["seen"]
            self.add_error(
                None, _("This page is out of date: reload it and make your change again.")
            )
        return cleaned

    def refuse_stale(self, error: StaleSave, current: State) -> None:
        """Shows what changed, and renders the state now so that saving again overwrites."""
        self.data = self.data.copy()
        self.data[self.add_prefix("seen")] = dump_state(current)
        self.add_error(None, error.message)
