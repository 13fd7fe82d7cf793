"""Importing a scheme from the Excel tables secretariats already keep."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from scoring import schemes, selectors
from scoring.excel import WorkbookError, parse_scheme_workbook
from scoring.models import Compact, CompactEvent, Criterion
from scoring.services import ServiceError
from tests.factories import UserFactory, UserRoleFactory, build_compact, score

pytestmark = pytest.mark.django_db


def workbook_file(rows, *, title_rows=(), merge=(), name="bang-tieu-chi.xlsx"):
    """An .xlsx in memory: optional title rows, then `rows` from the header on."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    for row in [*title_rows, *rows]:
        sheet.append(list(row))
    for cell_range in merge:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


STANDARD = [
    ("STT", "Nội dung tiêu chí", "Điểm chuẩn"),
    ("I", "Lãnh đạo, chỉ đạo", 30),
    (1, "Quán triệt nghị quyết", 10),
    (2, "Tham mưu cấp ủy", 20),
    ("a", "Ban hành kế hoạch", 12),
    ("b", "Kiểm tra, đôn đốc", 8),
    ("II", "Phòng cháy", 70),
    (1, "Tuyên truyền", 70),
    ("III", "Điểm thưởng (tối đa 10 điểm)", ""),
    (1, "Mô hình được công nhận", "5 điểm/lần"),
    ("IV", "Điểm trừ", ""),
    (1, "Báo cáo chậm", "trừ 2 điểm/lần, tối đa 6 điểm"),
]


def test_a_standard_table_becomes_a_tree_with_codes():
    parsed = parse_scheme_workbook(workbook_file(STANDARD))

    assert parsed.problems == []
    assert [(n.code, n.level, n.parent_code) for n in parsed.nodes] == [
        ("I", 1, None),
        ("I.1", 2, "I"),
        ("I.2", 2, "I"),
        ("I.2.a", 3, "I.2"),
        ("I.2.b", 3, "I.2"),
        ("II", 1, None),
        ("II.1", 2, "II"),
        ("III", 1, None),
        ("III.1", 2, "III"),
        ("IV", 1, None),
        ("IV.1", 2, "IV"),
    ]
    assert parsed.content_total == "100"
    assert parsed.bonus_cap == "10"
    bonus, deduction = parsed.nodes[8], parsed.nodes[10]
    assert (bonus.kind, bonus.per_occurrence, bonus.max_points) == ("bonus", "5", None)
    assert (deduction.kind, deduction.per_occurrence, deduction.max_points) == (
        "deduction",
        "2",
        "6",
    )


def test_real_world_variations_are_accepted():
    rows = [
        ("STT", "Nội dung", None, "Điểm tối đa", "Ghi chú"),
        ("(1)", "(2)", None, "(3)", "(4)"),
        ("i.", "Lãnh đạo, chỉ đạo", None, "30 điểm", None),
        (None, None, None, None, None),
        (1.0, "Quán triệt nghị quyết của Đảng", None, "10đ", None),
        (None, "và các chỉ thị của Bộ", None, None, None),
        ("2)", "Tham mưu cấp ủy", None, "20,0", None),
        ("ii", "Phòng cháy", None, 70, None),
        ("1", "Tuyên truyền", None, 70, None),
        (None, "Tổng cộng", None, 100, None),
    ]
    title_rows = [("BẢNG TIÊU CHÍ CHẤM ĐIỂM THI ĐUA",), ("Cụm thi đua số 12 - năm 2018",)]

    parsed = parse_scheme_workbook(
        workbook_file(rows, title_rows=title_rows, merge=["A1:E1", "B3:C3", "B5:C5"])
    )

    assert parsed.problems == []
    assert parsed.header_row == 3
    assert [(n.code, n.max_points) for n in parsed.nodes] == [
        ("I", "30"),
        ("I.1", "10"),
        ("I.2", "20.0"),
        ("II", "70"),
        ("II.1", "70"),
    ]
    assert parsed.nodes[1].title == "Quán triệt nghị quyết của Đảng và các chỉ thị của Bộ"


def test_every_problem_is_reported_with_its_row():
    rows = [
        ("STT", "Nội dung", "Điểm"),
        ("I", "Lãnh đạo", 30),
        (1, "Quán triệt", "mười"),
        (2, "Tham mưu", 25),
        ("x1", "Lạ", 5),
        ("II", "Phòng cháy", 70),
        (1, "", 70),
    ]

    parsed = parse_scheme_workbook(workbook_file(rows))

    assert parsed.problems == [
        "Dòng 3: điểm tối đa không phải là số",
        "Dòng 5: “x1” không phải nhóm (I, II…), tiêu chí (1, 2…) hay tiêu chí con (a, b…).",
        "Dòng 7: nội dung trống.",
        "Dòng 2: I có 30 điểm nhưng các tiêu chí con cộng lại 25.",
    ]


