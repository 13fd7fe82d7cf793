"""The score sheet's rows in parts, one per top-level criterion, each drawn as a table of its
own in a box the browser lays out and paints only while it is in view (app.css: .sheet-part,
`content-visibility: auto`, which does nothing on a table's rows). A sheet of 25 × 500 is
otherwise one table of 12,500 inputs that Chromium lays out, pre-paints and paints whole at
every keystroke (docs/performance.md, Browser).

A sheet of fewer than LAZY_FROM_CELLS cells is drawn whole, in parts all the same: it is cheap
to draw, and what is left undrawn reads as empty to layout-based queries (innerText)."""

from dataclasses import dataclass, field

from django import template

register = template.Library()

# A part's height before it was ever drawn, in rem: about a leaf row (input and its meta line),
# the line a reason or a problem adds, and a group row. Once drawn, the browser keeps the part's
# real height (`auto`), so an estimate only moves the scroll bar a little.
LEAF_ROW_REM = 3.3
EXTRA_LINE_REM = 1.9
GROUP_ROW_REM = 2.6
LAZY_FROM_CELLS = 1000


@dataclass
class SheetPart:
    rows: list = field(default_factory=list)
    leaves: int = 0
    extra_lines: int = 0
    groups: int = 0

    @property
    def height(self) -> str:
        rem = (
            self.leaves * LEAF_ROW_REM
            + self.extra_lines * EXTRA_LINE_REM
            + self.groups * GROUP_ROW_REM
        )
        return f"{rem:.1f}"


@dataclass
class SheetParts:
    parts: list
    lazy: bool  # parts out of view are drawn when they come into view


@register.simple_tag
def sheet_parts(sheet):
    """The sheet's rows cut before each top-level criterion (level 1), in order."""
    parts = cut(sheet.rows)
    leaves = sum(part.leaves for part in parts)
    return SheetParts(parts=parts, lazy=leaves * len(sheet.columns) >= LAZY_FROM_CELLS)


def cut(rows):
    parts = []
    for row in rows:
        criterion = row.criterion
        if not parts or criterion.level == 1:
            parts.append(SheetPart())
        part = parts[-1]
        part.rows.append(row)
        if criterion.is_leaf:
            part.leaves += 1
            # A reason drawn (a difference, a note) or a problem shown makes the row taller.
            if any(cell.differs or cell.note or cell.problem for cell in row.cells):
                part.extra_lines += 1
        else:
            part.groups += 1
    return parts
