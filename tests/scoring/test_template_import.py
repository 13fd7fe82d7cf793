"""Export a unit's template, fill it as a person would, import it back."""

import html
import io
import shutil
import zipfile
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from scoring import selectors, services
from scoring.excel import WorkbookError, read_filled_template, template_workbook
from scoring.models import Compact, Criterion, Score
from scoring.ranking import Side
from tests.programs import convert_with_libreoffice, require_program
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def template_for(compact, code):
    unit = Unit.objects.get(code=code)
    data = selectors.report_data(compact, unit_ids=[unit.pk])
    import datetime

    return unit, template_workbook(data, data.members[0], day=datetime.date(2018, 11, 20))


def rows_by_code(sheet):
    return {
        sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value
    }


def fill(content, values, *, notes=None, edit=None):
    """Types values (and notes) into the template's input cells, by criterion code."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    rows = rows_by_code(sheet)
    for code, value in values.items():
        sheet.cell(rows[code], 5).value = value
    for code, note in (notes or {}).items():
        sheet.cell(rows[code], 6).value = note
    if edit:
        edit(book, sheet, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content, name="mau.xlsx"):
    return SimpleUploadedFile(name, content)


def import_file(compact, content, user=None, allowed=None):
    filled = read_filled_template(upload(content))
    preview = services.preview_template_import(
        compact=compact, filled=filled, user=user, allowed_unit_ids=allowed
    )
    return preview


# Every kind of criterion in the demo scheme, with what a person types.
TYPED = {
    "I.1": 37.5,  # judged, a number
    "I.2": "36,5",  # judged, typed as text the Vietnamese way
    "II.1": 1100,  # quantitative against the target
    "III.2": 600,  # quantitative, full marks at target
    "II.3.a": 4000,  # a sub-criterion
    "V.3": 1,  # pass/fail
    "VI.1": 2,  # bonus, occurrences
    "VII.2": 3,  # deduction, occurrences
}


def test_round_trip_reproduces_the_values_exactly(c2018):
    unit, content = template_for(c2018, "pccc-nghean")
    filled = fill(content, TYPED, notes={"I.1": "Kế hoạch 12/KH"})

    preview = import_file(c2018, filled)
    assert preview.problems == []
    assert len(preview.changes) == len(TYPED)
    services.apply_template_import(compact=c2018, preview=preview, user=None)

    scores = {
        s.criterion.code: s
        for s in Score.objects.filter(compact=c2018, unit=unit).select_related("criterion")
    }
    assert {code: scores[code].self_value for code in TYPED} == {
        "I.1": D("37.5"),
        "I.2": D("36.5"),
        "II.1": D(1100),
        "III.2": D(600),
        "II.3.a": D(4000),
        "V.3": D(1),
        "VI.1": D(2),
        "VII.2": D(3),
    }
    assert scores["I.1"].self_note == "Kế hoạch 12/KH"
    assert scores["VI.1"].self_points == D(20) and scores["VII.2"].self_points == D(6)
    assert scores["V.3"].self_points == D(30)

    # Exported again, the template shows exactly what was typed.
    _unit, again = template_for(c2018, "pccc-nghean")
    sheet = load_workbook(io.BytesIO(again)).active
    rows = rows_by_code(sheet)
    assert {code: D(str(sheet.cell(rows[code], 5).value)) for code in TYPED} == {
        code: scores[code].self_value for code in TYPED
    }
    assert import_file(c2018, again).changes == []


def assert_refused(compact, content, expected, unit_code="pccc-nghean"):
    before = list(Score.objects.filter(compact=compact).values_list("id", "version"))
    preview = import_file(compact, content)
    assert any(expected in problem for problem in preview.problems), preview.problems
    with pytest.raises(services.ServiceError):
        services.apply_template_import(compact=compact, preview=preview, user=None)
    assert list(Score.objects.filter(compact=compact).values_list("id", "version")) == before


def test_value_above_the_maximum_is_reported_with_sheet_and_cell(c2018):
    _unit, content = template_for(c2018, "pccc-nghean")
    sheet = load_workbook(io.BytesIO(content)).active
    row = rows_by_code(sheet)["I.2"]
    assert_refused(
        c2018,
        fill(content, {"I.1": 30, "I.2": 45}),
        f"Sheet PC07 Nghệ An, ô E{row}: 45 lớn hơn điểm tối đa 40",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-2, "Giá trị không được âm"),
        ("ba mươi", "“ba mươi” không phải là một số"),
        ("=20+5", "không được dùng công thức"),
    ],
)
def test_bad_values_are_refused(c2018, value, message):
    _unit, content = template_for(c2018, "pccc-nghean")
    assert_refused(c2018, fill(content, {"I.1": 30, "I.3": value}), message)


def test_unknown_criterion_code_is_refused(c2018):
    _unit, content = template_for(c2018, "pccc-nghean")

    def rename(book, sheet, rows):
        sheet.cell(rows["I.4"], 1).value = "I.9"

    assert_refused(
        c2018,
        fill(content, {"I.4": 20}, edit=rename),
        "mã tiêu chí I.9 không có trong bảng tiêu chí",
    )


def test_extra_sheets_are_refused(c2018):
    _unit, content = template_for(c2018, "pccc-nghean")

    def add_sheet(book, sheet, rows):
        book.create_sheet("Nháp")

    assert_refused(c2018, fill(content, {"I.1": 20}, edit=add_sheet), "Nháp")


def test_template_of_another_year_or_unit_is_refused(c2018, client):
    c2017 = Compact.objects.get(year=2017)
    _unit, content = template_for(c2017, "pccc-nghean")
    assert_refused(c2018, fill(content, {"I.1": 20}), "không phải cho")

    _unit, quangninh = template_for(c2018, "pccc-quangninh")
    nghean = Unit.objects.get(code="pccc-nghean")
    preview = import_file(c2018, fill(quangninh, {"I.1": 20}), allowed={nghean.pk})
    assert "chỉ được nhập mẫu của đơn vị mình" in preview.problems[0]


def test_a_change_made_since_the_export_is_reported_not_overwritten(c2018):
    unit, content = template_for(c2018, "pccc-quangninh")  # self-assessed, version 1
    criterion = Criterion.objects.get(compact=c2018, code="I.1")
    services.record_scores(
        compact=c2018,
        user=None,
        side=Side.SELF,
        unit_id=unit.pk,
        cells=[services.CellInput(unit.pk, criterion.pk, "33", None, 1)],
    )
    preview = import_file(c2018, fill(content, {"I.1": 39}))
    assert any("đã sửa ô này thành 33" in p for p in preview.problems)
    assert Score.objects.get(unit=unit, criterion=criterion).self_value == D(33)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng."),
        (b"STT,Noi dung\n1,abc\n", "Tệp không phải bảng tính Excel (.xlsx)."),
        (b"%PDF-1.7\n%binary", "Tệp không phải bảng tính Excel (.xlsx)."),
    ],
)
def test_files_that_are_not_templates_are_refused(content, message):
    with pytest.raises(WorkbookError) as error:
        read_filled_template(upload(content))
    assert error.value.message == message


def test_truncated_and_oversized_and_foreign_workbooks_are_refused(c2018):
    _unit, content = template_for(c2018, "pccc-nghean")
    with pytest.raises(WorkbookError):
        read_filled_template(upload(content[: len(content) // 2]))
    with pytest.raises(WorkbookError) as error:
        read_filled_template(upload(content + b"\0" * (3 * 1024 * 1024)))
    assert "lớn hơn nhiều" in error.value.message
    from openpyxl import Workbook

    foreign = io.BytesIO()
    Workbook().save(foreign)
    with pytest.raises(WorkbookError) as error:
        read_filled_template(upload(foreign.getvalue()))
    assert "không phải mẫu chấm điểm" in error.value.message


LIBREOFFICE_FIXTURE = Path(__file__).parent.parent / "fixtures" / "mau-tu-cham-libreoffice.xlsx"


def assert_libreoffice_file_imports(compact, content):
    preview = import_file(compact, content)
    assert preview.problems == []
    assert sorted((c["code"], c["new"]) for c in preview.changes) == [
        ("I.1", D("37.5")),
        ("VI.1", D(2)),
    ]


def test_a_workbook_saved_by_libreoffice_imports(c2018):
    """The committed fixture: Nghệ An's 2018 template with I.1 = 37.5 and VI.1 = 2, re-saved
    by LibreOffice Calc 7 (its own styles, shared strings and merged ranges): no LibreOffice
    needed to run this."""
    content = LIBREOFFICE_FIXTURE.read_bytes()
    assert b'appName="Calc"' in zipfile.ZipFile(io.BytesIO(content)).read("xl/workbook.xml")
    assert_libreoffice_file_imports(c2018, content)


def test_a_workbook_saved_by_the_installed_libreoffice_imports(
    c2018, tmp_path, libreoffice_profile
):
    """The same with today's LibreOffice (skipped where it is missing, except in CI)."""
    _unit, content = template_for(c2018, "pccc-nghean")
    source = tmp_path / "filled.xlsx"
    source.write_bytes(fill(content, {"I.1": 37.5, "VI.1": 2}))
    (resaved,) = convert_with_libreoffice(
        [source],
        to="xlsx",
        profile=libreoffice_profile,
        install="apt-get install -y libreoffice-calc-nogui",
    )
    assert_libreoffice_file_imports(c2018, resaved)


