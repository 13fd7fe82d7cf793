"""The unit names that began after a day, and the text of an export, for the tests that look
for them in the pages of an earlier year."""

import datetime
import io

import openpyxl
from docx import Document

from units.models import Unit


def names_after(day: datetime.date) -> set[str]:
    """Every name (full or short) some unit began to bear after `day`, less those that are
    part of a name valid on `day` (which a page of that day may rightly print). A unit's
    current name began the day after its last former name ended."""
    later, valid = set(), set()
    for unit in Unit.objects.prefetch_related("former_names"):
        periods = sorted(unit.former_names.all(), key=lambda n: n.valid_from)
        current_from = periods[-1].valid_until + datetime.timedelta(days=1) if periods else None
        named = [(n.valid_from, n.valid_until, (n.full_name, n.short_name)) for n in periods]
        named.append((current_from, None, (unit.full_name, unit.short_name)))
        for start, end, names in named:
            if start is not None and start > day:
                later.update(names)
            elif end is None or end >= day:
                valid.update(names)
    return {name for name in later if not any(name in v for v in valid)}


def workbook_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [str(c.value) for s in book for row in s.iter_rows() for c in row if c.value]
    return "\n".join([*book.sheetnames, *cells])


def document_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs]
    return "\n".join(parts)
