"""The filled self-assessment template: `preview_template_import` reads it and shows every
change, `apply_template_import` writes them in one transaction. Called by the template
import view and the `import_scores` command.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from units.models import Unit

from ..dated_names import Shows, names_day
from ..excel import cell_problem
from ..models import Compact, Criterion
from ..ranking import Side
from .common import CellInput, SaveRefused, ServiceError
from .scores import plan_scores, record_scores


@dataclass
class ImportPreview:
    """What importing a filled template would change (old → new), or why it cannot."""

    unit: object | None = None
    cells: list[CellInput] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def preview_template_import(
    *, compact: Compact, filled, user, allowed_unit_ids=None
) -> ImportPreview:
    """Checks a filled template against the compact and plans its changes, writing nothing.

    The template must be this cluster's and year's, of a member unit the user may import
    for (`allowed_unit_ids`, None for any). Every problem is reported with its sheet and cell.
    """
    preview = ImportPreview(problems=list(filled.problems))
    unit, refusal = _template_unit(compact, filled, allowed_unit_ids)
    if refusal:
        preview.problems.insert(0, refusal)
        return preview
    preview.unit = unit
    criteria = {c.code: c for c in Criterion.objects.filter(compact=compact)}
    rows_by_key = {}
    for row in filled.rows:
        criterion = criteria.get(row.code)
        if criterion is None:
            preview.problems.append(
                cell_problem(
                    row.sheet,
                    f"A{row.row}",
                    _("the criterion code %(code)s is not in the scheme") % {"code": row.code},
                )
            )
            continue
        preview.cells.append(CellInput(unit.pk, criterion.pk, row.value, row.note, row.version))
        rows_by_key[(unit.pk, criterion.pk)] = row
    try:
        plan = plan_scores(
            compact=compact, user=user, cells=preview.cells, side=Side.SELF, unit_id=unit.pk
        )
    except ServiceError as error:
        preview.problems.append(error.message)
        return preview
    for key, problem in plan.problems.items():
        row = rows_by_key[key]
        preview.problems.append(cell_problem(row.sheet, row.cell, problem.message))
    preview.changes = _changes(plan, {c.pk: c for c in criteria.values()})
    return preview


def _template_unit(compact: Compact, filled, allowed_unit_ids) -> tuple[Unit | None, str]:
    """The member unit the template is for, or why it cannot be imported here."""
    if filled.cluster_number != compact.cluster.number or filled.year != compact.year:
        return None, (
            _("This template is for cluster %(cluster)s, year %(year)s, not for %(compact)s.")
            % {"cluster": filled.cluster_number, "year": filled.year, "compact": compact}
        )
    day = names_day(compact, Shows.RESULTS)
    unit = Unit.objects.named_on(day).filter(code=filled.unit_code).first()
    members = set(compact.memberships().values_list("unit_id", flat=True))
    if unit is None or unit.pk not in members:
        return None, (
            _("This template is for a unit (%(code)s) that is not a member of %(compact)s.")
            % {"code": filled.unit_code, "compact": compact}
        )
    if allowed_unit_ids is not None and unit.pk not in allowed_unit_ids:
        return None, (
            _("This template is %(unit)s's; you can import only your own unit's.") % {"unit": unit}
        )
    return unit, ""


def _changes(plan, criteria_by_id: dict) -> list[dict]:
    """The planned changes as the preview lists them: code, title, old → new, points, note."""
    changes = []
    for change in plan.changes:
        criterion = criteria_by_id[change.score.criterion_id]
        changes.append(
            {
                "code": criterion.code,
                "title": criterion.title,
                "old": change.old_value,
                "new": change.new_value,
                "points": change.score.self_points,
                "note": change.score.self_note,
            }
        )
    return changes


def apply_template_import(*, compact: Compact, preview: ImportPreview, user) -> int:
    """Writes a previewed import in one transaction; the same checks run again, so a change
    made since the preview (or since the template was exported) is refused, not lost."""
    if preview.problems or preview.unit is None:
        raise ServiceError(_("The file has problems; nothing was imported."))
    try:
        return record_scores(
            compact=compact,
            user=user,
            cells=preview.cells,
            side=Side.SELF,
            unit_id=preview.unit.pk,
        )
    except SaveRefused as refused:
        raise ServiceError(_refusal_since_the_preview(compact, refused)) from None


def _refusal_since_the_preview(compact: Compact, refused: SaveRefused) -> str:
    """One line naming each criterion refused at the import (the preview had none: what
    changed since, most often another person's save of the same cell). There is no sheet to
    mark the cells in red, and the preview is gone: the file is to be uploaded again."""
    codes = dict(
        Criterion.objects.filter(
            compact=compact, pk__in=[criterion_id for _unit, criterion_id in refused.problems]
        ).values_list("pk", "code")
    )
    problems = []
    for (_unit, criterion_id), problem in sorted(refused.problems.items()):
        code = codes.get(criterion_id, criterion_id)
        if problem.current_version is not None:
            problems.append(
                _("%(code)s was changed to %(value)s after the preview")
                % {"code": code, "value": problem.current_value}
            )
        else:
            problems.append(f"{code}: {problem.message}")
    return _(
        "Nothing was imported: %(problems)s. Upload the file again to compare it with the "
        "scores as they are now."
    ) % {"problems": "; ".join(problems)}