@pytest.mark.parametrize(("ci", "outcome"), [("", "skip"), ("false", "skip"), ("true", "fail")])
def test_a_missing_program_skips_with_its_reason_except_in_ci(monkeypatch, ci, outcome):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if outcome == "fail" else pytest.skip.Exception
    with pytest.raises(expected) as raised:
        require_program("soffice", install="apt-get install -y libreoffice-calc-nogui")
    assert "soffice not found" in str(raised.value)
    assert "apt-get install -y libreoffice-calc-nogui" in str(raised.value)


def test_import_scores_command_dry_run_then_apply(c2018, tmp_path, capsys):
    unit, content = template_for(c2018, "pccc-nghean")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(fill(content, {"I.1": 37.5}))

    call_command("import_scores", str(path), "--cluster", "12", "--year", "2018", "--dry-run")
    assert "I.1: — → 37,5" in capsys.readouterr().out
    assert not Score.objects.filter(compact=c2018, unit=unit).exists()

    call_command("import_scores", str(path), "--cluster", "12", "--year", "2018", "--user", "thuky")
    assert "Đã nhập 1 ô điểm cho PC07 Nghệ An." in capsys.readouterr().out
    score = Score.objects.get(compact=c2018, unit=unit)
    assert (score.self_value, score.updated_by.username) == (D("37.5"), "thuky")
    assert score.history.first().history_user.username == "thuky"


