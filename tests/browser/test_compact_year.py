"""As the secretariat runs a new year in Chromium: create 2018 from 2017, edit the scheme
and see the checks, import a scheme from Excel, record the eight signatures, open scoring."""

import datetime
import io
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from scoring.models import Compact, CompactEvent, Signature
from units.models import Membership

pytestmark = pytest.mark.browser

SCHEME_ROWS = [
    ("STT", "Nội dung tiêu chí", "Điểm chuẩn"),
    ("I", "Lãnh đạo, chỉ đạo, tham mưu", 40),
    (1, "Quán triệt các chỉ thị về PCCC và CNCH", 20),
    (2, "Tham mưu cấp ủy, chính quyền", 20),
    ("II", "Phòng cháy, chữa cháy và CNCH", 60),
    (1, "Tuyên truyền, kiểm tra an toàn PCCC", "30 điểm"),
    (2, "Thường trực sẵn sàng chiến đấu", "30 điểm"),
    ("III", "Điểm thưởng (tối đa 10 điểm)", None),
    (1, "Mô hình được Bộ công nhận", "+5 điểm/lần"),
    ("IV", "Điểm trừ", None),
    (1, "Báo cáo chậm", "trừ 2 điểm/lần"),
]


def scheme_file(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["BẢNG TIÊU CHÍ THI ĐUA NĂM 2018"])
    sheet.append([])
    for row in SCHEME_ROWS:
        sheet.append(list(row))
    path = tmp_path / "tieu-chi-2018.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_secretariat_runs_a_new_year(sign_in, page, demo_server, tmp_path):
    # The demo's 2018 is removed so that 2018 can be created from 2017, as at the conference.
    Compact.objects.get(year=2018).delete()
    Membership.objects.filter(year=2018).delete()

    sign_in("thuky")
    page.get_by_role("link", name="Bắt đầu năm mới của Cụm thi đua số 12").click()
    expect(page.get_by_label("Năm")).to_have_value("2018")
    expect(page.get_by_text("Cụm trưởng, cụm phó các năm trước")).to_be_visible()
    page.get_by_label("Cụm trưởng").select_option(label="PC07 Khánh Hòa")
    page.get_by_label("Cụm phó").select_option(label="PC07 Nghệ An")
    page.get_by_role("button", name="Tạo giao ước").click()
    expect(page.get_by_text("Đã tạo giao ước năm 2018 (dự thảo).")).to_be_visible()
    compact = Compact.objects.get(year=2018)
    assert Membership.objects.filter(year=2018).count() == 8

    # Change one criterion's maximum: the checks say what no longer adds up.
    page.get_by_role("link", name="Bảng tiêu chí chấm điểm").click()
    page.locator("#c" + str(compact.criteria.get(code="I.1").pk)).get_by_role(
        "link", name="sửa"
    ).click()
    page.get_by_label("Điểm tối đa").fill("45")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator("[data-problems]")).to_contain_text(
        "I: tổng điểm các tiêu chí con là 155, không phải 150."
    )

    # Starting the signing is refused while the scheme does not add up.
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/")
    page.get_by_role("button", name="Bắt đầu ký kết (chốt bảng tiêu chí)").click()
    expect(page.get_by_text("Bảng tiêu chí chưa khớp điểm:").first).to_be_visible()

    # Import this year's table from Excel instead: preview, then confirm.
    page.get_by_role("link", name="Bảng tiêu chí chấm điểm").click()
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(scheme_file(tmp_path))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    expect(page.get_by_text("tiêu đề ở dòng 3")).to_be_visible()
    page.get_by_role("button", name=re.compile("Thay bảng tiêu chí bằng 10 tiêu chí")).click()
    expect(page.get_by_text("Đã nhập 10 tiêu chí.")).to_be_visible()
    expect(page.locator("[data-problems]")).to_contain_text("Bảng tiêu chí khớp điểm")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/")
    page.get_by_role("button", name="Bắt đầu ký kết (chốt bảng tiêu chí)").click()
    expect(page.locator("[data-status]")).to_have_text("đang ký kết")

    # Record the signatures; opening scoring with one missing is refused.
    page.get_by_role("link", name="Ký kết").first.click()
    members = list(Membership.objects.filter(year=2018).select_related("unit"))
    for index, membership in enumerate(members):
        if index == len(members) - 1:
            page.goto(f"{demo_server.url}/compacts/{compact.pk}/")
            page.get_by_role("button", name="Có hiệu lực và mở chấm điểm").click()
            refusal = page.get_by_role("alert").filter(has_text="1 đơn vị chưa ký")
            expect(refusal).to_contain_text("Hãy ghi nhận chữ ký, hoặc vẫn mở chấm điểm kèm lý do")
            page.get_by_role("link", name="Ký kết").first.click()
        page.get_by_label("Đơn vị").select_option(value=str(membership.unit_id))
        page.get_by_label("Người đại diện").fill(f"Đại tá Nguyễn Văn {index + 1}")
        page.get_by_label("Chức vụ").fill("Trưởng phòng")
        page.get_by_label("Ngày ký").fill("09/03/2018")
        page.get_by_role("button", name="Ghi nhận chữ ký").click()
        name_2018 = membership.unit.names_on(datetime.date(2018, 12, 31))[1]
        expect(page.get_by_text(f"Đã ghi nhận chữ ký của {name_2018}.")).to_be_visible()
    expect(page.get_by_text("8/8 đơn vị đã ký")).to_be_visible()
    page.screenshot(path="test-results/signing.png", full_page=True)

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/")
    page.get_by_role("button", name="Có hiệu lực và mở chấm điểm").click()
    expect(page.locator("[data-status]")).to_have_text("đang thực hiện (mở chấm điểm)")
    page.screenshot(path="test-results/compact-in-force.png", full_page=True)

    # The audit trail has every step: the import, the signatures, the status changes.
    page.get_by_role("link", name="Nhật ký thay đổi").click()
    page.get_by_label("Xem").select_option(label="Chữ ký giao ước")
    expect(page.locator("table.audit-table tbody tr")).to_have_count(8)
    page.get_by_label("Xem").select_option(label="Giao ước thi đua")
    changes = page.locator("table.audit-table tbody tr").filter(has_text="trạng thái")
    expect(changes.filter(has_text="→")).to_have_count(2)  # draft → signing → in force
    expect(changes.filter(has_text="đang thực hiện (mở chấm điểm)")).to_have_count(1)
    page.get_by_label("Xem").select_option(label="Tiêu chí")
    expect(page.locator("table.audit-table tbody tr").filter(has_text="tạo")).not_to_have_count(0)

    assert Signature.objects.filter(compact=compact).count() == 8
    assert list(
        CompactEvent.objects.filter(compact=compact, kind="transition")
        .order_by("at", "id")
        .values_list("to_status", flat=True)
    ) == ["signing", "in_force"]
