import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import CellInput

CELL_KEY = re.compile(r"^v-(\d+)-(\d+)$")


def cells_from_post(data) -> list[CellInput]:
    """The sheet's cells as posted: `v-<unit>-<criterion>` is the value, `n-…` the note or
    reason (absent: keep the stored one), `ver-…` the version the page was loaded with."""
    cells = []
    for key in data:
        match = CELL_KEY.match(key)
        if not match:
            continue
        unit_id, criterion_id = int(match[1]), int(match[2])
        suffix = f"{unit_id}-{criterion_id}"
        version = data.get(f"ver-{suffix}", "0")
        cells.append(
            CellInput(
                unit_id=unit_id,
                criterion_id=criterion_id,
                value=data.get(key, ""),
                note=data.get(f"n-{suffix}"),
                version=int(version) if version.isdigit() else -1,
            )
        )
    return cells


def evidence_from_files(files) -> dict[int, list]:
    """Uploaded evidence as {criterion id: [files]} from inputs named `f-<criterion>`."""
    result = {}
    for key in files:
        if key.startswith("f-") and key[2:].isdigit():
            result[int(key[2:])] = files.getlist(key)
    return result


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for return"),
        widget=forms.TextInput(attrs={"placeholder": _("Reason for return"), "size": 40}),
        max_length=2000,
    )
