"""The dashboard's repeated parts, rendered in Python: each ranking row's figures, each heat
map row's cells and the bar charts.

Drawn with template tags and the `points` filter, a national compact's 25 rows and two charts
were some 2,300 variable lookups and 300 filter calls: most of the page's time. The same
markup is written here with escaping, one call per row or chart; dashboard.html keeps the
rest of the page.
"""

from html import escape  # Django's escape() wraps every call for lazy strings: 10× slower

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from scoring.templatetags.points import blank_or_points, url_pattern

register = template.Library()

ROW_BREAK = "\n      "  # between the cells of a ranking row, as dashboard.html indents them
LINE_BREAK = "\n        "  # between the lines of a ranking row's unit cell


def _numbers(context):
    """The `points` filter for many values: grouped, without trailing zeros, blank for None;
    one formatter per page (the heat map repeats the table's values)."""
    cache = context.render_context
    if "points" not in cache:
        cache["points"] = blank_or_points()
    return cache["points"]


@register.simple_tag(takes_context=True)
def ranking_unit(context, row, standings):
    """A ranking row's unit cell: its name linking to its report, its role, and what to know
    about its place (verification in progress, a tie, disqualification, mergers since last
    year; on a phone, its band and change)."""
    compact = standings.compact
    urls = context.render_context  # the unit report's URL, reversed once per page
    if "unit_report_url" not in urls:
        urls["unit_report_url"] = url_pattern("scoring:unit_report", compact.pk, "{unit}")
    href = urls["unit_report_url"].replace("{unit}", str(row.unit.pk))
    ranked, previous = row.ranked, standings.previous
    lines = [
        f'<a href="{escape(href)}">{escape(row.short_name)}</a>',
        (
            f'<span class="small text-body-secondary">· '
            f"{escape(str(row.membership.get_role_display()))}</span>"
            if row.membership.role != "member"
            else ""
        ),
        "" if row.complete else _completeness(row),
        _tie(ranked),
        _not_eligible() if ranked.disqualified else "",
        _merged_from(row, previous) if row.merged_from and previous else "",
        _phone_line(row, previous) if row.complete else "",
    ]
    return mark_safe(LINE_BREAK + LINE_BREAK.join(lines) + ROW_BREAK)


def _completeness(row) -> str:
    text = _("verification in progress: %(verified)s/%(criteria)s criteria") % {
        "verified": localize(row.verified),
        "criteria": localize(row.criteria),
    }
    return f'<span class="badge text-bg-light border completeness">{text}</span>'


def _not_eligible() -> str:
    label = escape(_("not eligible for flags"))
    return f'<span class="badge text-bg-danger">{label}</span>'


def _tie(ranked) -> str:
    if ranked.shared:
        label = escape(_("tied: decided at the vote"))
        return f'<span class="badge text-bg-warning">{label}</span>'
    if not ranked.broken_by:
        return ""
    if ranked.broken_by == "fewer_deductions":
        how = _("tie broken: fewer deductions")
    elif ranked.broken_by == "vote":
        how = _("tie decided at the year-end review")
    else:
        how = _("tie broken: higher groups")
    title = escape(_("Tie broken by"))
    return f'<span class="small text-body-secondary" title="{title}">· {escape(how)}</span>'


def _merged_from(row, previous) -> str:
    text = _("Merged into it since %(year)s: %(units)s. The change is measured along its line.") % {
        "year": localize(previous.year),
        "units": escape(", ".join(row.merged_from)),
    }
    return f'<div class="small text-body-secondary merged-from">{text}</div>'


def _phone_line(row, previous) -> str:
    """Under the name on a phone, where the band and change columns are hidden."""
    change = row.rank_change
    since = ""
    if change is not None:
        arrow = f"▲{change}" if change > 0 else (f"▼{-change}" if change < 0 else "=")
        label = _("Since %(year)s") % {"year": localize(previous.year)}
        since = f" · {label}: {arrow}"
    return (
        f'<div class="small text-body-secondary d-md-none">{escape(row.ranked.band)}{since}</div>'
    )


