"""A deep scheme as a secretariat typed it, imported in Chromium: the preview and the scheme
editor show the codes as typed, one step of indentation per level, and groups collapse."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from scoring.models import Compact, Score
from tests.scoring import scheme_shapes

pytestmark = pytest.mark.browser


def padding(page, title):
    cell = page.locator("tr", has_text=title).locator(".c-title").first
    return float(cell.evaluate("(el) => getComputedStyle(el).paddingLeft").removesuffix("px"))


def test_a_seven_level_scheme_imports_and_reads_as_a_tree(sign_in, page, demo_server, tmp_path):
    compact = Compact.objects.get(year=2018)
    Score.objects.filter(compact=compact).delete()
    Compact.objects.filter(pk=compact.pk).update(status=Compact.Status.DRAFT)
    path = tmp_path / "bang-tieu-chi.xlsx"
    path.write_bytes(scheme_shapes.seven_levels())

    sign_in("thuky")
    page.goto(demo_server.url + reverse("scoring:scheme_import", args=[compact.pk]))
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Đọc tệp và xem trước").click()
    preview = page.locator("tr", has_text="Thôn, bản")
    expect(preview.locator("td").nth(1)).to_have_text("+")
    page.get_by_role("button", name="Thay bảng tiêu chí bằng 19 tiêu chí này").click()
    expect(page.get_by_text("Đã nhập 19 tiêu chí.")).to_be_visible()
    expect(page.locator("[data-problems]")).to_contain_text("Bảng tiêu chí khớp điểm")

    deepest = page.locator("tr", has_text="Thôn, bản")
    expect(deepest.locator(".c-code")).to_have_text("+")
    expect(deepest.locator(".c-code")).to_have_attribute("title", "Phần I.1.1.1.a.1.1")
    steps = [
        padding(page, title)
        for title in ["Công tác phòng ngừa", "Tuyên truyền trực tiếp", "Nông thôn", "Thôn, bản"]
    ]
    assert steps == sorted(steps) and len(set(steps)) == 4, steps
    page.set_viewport_size({"width": 1366, "height": 768})
    page.screenshot(path="/tmp/h12-scheme-1366.png", full_page=True)

    page.get_by_role("button", name="Thu gọn hoặc mở rộng Phần I.1.1.1", exact=True).click()
    expect(deepest).to_be_hidden()
    expect(page.locator("tr", has_text="Tuyên truyền gián tiếp")).to_be_visible()
    page.get_by_role("button", name="Thu gọn hoặc mở rộng Phần I", exact=True).click()
    expect(page.locator("tr", has_text="Tuyên truyền gián tiếp")).to_be_hidden()
    expect(page.locator("tr", has_text="Học tập chính trị")).to_be_visible()
    page.get_by_role("button", name="Thu gọn hoặc mở rộng Phần I", exact=True).click()
    expect(page.locator("tr", has_text="Tuyên truyền gián tiếp")).to_be_visible()
    expect(deepest).to_be_hidden()  # its own group is still collapsed
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/h12-scheme-390.png", full_page=True)

    Compact.objects.filter(pk=compact.pk).update(status=Compact.Status.IN_FORCE)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(demo_server.url + reverse("scoring:sheet", args=[compact.pk]))
    sheet_row = page.locator("tr.leaf", has_text="Thôn, bản")
    expect(sheet_row.locator(".c-code")).to_have_text("+")
    assert padding(page, "Thôn, bản") > padding(page, "Tuyên truyền trực tiếp")
    page.screenshot(path="/tmp/h12-sheet-1366.png")
