"""What the score sheet posts, read into CellInput: one JSON field of the changed cells
(what sheet.js sends, any number of cells) or form fields (`v-…`, `n-…`, `ver-…`), and the
evidence files. Called by the sheet views in `scoring.views.sheets`.
"""

import json
import re

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .models import NOTE_MAX_LENGTH
from .params import int_param
from .services import CellInput, ServiceError

CELL_KEY = re.compile(r"v-([0-9]+)-([0-9]+)")  # ASCII digits only: \d takes "٣" too


def cells_from_post(data) -> list[CellInput]:
    """The sheet's cells as posted: `v-<unit>-<criterion>` is the value, `n-…` the note or
    reason (absent: keep the stored one), `ver-…` the version the page was loaded with."""
    cells = []
    for key in data:
        match = CELL_KEY.fullmatch(key)
        unit_id, criterion_id = (int_param(match[1]), int_param(match[2])) if match else (0, 0)
        if not (unit_id and criterion_id):
            continue  # not a cell, or ids no database holds
        suffix = f"{match[1]}-{match[2]}"
        version = int_param(data.get(f"ver-{suffix}", "0"))
        cells.append(
            CellInput(
                unit_id=unit_id,
                criterion_id=criterion_id,
                value=data.get(key, ""),
                note=data.get(f"n-{suffix}"),
                version=-1 if version is None else version,
            )
        )
    return cells


# A posted cell in JSON: [unit id, criterion id, value, version, note or null]. Its text is
# at most a value, a note of NOTE_MAX_LENGTH (each character escaped at worst: "\\n") and ids.
CELL_JSON_MAX_CHARS = 2 * NOTE_MAX_LENGTH + 200
_ID_MAX = 2**63 - 1  # the largest primary key a database holds


def cells_from_json(text: str, *, max_cells: int) -> list[CellInput]:
    """The sheet's changed cells posted as one JSON list (the `cells` field), each
    `[unit id, criterion id, value, version, note]` with the note null to keep the stored one.

    Any number of cells up to `max_cells` (units × criteria): a whole sheet posted as form
    fields would pass DATA_UPLOAD_MAX_NUMBER_FIELDS. The text is measured before it is parsed;
    anything not of that shape, or a cell given twice, raises ServiceError and nothing is read.
    Values and notes are checked by the service, as for form fields.
    """
    if len(text) > max(max_cells, 1) * CELL_JSON_MAX_CHARS:
        raise ServiceError(_too_many(max_cells))
    try:
        rows = json.loads(text)
    except (ValueError, RecursionError):
        raise ServiceError(_unreadable()) from None
    if not isinstance(rows, list):
        raise ServiceError(_unreadable())
    if len(rows) > max_cells:
        raise ServiceError(_too_many(max_cells))
    cells, seen = [], set()
    for row in rows:
        if not (isinstance(row, list) and len(row) == 5):
            raise ServiceError(_unreadable())
        unit_id, criterion_id, value, version, note = row
        if not (
            _is_id(unit_id)
            and _is_id(criterion_id)
            and isinstance(value, str)
            and _is_int(version)
            and 0 <= version <= _ID_MAX
            and (note is None or isinstance(note, str))
            and (unit_id, criterion_id) not in seen
        ):
            raise ServiceError(_unreadable())
        seen.add((unit_id, criterion_id))
        cells.append(CellInput(unit_id, criterion_id, value=value, note=note, version=version))
    return cells


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value) -> bool:
    return _is_int(value) and 0 < value <= _ID_MAX


def _unreadable() -> str:
    return str(
        _(
            "The changed cells could not be read, so nothing was saved. "
            "Reload the page and try again."
        )
    )


def _too_many(limit: int) -> str:
    return str(
        _("More cells were sent than this sheet has (%(limit)s), so nothing was saved.")
        % {"limit": formats.number_format(limit, force_grouping=True)}
    )


def cells_from_request(post, *, max_cells) -> list[CellInput]:
    """The posted cells: the `cells` JSON field when the sheet script sent one (see
    cells_from_json), otherwise form fields (cells_from_post). `max_cells` is called only for
    JSON, and returns the sheet's units × criteria."""
    if "cells" in post:
        return cells_from_json(post["cells"], max_cells=max_cells())
    return cells_from_post(post)


def evidence_from_files(files) -> dict[int, list]:
    """Uploaded evidence as {criterion id: [files]} from inputs named `f-<criterion>`."""
    result = {}
    for key in files:
        criterion_id = int_param(key[2:]) if key.startswith("f-") else None
        if criterion_id is not None:
            result[criterion_id] = files.getlist(key)
    return result