def test_import_scores_command_refuses_with_the_cell(c2018, tmp_path, capsys):
    _unit, content = template_for(c2018, "pccc-nghean")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(fill(content, {"I.1": 99}))
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", str(path), "--cluster", "12", "--year", "2018")
    assert str(refused.value) == "Có 1 lỗi; chưa ghi gì."
    assert "Sheet PC07 Nghệ An, ô E" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_scores", str(path), "--cluster", "12", "--year", "2017")


def test_export_report_command_writes_each_report(demo, tmp_path):
    for report in ["ranking", "matrix", "unit", "template"]:
        output = tmp_path / f"{report}.xlsx"
        args = ["--cluster", "12", "--year", "2017", "--report", report, "--output", str(output)]
        if report in ("unit", "template"):
            args += ["--unit", "pccc-nghean"]
        call_command("export_report", *args)
        assert load_workbook(output).active["A1"].value == "BỘ CÔNG AN"
    with pytest.raises(CommandError):
        call_command(
            "export_report",
            "--cluster",
            "12",
            "--year",
            "2017",
            "--report",
            "unit",
            "--output",
            str(tmp_path / "x.xlsx"),
        )


def test_import_page_previews_then_applies(client, c2018):
    unit, content = template_for(c2018, "pccc-nghean")
    client.login(username="pccc_nghean", password=PASSWORD)
    url = reverse("scoring:template_import", args=[c2018.pk])

    page = client.post(url, {"file": upload(fill(content, {"I.1": 37.5}))}).content.decode()
    assert "Nhập 1 thay đổi này" in page
    assert not Score.objects.filter(compact=c2018, unit=unit).exists()
    client.post(url, {"confirm": "1"})
    assert Score.objects.get(compact=c2018, unit=unit).self_value == D("37.5")


