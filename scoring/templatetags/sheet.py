"""The score sheet's cells, rendered in Python.

A sheet of 8 units × 150 criteria is 1,216 inputs; drawing each through template tags cost
about 140 ms, most of the page, and the template's loop over the rows most of the rest. The
same markup is written here with escaping, the whole body in one pass. It must stay in step
with unit.html and self.html, which draw one column with template tags
(tests/views/test_sheet_markup.py holds renderings of the sheet to compare with).
"""

from html import escape  # Django's escape() wraps every call for lazy strings: 10× slower

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from scoring.ranking import points_formatter
from scoring.templatetags.points import blank_or_points, criterion_max, plain, url_pattern

register = template.Library()


@register.simple_tag
def sheet_rows(rows, editable):
    """Rows of the sheet's body (a part's: `sheet_parts`), written whole in one pass (a
    template loop with tags per row cost more than the 12,500 cells of the national sheet)."""
    write = _RowWriter(editable)
    return mark_safe(
        "".join(write.leaf(row) if row.criterion.is_leaf else write.group(row) for row in rows)
    )


class _RowWriter:
    """Writes the sheet's rows with what one page looks up once: the labels, the number
    formats, each value's plain decimal, each unit's escaped name."""

    def __init__(self, editable):
        self.labels = _labels()
        self.number = points_formatter(grouping=True)
        self.readonly = "" if editable else " readonly"
        self.plain_of: dict = {None: ""}
        self.both_of: dict = {}  # value: (plain, grouped): one lookup (a Decimal's hash)
        self.names: dict[int, str] = {}

    def plain(self, value) -> str:
        text = self.plain_of.get(value)
        if text is None:
            text = self.plain_of[value] = plain(value)
        return text

    def both(self, value) -> tuple[str, str]:
        """A value's plain decimal ("1050.5") and its text on the page ("1.050,5")."""
        texts = self.both_of.get(value)
        if texts is None:
            texts = self.both_of[value] = (plain(value), self.number(value))
        return texts

    def head(self, c) -> str:
        """The row's number cell."""
        title = f' title="{escape(c.code)}"' if c.typed_code else ""
        return f'<th scope="row" class="c-code"{title}>{escape(c.shown_code)}</th>'

    def leaf(self, row) -> str:
        c = row.criterion
        guide = f'<div class="guide" hidden>{escape(c.guidance)}</div>' if c.guidance else ""
        title = escape(c.title)
        return (
            f'<tr class="leaf lvl-{c.level}" data-crit="{c.pk}" data-kind="{escape(c.kind)}" '
            f'data-max="{self.plain(c.max_points)}" '
            f'data-per="{self.plain(c.points_per_occurrence)}" data-rule="{escape(c.rule)}" '
            f'data-section="{c.section.value}" data-anc="{" ".join(map(str, c.ancestor_ids))}">'
            f'{self.head(c)}<td class="c-title" title="{title}"><span class="t">{title}</span>'
            f'{guide}</td><td class="c-max">{criterion_max(c, self.number)}</td>'
            f"{self.cells(row)}</tr>"
        )

    def group(self, row) -> str:
        c = row.criterion
        section = c.section.value
        top = " data-top" if c.level == 1 else ""
        number = blank_or_points(self.number)
        crit = c.pk
        subtotals = "".join(
            f'<td class="sub" data-sub="{unit}-{crit}">{number(value)}</td>'
            for unit, value in row.subtotals
        )
        return (
            f'<tr class="group lvl-{c.level} section-{section}" data-group="{crit}" '
            f'data-section="{section}"{top}>{self.head(c)}<td class="c-title">{escape(c.title)}'
            f'</td><td class="c-max">{number(c.max_points)}</td>{subtotals}</tr>'
        )

    def cells(self, row) -> str:
        """The input cells of one leaf row, one per unit; a cell that takes no score (the
        criterion does not apply to the unit) is a dash with the reason.

        Lean, as a sheet of 25 × 500 is 12,500 of them: what the script can derive is left
        out. The value attribute is the stored value (data-original only after a refused
        save, when the input shows what was typed); the reason input is drawn where it shows
        (the values differ, or there is a note) or after a refused save, and made by the
        script when a difference appears; the problem box only where there is a problem;
        autocomplete is off for the whole form.
        """
        code = escape(row.criterion.code)
        crit = row.criterion.pk
        parts = []
        for cell in row.cells:
            if cell.not_applicable:
                parts.append(not_applicable_cell(cell))
                continue
            name = self.names.get(cell.unit_id)
            if name is None:
                name = self.names[cell.unit_id] = escape(cell.unit_name)
            parts.append(self.cell(cell, crit, f"{code} — {name}"))
        return "".join(parts)

    def cell(self, cell, crit, label) -> str:
        """One input cell. Its value and self-assessed value are numbers written by the
        selector unless a refused save shows what was typed (`posted`): only then escaped."""
        unit, both = cell.unit_id, self.both
        points, self_points, target = cell.points, cell.self_points, cell.target
        differs = self_points is not None and points is not None and self_points != points
        classes = "cell differs" if differs else "cell"
        value, self_value = cell.value, cell.self_value
        attrs = ""
        if cell.posted:
            attrs = f' data-original="{escape(cell.original)}"'
            value, self_value = escape(value), escape(self_value)
        saved, shown = ("", "") if points is None else both(points)
        meta = f'<span class="pts" data-pts>{shown}</span>'
        if target is not None:
            exact, shown = both(target)
            attrs += f' data-target="{exact}"'
            meta += f'<span class="tgt" title="{self.labels["target"]}">/{shown}</span>'
        if self_points is not None:
            attrs += f' data-self-points="{both(self_points)[0]}"'
        if points is not None:
            attrs += f' data-saved="{saved}"'
        if self_value != "":
            labels = self.labels
            meta += f'<span class="self" title="{labels["self"]}">{labels["sa"]} {self_value}'
            meta += "</span>"
        if cell.evidence:
            meta += (
                f'<span class="ev" title="{self.labels["evidence"]}">📎{len(cell.evidence)}</span>'
            )
        reason = problem = invalid = ""
        if self_points is not None and (differs or cell.note or cell.posted):
            reason = self.reason(cell, crit, label, shown=differs or bool(cell.note))
        if cell.problem:
            classes += " has-problem"
            invalid = " is-invalid"
            problem = f'<div class="problem" data-problem role="alert">{escape(cell.problem)}</div>'
        version = cell.version if cell.posted_version is None else cell.posted_version
        return (
            f'<td class="{classes}" data-unit="{unit}">'
            f'<input class="cell-input form-control form-control-sm{invalid}" '
            f'name="v-{unit}-{crit}" value="{value}" inputmode="decimal" '
            f'aria-label="{label}"{attrs}{self.readonly}>'
            f'<input type="hidden" name="ver-{unit}-{crit}" value="{version}">'
            f'<div class="cell-meta">{meta}</div>{reason}{problem}</td>'
        )

    def reason(self, cell, crit, label, *, shown) -> str:
        """The reason input of a cell whose verified points differ from the self-assessed."""
        text = self.labels["reason"]
        # After a refused save the reason shows what was typed; the stored one is its
        # original, so that a reason typed alone still counts as a change to save.
        original = ""
        if cell.posted and cell.original_note is not None:
            original = f' data-original="{escape(cell.original_note)}"'
        return (
            f'<input class="reason form-control form-control-sm{"" if shown else " d-none"}" '
            f'name="n-{cell.unit_id}-{crit}" value="{escape(cell.note)}"{original} '
            f'placeholder="{text}" aria-label="{text} {label}"{self.readonly}>'
        )


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


@register.simple_tag
def history_url_template(compact):
    """The URL of one score's history with "{unit}" and "{criterion}" for the script to fill
    in ("/compacts/7/units/{unit}/criteria/{criterion}/history/")."""
    return url_pattern("scoring:score_history", compact.pk, "{unit}", "{criterion}")
