"""Hostile .xlsx files, built at test time (none is committed): each one a way an upload has
been, or could be, turned against the importers. `HOSTILE` maps a name to a builder; the
builders are cached, so a session builds each file once."""

import functools
import io
import struct
import zipfile

from openpyxl import Workbook

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@functools.cache
def base() -> bytes:
    """A small, honest workbook: a scheme table, and the template's marker in column H, so
    that both importers would read on into the sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    for row in [("STT", "Nội dung tiêu chí", "Điểm chuẩn"), ("I", "Lãnh đạo", 10), (1, "A", 10)]:
        sheet.append(row)
    for row, value in enumerate(["cumthidua-template:1", 12, 2018, "pccc-nghean", 1], start=1):
        sheet.cell(row, 8).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replaced(members: dict, *, source: bytes | None = None) -> bytes:
    """`source` (the base workbook) with some parts replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source or base())) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            if info.filename not in members:
                new.writestr(info.filename, old.read(info.filename))
        for name, data in members.items():
            new.writestr(name, data)
    return out.getvalue()


def sheet_xml(rows_xml: bytes, *, dimension: str | None = "A1:H3", merges: bytes = b"") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">'.encode()
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    return head + dim + b"<sheetData>" + rows_xml + b"</sheetData>" + merges + b"</worksheet>"


MARKER_ROWS = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>N\xe1\xbb\x99i dung</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>\xc4\x90i\xe1\xbb\x83m</t></is></c>'
    b'<c r="H1" t="inlineStr"><is><t>cumthidua-template:1</t></is></c></row>'
    b'<row r="2"><c r="H2"><v>12</v></c></row><row r="3"><c r="H3"><v>2018</v></c></row>'
    b'<row r="4"><c r="H4" t="inlineStr"><is><t>pccc-nghean</t></is></c></row>'
    b'<row r="5"><c r="H5"><v>5</v></c></row>'
)


def tall(count: int, *, dimension: str | None = "A1:H3") -> bytes:
    """`count` rows of data under the table (a filled template pasted down a column)."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="E%d"><v>1</v></c></row>' % (n, n, n, n)
        for n in range(6, count + 6)
    )
    return replaced({SHEET: sheet_xml(MARKER_ROWS + rows, dimension=dimension)})


def far_cell_declared() -> bytes:
    """5 KB: one cell at XFD1048576, with the dimension openpyxl writes for it."""
    book = Workbook()
    sheet = book.active
    sheet.append(("STT", "Nội dung tiêu chí", "Điểm chuẩn"))
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def far_cell_undeclared() -> bytes:
    """The same cell, the dimension claiming a small table."""
    far = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return replaced({SHEET: sheet_xml(MARKER_ROWS + far)})


def wide() -> bytes:
    """One row out to column XFD, under a small declared dimension."""
    from openpyxl.utils import get_column_letter

    cells = b"".join(
        b'<c r="%s6"><v>1</v></c>' % get_column_letter(n).encode() for n in range(1, 16385)
    )
    return replaced({SHEET: sheet_xml(MARKER_ROWS + b'<row r="6">' + cells + b"</row>")})


def overlapping_merges() -> bytes:
    """Thousands of merged ranges over the same area (each one in bounds)."""
    merges = b"<mergeCells>" + b'<mergeCell ref="A6:D60"/>' * 5000 + b"</mergeCells>"
    return replaced({SHEET: sheet_xml(MARKER_ROWS, merges=merges)})


def zip_bomb() -> bytes:
    """About 100 KB that unpacks to 100 MB (a part of zeros, deflated)."""
    out = io.BytesIO(base())
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/media/image1.bin", "w") as part,
    ):
        for _ in range(100):
            part.write(b"\0" * MB)
    return out.getvalue()


def lying_zip_bomb() -> bytes:
    """A part of 50 MB of zeros whose directory entries claim 1,000 bytes."""
    out = io.BytesIO(base())
    name = b"xl/media/image1.bin"
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open(name.decode(), "w") as part,
    ):
        for _ in range(50):
            part.write(b"\0" * MB)
    data = bytearray(out.getvalue())
    # (signature, where the uncompressed size is, where the name's length is, where it starts)
    for signature, size_at, length_at, name_at in (
        (b"PK\x01\x02", 24, 28, 46),
        (b"PK\x03\x04", 22, 26, 30),
    ):
        position = data.find(signature)
        while position != -1:
            length = struct.unpack_from("<H", data, position + length_at)[0]
            if data[position + name_at : position + name_at + length] == name:
                struct.pack_into("<I", data, position + size_at, 1000)
            position = data.find(signature, position + 4)
    return bytes(data)


def incident_rows() -> bytes:
    """The reported case: 2.3 million rows in a small file. Rows and cells without numbers
    (each one follows the previous) pack about 1,000:1."""
    rows = b"<row><c><v>1</v></c></row>" * 2_300_000
    return replaced({SHEET: sheet_xml(MARKER_ROWS + rows, dimension=None)})


def unnumbered_rows() -> bytes:
    """300,000 unnumbered rows: under the unpacked-size limit, so the sheet's extent decides."""
    rows = b"<row><c><v>1</v></c></row>" * 300_000
    return replaced({SHEET: sheet_xml(MARKER_ROWS + rows)})


