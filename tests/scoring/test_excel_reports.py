"""The Excel reports, read back as a person's spreadsheet program would."""

import datetime
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from scoring import selectors
from scoring.excel import (
    TEMPLATE_MARKER,
    matrix_workbook,
    ranking_workbook,
    template_workbook,
    unit_workbook,
)
from scoring.models import Compact, Evidence, Score
from units.models import Unit

pytestmark = pytest.mark.django_db
DAY = datetime.date(2017, 11, 28)


def both(content):
    """The workbook with formulas, and the same with the stored formula results."""
    return (
        load_workbook(io.BytesIO(content)).active,
        load_workbook(io.BytesIO(content), data_only=True).active,
    )


def find(sheet, text):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in the sheet")


@pytest.fixture
def c2017(demo):
    return Compact.objects.get(year=2017)


def test_ranking_report_layout_and_totals(c2017):
    data = selectors.report_data(c2017)
    standings = selectors.standings_for(c2017)
    formulas, values = both(ranking_workbook(standings, data, day=DAY))

    assert formulas["A1"].value == "BỘ CÔNG AN"
    assert formulas["A2"].value == "CỤM THI ĐUA SỐ 12"
    assert formulas["A2"].font.b and formulas["A2"].font.name == "Times New Roman"
    assert formulas["E1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert formulas["E2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert formulas["E3"].value == "Thanh Hóa, ngày 28 tháng 11 năm 2017"
    assert formulas["E3"].font.i
    assert formulas["A5"].value == "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM VÀ XẾP HẠNG THI ĐUA NĂM 2017"
    assert formulas.page_setup.orientation == "landscape"
    assert formulas.page_setup.paperSize == 9  # A4
    assert formulas.sheet_properties.pageSetUpPr.fitToPage
    assert formulas.page_setup.fitToWidth in (None, 1)  # absent means 1 page wide
    assert formulas.page_setup.fitToHeight == 0  # as many pages tall as needed
    assert formulas.print_title_rows == "$8:$8"  # the table header on every page
    assert formulas.freeze_panes == "C9"
    assert find(formulas, "TM. CỤM THI ĐUA SỐ 12").font.b
    assert find(formulas, "CỤM TRƯỞNG")

    total_column = find(formulas, "Tổng điểm").column
    for index, row in enumerate(standings.rows, start=9):
        name = formulas.cell(index, 2).value
        assert name == row.full_name and name.startswith("Cảnh sát PCCC tỉnh")  # 2017 names
        total = formulas.cell(index, total_column)
        assert total.value.startswith("=SUM(C")
        assert "#,##0.00" in total.number_format
        assert D(str(values.cell(index, total_column).value)) == row.totals.total
        assert values.cell(index, find(formulas, "Xếp hạng").column).value == row.ranked.rank
        assert isinstance(values.cell(index, 3).value, int | float)  # numbers, not text


def test_matrix_report_sums_and_totals(c2017):
    data = selectors.report_data(c2017)
    formulas, values = both(matrix_workbook(data, day=DAY))

    header = find(formulas, "Nội dung tiêu chí").row
    assert [formulas.cell(header, 4 + i).value for i in range(8)] == [
        m.short_name for m in data.members
    ]
    group = find(formulas, "I")
    assert formulas.cell(group.row, 4).value.startswith("=SUM(D")
    unit_id = data.members[0].membership.unit_id
    assert D(str(values.cell(group.row, 4).value)) == data.sums[unit_id][data.criteria[0].id]
    total_row = find(formulas, "TỔNG ĐIỂM").row
    for offset, member in enumerate(data.members):
        cached = values.cell(total_row, 4 + offset).value
        assert D(str(cached)).quantize(D("0.01")) == data.totals[member.membership.unit_id].total
    bonus = formulas.cell(find(formulas, "Điểm thưởng (tối đa 50)").row, 4).value
    assert bonus.startswith("=MIN(SUM(") and bonus.endswith(",50)")
    assert len([c for c in formulas["A"] if c.value]) > len(data.criteria)


def test_unit_report_shows_self_and_verified_notes_and_evidence(c2017):
    unit = Unit.objects.get(code="pccc-thanhhoa")
    score = Score.objects.filter(compact=c2017, unit=unit).exclude(verified_note="").first()
    Evidence.objects.create(
        compact=c2017,
        unit=unit,
        criterion=score.criterion,
        file="x.pdf",
        original_name="x.pdf",
        size=1,
        content_type="application/pdf",
    )
    data = selectors.report_data(c2017, unit_ids=[unit.pk])
    formulas, values = both(unit_workbook(data, data.members[0], day=DAY))

    row = find(formulas, score.criterion.code).row
    assert D(str(values.cell(row, 5).value)) == score.self_points
    assert D(str(values.cell(row, 6).value)) == score.verified_points
    assert values.cell(row, 8).value == score.verified_note
    assert values.cell(row, 9).value == 1
    total_row = find(formulas, "TỔNG ĐIỂM").row
    assert D(str(values.cell(total_row, 6).value)).quantize(D("0.01")) == data.totals[unit.pk].total
    assert (
        D(str(values.cell(total_row, 5).value)).quantize(D("0.01"))
        == data.self_totals[unit.pk].total
    )


def test_template_has_unlocked_validated_inputs_and_hidden_identification(demo):
    compact = Compact.objects.get(year=2018)
    unit = Unit.objects.get(code="pccc-nghean")
    data = selectors.report_data(compact, unit_ids=[unit.pk])
    sheet = load_workbook(io.BytesIO(template_workbook(data, data.members[0], day=DAY))).active

    assert sheet.title == "PC07 Nghệ An"
    assert sheet.protection.sheet
    assert [sheet.cell(r, 8).value for r in range(1, 5)] == [
        TEMPLATE_MARKER,
        12,
        2018,
        "pccc-nghean",
    ]
    assert sheet.column_dimensions["H"].hidden and sheet.column_dimensions["G"].hidden
    i1 = find(sheet, "I.1").row
    assert sheet.cell(i1, 5).protection.locked is False
    assert sheet.cell(i1, 6).protection.locked is False
    assert sheet.cell(i1, 2).protection.locked is True
    rules = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    covering = [dv for ref, dv in rules.items() if f"E{i1}" in ref.split()]
    assert [(dv.type, dv.formula1, dv.formula2) for dv in covering] == [("decimal", "0", "40")]
    target_row = find(sheet, "II.1").row
    assert sheet.cell(target_row, 4).value > 0  # the unit's registered target


def test_texts_that_look_like_formulas_or_links_stay_texts(c2017):
    """Titles typed as "=1+1" or a web address are written as the texts they are."""
    from scoring.models import Criterion

    first, second = Criterion.objects.filter(compact=c2017, parent=None).order_by("position")[:2]
    first.title = "=1+1"
    second.title = "http://example.com/a"
    Criterion.objects.bulk_update([first, second], ["title"])
    data = selectors.report_data(c2017)
    sheet = load_workbook(io.BytesIO(matrix_workbook(data, day=DAY))).active

    formula_like = sheet.cell(find(sheet, first.code).row, 2)
    link_like = sheet.cell(find(sheet, second.code).row, 2)
    assert (formula_like.data_type, formula_like.value) == ("s", "=1+1")
    assert (link_like.data_type, link_like.value) == ("s", "http://example.com/a")
    assert link_like.hyperlink is None


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("'PC07'", "PC07"),
        ("PC07 A/B: [x]?", "PC07 A-B- -x--"),
        ("'", "Sheet1"),
        ("x" * 40, "x" * 31),
    ],
)
def test_sheet_names_are_ones_excel_accepts(name, title):
    from scoring.excel import Book, ReportSheet

    book = Book()
    sheet = ReportSheet(book, name, [10])
    assert sheet.sheet.name == title
    assert load_workbook(io.BytesIO(book.save())).active.title == title
