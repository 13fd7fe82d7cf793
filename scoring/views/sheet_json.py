"""The score sheet's save answered in JSON, for its script: the saved cells' new values,
points, notes and versions, their units' subtotals and totals, or the refused cells with
their messages. The page then updates those cells in place instead of reloading a sheet of
12,500 inputs. Called by `scoring.views.sheets.sheet` when the script asks for JSON; the
form post without the script is answered as before (redirect, or the sheet re-rendered).
"""

from django.contrib import messages
from django.http import JsonResponse

from .. import selectors
from ..ranking import points_formatter
from ..templatetags.points import plain, points


def wants_json(request) -> bool:
    """The sheet's script asks for JSON; a plain form post does not."""
    return request.headers.get("Accept", "").split(",")[0].strip() == "application/json"


def refused(message: str, problems: dict) -> JsonResponse:
    """Nothing was saved: the page's message and each refused cell's, with the version a
    conflict was found at (saving again with it overwrites deliberately, as the form does)."""
    return JsonResponse(
        {
            "saved": False,
            "message": message,
            "problems": [
                {
                    "unit": unit_id,
                    "criterion": criterion_id,
                    "message": str(problem.message),
                    "version": problem.current_version,
                }
                for (unit_id, criterion_id), problem in sorted(problems.items())
            ],
        },
        status=400,
    )


def saved(request, compact, cells, message: str) -> JsonResponse:
    """The posted cells as now stored, with their units' subtotals and totals, read by the
    sheet's own selector (the same figures a reload would show).

    A save that touched a criterion compared within the cluster changed other units' points
    too: the answer asks the page to reload, and the message waits for it as a flash."""
    posted = {(c.unit_id, c.criterion_id) for c in cells}
    unit_ids = sorted({unit_id for unit_id, _ in posted})
    sheet = selectors.score_sheet(compact, unit_ids=unit_ids)
    touched = [row for row in sheet.rows if row.criterion.is_leaf and _touched(row, posted)]
    if any(row.criterion.is_relative for row in touched):
        messages.success(request, message)
        return JsonResponse({"saved": True, "reload": True, "message": message})
    number = points_formatter(grouping=True)
    return JsonResponse(
        {
            "saved": True,
            "reload": False,
            "message": message,
            "cells": [
                {
                    "unit": cell.unit_id,
                    "criterion": cell.criterion_id,
                    "value": cell.value,
                    "points": plain(cell.points),
                    "note": cell.note,
                    "version": cell.version,
                }
                for row in touched
                for cell in row.cells
                if (cell.unit_id, cell.criterion_id) in posted
            ],
            "subtotals": {
                f"{unit_id}-{row.criterion.id}": "" if value is None else number(value)
                for row in sheet.rows
                if not row.criterion.is_leaf
                for unit_id, value in row.subtotals
            },
            "units": [_column(column) for column in sheet.columns],
        }
    )


def _touched(row, posted) -> bool:
    return any((cell.unit_id, cell.criterion_id) in posted for cell in row.cells)


def _column(column) -> dict:
    """A unit's totals as _totals.html shows them, and its header's count."""
    totals = column.display_totals
    return {
        "unit": column.unit.pk,
        "count": f"{column.verified_count}/{column.leaf_count}",
        "totals": {
            "content": points(totals.content),
            "bonus": points(totals.bonus),
            "deductions": points(totals.deductions),
            "total": points(totals.total),
            "maximum": points(totals.maximum),
            "percent": points(totals.percent),
        },
        "maximum": plain(totals.maximum),
    }