@register.simple_tag(takes_context=True)
def ranking_figures(context, row, standings):
    """A ranking row's cells from its content groups to its change since last year (the
    change only when there was a last year)."""
    number = _numbers(context)
    totals = row.totals
    by_percentage = standings.by_percentage
    total, percent = number(totals.total), number(totals.percent)
    if not row.complete:
        partial = escape(_("partial: only the criteria verified so far"))
        total = f'<span class="partial" title="{partial}">{total}</span>'
        percent = f'<span class="partial">{percent}</span>'
    deductions = f"−{number(totals.deductions)}" if totals.deductions else "0"
    cells = [
        "".join(f'<td class="text-end col-secondary">{number(c.points)}</td>' for c in row.heat),
        f'<td class="text-end col-secondary">{number(totals.content)}</td>',
        f'<td class="text-end col-secondary">{number(totals.bonus)}</td>',
        f'<td class="text-end col-secondary">{deductions}</td>',
        f'<td class="text-end{" col-secondary" if by_percentage else " fw-bold"} total">'
        f"{total}</td>",
        f'<td class="text-end col-secondary maximum">{number(totals.maximum)}</td>',
        f'<td class="text-end{" fw-bold" if by_percentage else " col-secondary"} percent">'
        f"{percent}</td>",
        f'<td class="col-secondary band">{escape(row.ranked.band) if row.complete else ""}</td>',
        _change_cell(row, number) if standings.previous else "",
    ]
    return mark_safe(ROW_BREAK.join(cells))


def _change_cell(row, number) -> str:
    """Places gained or lost since last year, and the points' change."""
    change = row.rank_change
    if change is None:
        shown = '<span class="text-body-secondary">—</span>'
    else:
        if change > 0:
            up = escape(_("places up"))
            arrow = f'<span class="text-success" title="{up}">▲{change}</span>'
        elif change < 0:
            down = escape(_("places down"))
            arrow = f'<span class="text-danger" title="{down}">▼{-change}</span>'
        else:
            arrow = '<span class="text-body-secondary">=</span>'
        points = row.points_change
        sign = "+" if points is not None and points > 0 else ""
        shown = f'{arrow} <span class="small">({sign}{number(points)})</span>'
    return f'<td class="text-end text-nowrap col-secondary change">{shown}</td>'


@register.simple_tag(takes_context=True)
def heat_cells(context, row):
    """A heat map row's cells: each content group's share of its maximum, in tenths for the
    colour (rounded half to even, as `widthratio` rounds)."""
    number = _numbers(context)
    return mark_safe(
        "".join(
            f'<td class="text-center heat heat-{round(float(c.percent) / 10)}" '
            f'title="{number(c.points)} / {number(c.group.max_points)}">{c.percent}%</td>'
            for c in row.heat
        )
    )


@register.simple_tag(takes_context=True)
def bar_chart(context, chart, chart_id, chart_title):
    """A `charts.BarChart` as SVG, with `chart_title` as its accessible name (escaped unless
    it is already, as `{% translate … as chart_title %}` leaves it)."""
    number = _numbers(context)
    suffix, narrow = escape(chart.suffix), chart.layout == "narrow"
    ticks = "".join(
        f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{chart.grid_bottom}"/>'
        f'<text class="tick" x="{x:.1f}" y="{chart.axis_y}" text-anchor='
        f'"{"start" if index == 0 and narrow else "middle"}">{number(value)}{suffix}</text>'
        for index, (x, value) in enumerate(chart.ticks)
    )
    anchor = "start" if narrow else "end"
    bars = "".join(
        f'\n  <g class="bar {escape(bar.css)}">\n'
        f'    <text class="label" x="{bar.label_x:.1f}" y="{bar.label_y:.1f}" '
        f'text-anchor="{anchor}">{escape(bar.label)}</text>\n'
        f'    <rect x="{bar.x}" y="{bar.y:.1f}" width="{bar.width:.1f}" '
        f'height="{chart.bar_height}" rx="2"/>\n'
        f'    <text class="value" x="{bar.value_x:.1f}" y="{bar.value_y:.1f}">'
        f"{number(bar.value)}{suffix}</text>\n  </g>\n  "
        for bar in chart.bars
    )
    chart_id = escape(chart_id)
    return mark_safe(
        f'<svg class="chart chart-{escape(chart.layout)}" viewBox="0 0 {chart.width} '
        f'{chart.height}" role="img" aria-labelledby="{chart_id}-title" '
        'preserveAspectRatio="xMinYMin meet">\n'
        f'  <title id="{chart_id}-title">{conditional_escape(chart_title)}</title>\n'
        f'  <g transform="translate({chart.plot_left},0)">\n    {ticks}\n  </g>\n  {bars}\n</svg>\n'
    )
