"""ReportSheet.append's two ways of writing a cell give the same workbook: a number by its own
path (most of the matrix's cells), a formula in a format made beforehand (a group's sums)
as in its style; and a text stays a text. Read back with openpyxl."""

import io
from decimal import Decimal as D

from openpyxl import load_workbook

from scoring.excel import Book, ReportSheet
from scoring.excel.layout import POINTS_FORMAT, Formula, Styled

TEXT = "=1+1 " + "không phải công thức, " * 5  # 5 + 110 characters: three lines of 46
STYLE = {"bold": True, "align": "right", "number": POINTS_FORMAT, "border": True}


def look(cell):
    return (
        cell.value,
        cell.data_type,
        cell.font.b,
        cell.alignment.horizontal,
        cell.number_format,
        cell.border.left.style,
    )


def test_numbers_and_formulas_in_a_made_format_look_as_written_by_their_style():
    book = Book()
    sheet = ReportSheet(book, "Thử", [10, 10, 10, 10, 40])
    points = sheet.cell(None, **STYLE).format
    sheet.append(
        [
            Styled(1.5, points, False, 12),  # a float: the direct path
            sheet.cell(D("2.25"), **STYLE),  # a Decimal: by type, as before
            Formula("=SUM(A1:B1)", D("3.75"), **STYLE),
            Formula("=SUM(A1:B1)", D("3.75"), cell_format=points),
            sheet.cell(TEXT, wrap=True),
        ]
    )
    sheet.append([Formula("=A1", 0, cell_format=points), None, Styled(None, points, False, 12)])

    content = book.save()
    formulas, values = (
        load_workbook(io.BytesIO(content), data_only=data_only).active
        for data_only in (False, True)
    )

    assert [look(c) for c in formulas[1][:2]] == [
        (1.5, "n", True, "right", POINTS_FORMAT, "thin"),
        (2.25, "n", True, "right", POINTS_FORMAT, "thin"),
    ]
    assert (
        look(formulas["C1"])
        == look(formulas["D1"])
        == (
            "=SUM(A1:B1)",
            "f",
            True,
            "right",
            POINTS_FORMAT,
            "thin",
        )
    )
    assert (values["C1"].value, values["D1"].value) == (3.75, 3.75)
    assert (formulas["E1"].value, formulas["E1"].data_type) == (TEXT, "s")
    assert (formulas["A2"].value, values["A2"].value, look(formulas["C2"])) == (
        "=A1",
        0,
        (None, "n", True, "right", POINTS_FORMAT, "thin"),
    )
    assert formulas.row_dimensions[1].height == 15.5 * 3  # the wrapped text's lines