def test_import_page_applies_nothing_when_the_cell_changed_after_the_preview(client, c2018):
    """The officer previews, then a colleague saves the same cell in another window:
    confirming imports nothing and says which criterion changed to what, rather than
    overwriting it (there is no sheet to mark it in red, and the preview is gone)."""
    unit, content = template_for(c2018, "pccc-nghean")
    criterion = Criterion.objects.get(compact=c2018, code="I.1")
    client.login(username="pccc_nghean", password=PASSWORD)
    url = reverse("scoring:template_import", args=[c2018.pk])
    client.post(url, {"file": upload(fill(content, {"I.1": 37.5}))})
    services.record_scores(
        compact=c2018,
        user=None,
        side=Side.SELF,
        unit_id=unit.pk,
        cells=[services.CellInput(unit.pk, criterion.pk, "30", None, 0)],
    )

    page = client.post(url, {"confirm": "1"}, follow=True).content.decode()

    assert (
        "Chưa nhập gì: I.1 đã được sửa thành 30 sau khi xem trước. Hãy tải tệp lên lại để so "
        "với điểm hiện có."
    ) in html.unescape(page)
    assert Score.objects.get(compact=c2018, unit=unit, criterion=criterion).self_value == 30


def test_import_page_applies_nothing_once_scoring_closed_after_the_preview(client, c2018):
    unit, content = template_for(c2018, "pccc-nghean")
    client.login(username="pccc_nghean", password=PASSWORD)
    url = reverse("scoring:template_import", args=[c2018.pk])
    client.post(url, {"file": upload(fill(content, {"I.1": 37.5}))})
    Compact.objects.filter(pk=c2018.pk).update(status=Compact.Status.SCORING_CLOSED)

    page = client.post(url, {"confirm": "1"}, follow=True).content.decode()

    assert "Giao ước này không trong thời gian chấm điểm" in page
    assert not Score.objects.filter(compact=c2018, unit=unit).exists()


@pytest.mark.parametrize(
    ("username", "report", "unit_code", "status"),
    [
        ("lanhdao", "ranking", None, 200),
        ("lanhdao", "matrix", None, 200),
        ("lanhdao", "template", "pccc-nghean", 403),
        ("pccc_nghean", "template", "pccc-nghean", 200),
        ("pccc_nghean", "unit", "pccc-nghean", 200),
        ("pccc_nghean", "unit", "pccc-quangninh", 404),
        ("pccc_nghean", "ranking", None, 404),
        ("thuky", "template", "pccc-quangninh", 200),
    ],
)
def test_exports_follow_roles(client, c2018, username, report, unit_code, status):
    client.login(username=username, password=PASSWORD)
    url = reverse("scoring:export", args=[c2018.pk, report])
    if unit_code:
        url += f"?unit={Unit.objects.get(code=unit_code).pk}"
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        content = b"".join(response.streaming_content)  # streamed from a temporary file
        assert load_workbook(io.BytesIO(content)).active["A1"].value == "BỘ CÔNG AN"


def test_import_scores_command_says_what_is_wrong_in_vietnamese(c2018, tmp_path, capsys):
    unit, content = template_for(c2018, "pccc-nghean")
    path = tmp_path / "mau.xlsx"
    path.write_bytes(fill(content, {"I.1": 37.5}))
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")

    def refused(*args):
        with pytest.raises(CommandError) as error:
            call_command("import_scores", *args)
        return str(error.value)

    assert refused(str(tmp_path / "none.xlsx"), "--cluster", "12", "--year", "2018") == (
        f"Không có tệp {tmp_path / 'none.xlsx'}."
    )
    assert "không phải bảng tính Excel" in refused(str(junk), "--cluster", "12", "--year", "2018")
    assert refused(str(path), "--cluster", "99", "--year", "2018") == (
        "Không có giao ước của cụm số 99 năm 2018."
    )
    assert refused(str(path), "--cluster", "12", "--year", "2018", "--user", "nobody") == (
        "Không có người dùng nobody."
    )
    call_command("import_scores", str(path), "--cluster", "12", "--year", "2018", "--dry-run")
    assert "1 thay đổi; --dry-run: chưa ghi gì." in capsys.readouterr().out
    assert not Score.objects.filter(compact=c2018, unit=unit).exists()
