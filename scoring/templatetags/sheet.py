"""The score sheet's cells, rendered in Python.

A sheet of 8 units × 150 criteria is 1,216 inputs; drawing each through template tags cost
about 140 ms, most of the page. The same markup is written here with escaping, one call per
row. The markup must stay in step with unit.html and self.html, which draw one column with
template tags.
"""

from html import escape  # Django's escape() wraps every call for lazy strings: 10× slower

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from scoring.ranking import points_formatter
from scoring.templatetags.points import plain

register = template.Library()


@register.simple_tag
def sheet_cells(row, editable):
    """The input cells of one leaf row of the sheet, one per unit; a cell that takes no
    score (the criterion does not apply to the unit) is a dash with the reason.

    Lean, as a sheet of 25 × 500 is 12,500 of them: what the script can derive is left out.
    The value attribute is the stored value (data-original only after a refused save, when
    the input shows what was typed); the reason input is drawn where it shows (the values
    differ, or there is a note) or after a refused save, and made by the script when a
    difference appears; the problem box only where there is a problem; autocomplete is off
    for the whole form.
    """
    labels = _labels()
    number = _numbers()
    code = escape(row.criterion.code)
    crit = row.criterion.pk
    readonly = "" if editable else " readonly"
    parts = []
    for cell in row.cells:
        unit = cell.unit_id
        if cell.not_applicable:
            parts.append(not_applicable_cell(cell))
            continue
        classes = (
            "cell" + (" differs" if cell.differs else "") + (" has-problem" if cell.problem else "")
        )
        attrs = ""
        if cell.posted:
            attrs += f' data-original="{escape(cell.original)}"'
        if cell.target is not None:
            attrs += f' data-target="{plain(cell.target)}"'
        if cell.self_points is not None:
            attrs += f' data-self-points="{plain(cell.self_points)}"'
        if cell.points is not None:
            attrs += f' data-saved="{plain(cell.points)}"'
        meta = _cell_meta(cell, labels, number)
        reason = ""
        if cell.self_points is not None and (cell.differs or cell.note or cell.posted):
            hidden = "" if (cell.differs or cell.note) else " d-none"
            reason = (
                f'<input class="reason form-control form-control-sm{hidden}" '
                f'name="n-{unit}-{crit}" value="{escape(cell.note)}" '
                f'placeholder="{labels["reason"]}" '
                f'aria-label="{labels["reason"]} {code} — {escape(cell.unit_name)}"{readonly}>'
            )
        invalid = " is-invalid" if cell.problem else ""
        problem = (
            f'<div class="problem" data-problem role="alert">{escape(cell.problem)}</div>'
            if cell.problem
            else ""
        )
        parts.append(
            f'<td class="{classes}" data-unit="{unit}">'
            f'<input class="cell-input form-control form-control-sm{invalid}" '
            f'name="v-{unit}-{crit}" value="{escape(cell.value)}" inputmode="decimal" '
            f'aria-label="{code} — {escape(cell.unit_name)}"{attrs}{readonly}>'
            f'<input type="hidden" name="ver-{unit}-{crit}" value="{cell.form_version}">'
            f'<div class="cell-meta">{meta}</div>{reason}{problem}</td>'
        )
    return mark_safe("".join(parts))


def _cell_meta(cell, labels, number) -> str:
    """The line under a cell's input: its points, target, self-assessed value, evidence."""
    meta = f'<span class="pts" data-pts>{number(cell.points)}</span>'
    if cell.target is not None:
        meta += f'<span class="tgt" title="{labels["target"]}">/{number(cell.target)}</span>'
    if cell.self_value != "":
        meta += (
            f'<span class="self" title="{labels["self"]}">{labels["sa"]} '
            f"{escape(cell.self_value)}</span>"
        )
    if cell.evidence:
        meta += f'<span class="ev" title="{labels["evidence"]}">📎{len(cell.evidence)}</span>'
    return meta


def _labels() -> dict[str, str]:
    return {
        "target": escape(_("Registered target")),
        "self": escape(_("Self-assessed")),
        "sa": escape(_("SA")),
        "evidence": escape(_("Evidence files")),
        "reason": escape(_("Reason")),
    }


def not_applicable_cell(cell) -> str:
    """A cell that takes no score: "—", with the reason in its tooltip."""
    label = escape(_("not applicable: %(reason)s") % {"reason": cell.not_applicable})
    return (
        f'<td class="na-cell text-center text-body-secondary" data-unit="{cell.unit_id}" '
        f'title="{label}"><span aria-label="{label}">—</span></td>'
    )


@register.simple_tag
def sheet_subtotals(row):
    """The subtotal cells of one group row, one per unit."""
    crit = row.criterion.pk
    number = _numbers()
    cells = (
        f'<td class="sub" data-sub="{unit}-{crit}">{number(value)}</td>'
        for unit, value in row.subtotals
    )
    return mark_safe("".join(cells))  # numbers and ids only


@register.simple_tag
def sheet_data(compact, editable):
    """The sheet script's numbers, as data attributes in plain decimals ("12.5"), and the
    active language's separators for reading what is typed."""
    return format_html(
        'data-decimal="{}" data-group="{}" data-bonus-cap="{}"{}{}',
        formats.get_format("DECIMAL_SEPARATOR"),
        formats.get_format("THOUSAND_SEPARATOR"),
        plain(compact.bonus_cap),
        format_html(' data-deduction-cap="{}"', plain(compact.deduction_cap))
        if compact.deduction_cap is not None
        else "",
        mark_safe(" data-editable") if editable else "",
    )


# Ids far beyond any primary key, replaced by placeholders that no id can look like.
_UNIT_SENTINEL = 10**30 + 1
_CRITERION_SENTINEL = 10**30 + 2


@register.simple_tag
def history_url_template(compact):
    """The URL of one score's history with "{unit}" and "{criterion}" for the script to fill
    in ("/compacts/7/units/{unit}/criteria/{criterion}/history/")."""
    url = reverse("scoring:score_history", args=[compact.pk, _UNIT_SENTINEL, _CRITERION_SENTINEL])
    return url.replace(f"/{_UNIT_SENTINEL}/", "/{unit}/").replace(
        f"/{_CRITERION_SENTINEL}/", "/{criterion}/"
    )


def _numbers():
    """Points with thousands separators; blank for nothing."""
    formatted = points_formatter(grouping=True)
    return lambda value: "" if value is None or value == "" else formatted(value)