def many_parts() -> bytes:
    out = io.BytesIO(base())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_STORED) as archive:
        for n in range(5_000):
            archive.writestr(f"customXml/item{n}.xml", b"<a/>")
    return out.getvalue()


def oversized() -> bytes:
    """6 MB that does not compress: over both importers' size limits."""
    import random

    noise = random.Random(14).randbytes(6 * MB)
    return replaced({"xl/media/image1.bin": noise})


LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b']>\n<sst xmlns="%s"><si><t>&lol9;</t></si></sst>' % MAIN.encode()
)


def billion_laughs() -> bytes:
    return replaced({"xl/sharedStrings.xml": LAUGHS})


def chained_entities() -> bytes:
    """40,000 entities each referring to the previous one (expat crashed on these)."""
    declarations = b"".join(b'<!ENTITY e%d "&e%d;">' % (n, n - 1) for n in range(1, 40_000))
    workbook = (
        b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY e0 "x">'
        + declarations
        + b']><workbook xmlns="%s"><sheets/><x>&e39999;</x></workbook>' % MAIN.encode()
    )
    return replaced({"xl/workbook.xml": workbook})


def external_entity() -> bytes:
    sheet = sheet_xml(MARKER_ROWS).replace(
        b"<worksheet",
        b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<worksheet',
    )
    sheet = sheet.replace(b"<t>STT</t>", b"<t>&xxe;</t>")
    return replaced({SHEET: sheet})


def doctype_only() -> bytes:
    """A DTD without entities, in the first part openpyxl reads."""
    with zipfile.ZipFile(io.BytesIO(base())) as archive:
        types = archive.read("[Content_Types].xml")
    types = b"<!DOCTYPE Types>" + types
    return replaced({"[Content_Types].xml": types})


def utf16_entities() -> bytes:
    """Billion laughs encoded in UTF-16, which expat also reads."""
    text = LAUGHS.decode().replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    return replaced({"xl/sharedStrings.xml": text.encode("utf-16")})


BUILDERS = {
    "oversized": oversized,
    "zip_bomb": zip_bomb,
    "lying_zip_bomb": lying_zip_bomb,
    "many_parts": many_parts,
    "far_cell_declared": far_cell_declared,
    "far_cell_undeclared": far_cell_undeclared,
    "tall_rows": lambda: tall(100_000),
    "incident_rows": incident_rows,
    "unnumbered_rows": unnumbered_rows,
    "wide_row": wide,
    "overlapping_merges": overlapping_merges,
    "billion_laughs": billion_laughs,
    "chained_entities": chained_entities,
    "external_entity": external_entity,
    "doctype_only": doctype_only,
    "utf16_entities": utf16_entities,
}


@functools.cache
def hostile(name: str) -> bytes:
    return BUILDERS[name]()