def test_a_group_number_read_twice_is_reported_with_its_row():
    rows = [
        ("STT", "Nội dung", "Điểm"),
        ("I", "Lãnh đạo", 10),
        (1, "Quán triệt", 10),
        ("I", "Lãnh đạo lần nữa", 10),
        (1, "Tham mưu", 10),
    ]

    parsed = parse_scheme_workbook(workbook_file(rows))

    assert parsed.problems[0] == "Dòng 4: số thứ tự I bị trùng."
    assert [n.code for n in parsed.nodes].count("I") == 1  # the second row I is left out


def test_children_exceeding_their_parent_are_refused():
    rows = [("STT", "Nội dung", "Điểm"), ("I", "Nhóm", 10), (1, "A", 8), (2, "B", 8)]
    parsed = parse_scheme_workbook(workbook_file(rows))
    assert parsed.problems == ["Dòng 2: I có 10 điểm nhưng các tiêu chí con cộng lại 16."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng."),
        (b"STT;Noi dung;Diem\nI;A;10\n", "Tệp không phải bảng tính Excel (.xlsx)."),
        (b"%PDF-1.4 not a workbook", "Tệp không phải bảng tính Excel (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "Tệp có mật khẩu hoặc ở định dạng"),
        (b"PK\x03\x04truncated", "Tệp không phải bảng tính Excel (.xlsx)."),
    ],
)
def test_files_that_are_not_usable_workbooks_are_refused(content, message):
    with pytest.raises(WorkbookError) as error:
        parse_scheme_workbook(SimpleUploadedFile("bang.xlsx", content))
    assert error.value.message.startswith(message)


def test_a_workbook_without_a_scheme_table_is_refused():
    foreign = workbook_file([("Họ tên", "Ngày sinh"), ("Nguyễn Văn A", "1980-01-01")])
    with pytest.raises(WorkbookError) as error:
        parse_scheme_workbook(foreign)
    assert "Không tìm thấy bảng tiêu chí" in error.value.message


def test_a_far_too_large_file_is_refused():
    huge = SimpleUploadedFile("bang.xlsx", b"PK\x03\x04" + b"0" * (6 * 1024 * 1024))
    with pytest.raises(WorkbookError) as error:
        parse_scheme_workbook(huge)
    assert "lớn hơn 5 MB" in error.value.message


def test_apply_import_replaces_a_draft_scheme_and_takes_its_scale():
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT)
    user = UserFactory()
    parsed = parse_scheme_workbook(workbook_file(STANDARD))

    count = schemes.apply_import(compact=compact, user=user, parsed=parsed)

    compact.refresh_from_db()
    assert count == 11
    assert (compact.content_max, compact.bonus_cap) == (D(100), D(10))
    assert selectors.scheme_problems(compact) == []
    assert Criterion.objects.get(compact=compact, code="I.2.a").parent.code == "I.2"
    assert CompactEvent.objects.get(compact=compact, kind="import").user == user


def test_import_is_refused_outside_draft_or_with_scores():
    user = UserFactory()
    parsed = parse_scheme_workbook(workbook_file(STANDARD))
    signing, _units, _cr = build_compact(status=Compact.Status.SIGNING)
    with pytest.raises(ServiceError):
        schemes.apply_import(compact=signing, user=user, parsed=parsed)
    scored, units, cr = build_compact(status=Compact.Status.DRAFT)
    score(scored, units[0], cr["G1.1"], 1)
    with pytest.raises(ServiceError):
        schemes.apply_import(compact=scored, user=user, parsed=parsed)
    assert Criterion.objects.filter(compact=scored, code="G1.1").exists()


def test_the_import_page_previews_then_writes_on_confirmation(client):
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    url = reverse("scoring:scheme_import", args=[compact.pk])

    preview = client.post(url, {"file": workbook_file(STANDARD)})
    assert "Thay bảng tiêu chí bằng 11 tiêu chí này" in preview.content.decode()
    assert Criterion.objects.filter(compact=compact, code="G1").exists()  # nothing written yet

    client.post(url, {"confirm": "1"})
    assert sorted(Criterion.objects.filter(compact=compact).values_list("code", flat=True))[:3] == [
        "I",
        "I.1",
        "I.2",
    ]


def test_the_import_page_shows_problems_and_offers_no_confirmation(client):
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    url = reverse("scoring:scheme_import", args=[compact.pk])
    bad = [("STT", "Nội dung", "Điểm"), ("I", "Nhóm", 10), (1, "A", "mười")]

    content = client.post(url, {"file": workbook_file(bad)}).content.decode()
    assert "Dòng 3: điểm tối đa không phải là số" in content
    assert 'name="confirm"' not in content
    client.post(url, {"confirm": "1"})
    assert Criterion.objects.filter(compact=compact, code="G1").exists()


