"""Chart geometry for server-rendered SVG: pure functions, no database, no markup.

Templates draw what these return; every chart also has a table for screen readers.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    y: float
    width: float
    css: str = ""


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    ticks: list[tuple[float, Decimal]] = field(default_factory=list)


def bar_chart(
    items: list[tuple[str, Decimal, str]],
    *,
    maximum: Decimal,
    width: int = 760,
    label_width: int = 190,
    bar_height: int = 22,
    gap: int = 8,
    tick_count: int = 5,
) -> BarChart:
    """Horizontal bars, one per (label, value, css class), scaled so `maximum` fills the plot."""
    plot = width - label_width - 60
    scale = float(plot) / float(maximum) if maximum > 0 else 0.0
    bars = [
        Bar(
            label=label,
            value=value,
            y=10 + i * (bar_height + gap),
            width=max(0.0, float(value) * scale),
            css=css,
        )
        for i, (label, value, css) in enumerate(items)
    ]
    height = 10 + len(items) * (bar_height + gap) + 24
    step = maximum / tick_count if maximum > 0 else Decimal(0)
    ticks = [
        (float(step * i) * scale, (step * i).quantize(Decimal(1))) for i in range(tick_count + 1)
    ]
    return BarChart(bars, width, height, label_width, plot, bar_height, ticks)


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
    width: int = 520,
    height: int = 220,
    left: int = 50,
    tick_count: int = 4,
) -> LineChart:
    """A line through (label, value, note) points, left to right, between `low` and `high`."""
    top, bottom = 28, height - 28
    span = float(high - low) or 1.0
    step_x = (width - left - 30) / max(1, len(items) - 1)

    def y_of(value):
        return bottom - (float(value - low) / span) * (bottom - top)

    points = [
        Point(label=label, value=value, x=left + 15 + i * step_x, y=y_of(value), note=note)
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


def totals_chart(rows, *, maximum: Decimal) -> BarChart:
    """The dashboard's bar chart: one bar per ranked unit, coloured by standing."""
    items = []
    for row in rows:
        css = "bar-dq" if row.ranked.disqualified else ("bar-top" if row.ranked.rank == 1 else "")
        items.append((f"{row.ranked.rank}. {row.short_name}", row.totals.total, css))
    return bar_chart(items, maximum=maximum)


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
