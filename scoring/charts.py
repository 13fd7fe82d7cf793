"""Chart geometry for server-rendered SVG: pure functions, no database, no markup.

Templates draw what these return; every chart also has a table for screen readers.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    x: float  # the bar's left edge
    y: float  # the bar's top
    width: float
    label_x: float
    label_y: float  # the label's baseline
    value_x: float  # where the value's text starts (after the bar's end)
    value_y: float
    css: str = ""


@dataclass
class BarChart:
    """Bars in viewBox units. The chart is drawn to be shown at about its own width (CSS
    pixels), so that its font sizes (app.css, `.chart`) are what the reader sees: `wide`
    puts the labels left of the bars, `narrow` (phones) above them."""

    bars: list[Bar]
    width: int
    height: int
    plot_left: int
    plot_width: int
    bar_height: int
    ticks: list[tuple[float, Decimal]] = field(default_factory=list)
    layout: str = "wide"
    suffix: str = ""  # after each value and tick: "%" for percentages

    @property
    def axis_y(self) -> int:
        return self.height - 6

    @property
    def grid_bottom(self) -> int:
        return self.height - 22


WIDE, NARROW = "wide", "narrow"


def bar_chart(
    items: list[tuple[str, Decimal, str]],
    *,
    maximum: Decimal,
    layout: str = WIDE,
    tick_count: int = 5,
) -> BarChart:
    """Horizontal bars, one per (label, value, css class), scaled so `maximum` fills the plot.

    `wide` (640 units, for a half-page column of 520–700 px): labels on the left of the bars.
    `narrow` (360 units, for a phone's 300–400 px): each label above its bar, full width.
    """
    if layout == NARROW:
        width, plot_left, value_room, bar_height = 360, 4, 64, 18
        label_height, gap = 20, 10
    else:
        width, plot_left, value_room, bar_height = 640, 200, 64, 24
        label_height, gap = 0, 10
    plot = width - plot_left - value_room
    scale = float(plot) / float(maximum) if maximum > 0 else 0.0
    step_y = label_height + bar_height + gap
    bars = []
    for i, (label, value, css) in enumerate(items):
        top = 10 + i * step_y + label_height
        bar_width = max(0.0, float(value) * scale)
        bars.append(
            Bar(
                label=label,
                value=value,
                x=plot_left,
                y=top,
                width=bar_width,
                label_x=plot_left if layout == NARROW else plot_left - 8,
                label_y=top - 5 if layout == NARROW else top + bar_height / 2 + 5,
                value_x=plot_left + bar_width + 6,
                value_y=top + bar_height / 2 + 5,
                css=css,
            )
        )
    height = 10 + len(items) * step_y + 26
    step = maximum / tick_count if maximum > 0 else Decimal(0)
    ticks = [
        (float(step * i) * scale, (step * i).quantize(Decimal(1))) for i in range(tick_count + 1)
    ]
    if layout == NARROW:
        ticks = ticks[::2]  # 0, 400, 800 on 1,000: five labels do not fit a phone
    return BarChart(bars, width, height, plot_left, plot, bar_height, ticks, layout)


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal
    x: float
    y: float
    note: str = ""


@dataclass
class LineChart:
    points: list[Point]
    width: int
    height: int
    path: str
    ticks: list[tuple[float, Decimal]] = field(default_factory=list)
    left: int = 50
    bottom: int = 0


def line_chart(
    items: list[tuple[str, Decimal, str]],
    *,
    low: Decimal,
    high: Decimal,
    width: int = 400,  # about its width on a phone, so that its texts stay ≥ 11 px there
    height: int = 200,
    left: int = 50,
    tick_count: int = 4,
) -> LineChart:
    """A line through (label, value, note) points, left to right, between `low` and `high`."""
    top, bottom = 28, height - 28
    span = float(high - low) or 1.0
    # Points from 20 units right of the axis to 20 from the edge; the first value's text
    # starts at its point and the last one's ends there (unit_report.html), inside the chart.
    step_x = (width - left - 40) / max(1, len(items) - 1)

    def y_of(value):
        return bottom - (float(value - low) / span) * (bottom - top)

    points = [
        Point(label=label, value=value, x=left + 20 + i * step_x, y=y_of(value), note=note)
        for i, (label, value, note) in enumerate(items)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(points))
    ticks = [
        (
            y_of(low + (high - low) * Decimal(i) / tick_count),
            (low + (high - low) * Decimal(i) / tick_count).quantize(Decimal(1)),
        )
        for i in range(tick_count + 1)
    ]
    return LineChart(points, width, height, path, ticks, left, bottom)


def totals_chart(
    rows, *, maximum: Decimal, by_percentage: bool = False, layout: str = WIDE
) -> BarChart:
    """The dashboard's bar chart: one bar per ranked unit, coloured by standing, drawing what
    the places follow: the total out of `maximum`, or `by_percentage` (the compact ranks by
    the percentage of each unit's applicable maximum) that percentage out of 100. Units
    whose scoring is not complete have no place, so they have no bar either."""
    items = []
    for row in rows:
        if not row.complete:
            continue
        css = "bar-dq" if row.ranked.disqualified else ("bar-top" if row.ranked.rank == 1 else "")
        value = (row.totals.percent or Decimal(0)) if by_percentage else row.totals.total
        items.append((f"{row.ranked.rank}. {row.short_name}", value, css))
    if not by_percentage:
        return bar_chart(items, maximum=maximum, layout=layout)
    chart = bar_chart(items, maximum=Decimal(100), layout=layout)
    chart.suffix = "%"
    return chart


def trend_chart(entries, *, maximum: Decimal) -> LineChart:
    """A unit's total over the years: entries are (year, total, rank text)."""
    values = [value for _year, value, _note in entries]
    # Start the axis a little below the lowest total, on a multiple of 50.
    low = max(Decimal(0), (min(values) if values else Decimal(0)) - Decimal(50))
    return line_chart(
        [(str(year), value, note) for year, value, note in entries],
        low=(low // 50) * 50,
        high=maximum,
    )