def write_scheme(tmp_path, rows):
    path = tmp_path / "bang-tieu-chi.xlsx"
    path.write_bytes(workbook_file(rows).read())
    return path


def test_import_scheme_dry_run_prints_the_json_summary_without_a_cluster(tmp_path, capsys):
    path = write_scheme(tmp_path, STANDARD)

    call_command("import_scheme", str(path), "--dry-run", "--format", "json")

    assert json.loads(capsys.readouterr().out) == {
        "groups": [
            {"code": "I", "title": "Lãnh đạo, chỉ đạo", "maximum": 30},
            {"code": "II", "title": "Phòng cháy", "maximum": 70},
        ],
        "content_total": 100,
        "leaf_count": 4,
        "leaf_total": 100,
        "max_depth": 3,
        "bonus_cap": 10,
        "bonus_items": 1,
        "deduction_items": 1,
        "problems": [],
    }
    assert not Criterion.objects.exists()


def test_import_scheme_reports_every_problem_with_its_row_and_fails(tmp_path, capsys):
    bad = [("STT", "Nội dung", "Điểm"), ("I", "Nhóm", 10), (1, "A", "mười"), ("", "", 5)]
    path = write_scheme(tmp_path, bad)

    with pytest.raises(CommandError) as refused:
        call_command("import_scheme", str(path), "--dry-run", "--format", "json")

    assert json.loads(capsys.readouterr().out)["problems"] == [
        {"row": 3, "message": "Dòng 3: điểm tối đa không phải là số"},
        {"row": 4, "message": "Dòng 4: thiếu số thứ tự (STT)."},
    ]
    assert str(refused.value) == "Có 2 lỗi; chưa nhập gì."


def test_import_scheme_replaces_the_draft_scheme_like_the_web_import(tmp_path, capsys):
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT, year=2019)
    path = write_scheme(tmp_path, STANDARD)
    number = compact.cluster.number

    call_command("import_scheme", str(path), "--cluster", str(number), "--year", "2019")

    assert "Đã nhập 11 tiêu chí." in capsys.readouterr().out
    compact.refresh_from_db()
    assert (compact.content_max, compact.bonus_cap) == (D(100), D(10))
    assert list(
        Criterion.objects.filter(compact=compact)
        .order_by("position")
        .values_list("code", flat=True)
    ) == ["I", "I.1", "I.2", "I.2.a", "I.2.b", "II", "II.1", "III", "III.1", "IV", "IV.1"]
    event = CompactEvent.objects.get(compact=compact, kind="import")
    assert event.summary == "Nhập 11 tiêu chí từ trang “Tiêu chí”"


def test_import_scheme_writes_nothing_outside_a_draft_or_without_a_cluster(tmp_path):
    compact, _units, _cr = build_compact(status=Compact.Status.SIGNING, year=2019)
    path = write_scheme(tmp_path, STANDARD)
    before = list(Criterion.objects.filter(compact=compact).values_list("id", "code"))
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_scheme", str(path), "--cluster", str(compact.cluster.number), "--year", "2019"
        )
    assert "dự thảo" in str(refused.value)
    with pytest.raises(CommandError) as refused:
        call_command("import_scheme", str(path))
    assert str(refused.value) == "Cần --cluster và --year, hoặc --dry-run để chỉ đọc tệp."
    with pytest.raises(CommandError):
        call_command("import_scheme", str(path), "--cluster", "99", "--year", "2019", "--dry-run")
    assert list(Criterion.objects.filter(compact=compact).values_list("id", "code")) == before


def test_import_scheme_refusals_before_any_write(tmp_path, capsys):
    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT, year=2019)
    number = str(compact.cluster.number)
    path = write_scheme(tmp_path, STANDARD)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    before = list(Criterion.objects.filter(compact=compact).values_list("id", "code"))

    def refused(*args):
        with pytest.raises(CommandError) as error:
            call_command("import_scheme", *args)
        return str(error.value)

    missing = tmp_path / "none.xlsx"
    assert refused(str(missing), "--dry-run") == f"Không có tệp {missing}."
    message = refused(str(junk), "--dry-run", "--format", "json")
    assert "không phải bảng tính Excel" in message
    assert json.loads(capsys.readouterr().out) == {"problems": [{"row": None, "message": message}]}
    user = ("--user", "nobody")
    assert refused(str(path), "--cluster", number, "--year", "2019", *user) == (
        "Không có người dùng nobody."
    )
    # A dry run against a real draft checks the cluster and year, and writes nothing either.
    call_command("import_scheme", str(path), "--cluster", number, "--year", "2019", "--dry-run")
    assert list(Criterion.objects.filter(compact=compact).values_list("id", "code")) == before
