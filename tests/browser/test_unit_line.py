"""A unit's line in Chromium: the leader follows Bình Định from the 2017 ranking to Gia Lai,
which absorbed it in 2025, and finds Bình Định's 2017 result in Gia Lai's line."""

import pytest
from playwright.sync_api import expect

from scoring.models import FinalResult
from scoring.templatetags.points import points
from units.models import Unit

pytestmark = pytest.mark.browser
DIVISION = "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh"
SIZES = {"wide": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def test_leader_finds_bình_định_2017_result_in_gia_lais_line(sign_in, page, demo_server):
    final = FinalResult.objects.get(compact__year=2017, unit__code="pccc-binhdinh")
    sign_in("lanhdao")

    page.get_by_role("link", name="Xếp hạng").last.click()
    page.get_by_role("link", name="PCCC Bình Định").click()
    page.locator("#unit-line-link").click()
    expect(page.get_by_role("heading", name=f"{DIVISION} Bình Định")).to_be_visible()
    page.locator("#line-successors").get_by_role("link", name="Công an tỉnh Gia Lai").click()

    expect(page.get_by_role("heading", name=f"{DIVISION} Gia Lai")).to_be_visible()
    expect(page.locator("#line-predecessors")).to_contain_text("NQ 202/2025/QH15")
    row = page.locator("#line-results tbody tr").filter(has_text="2017")
    expect(row).to_contain_text("Cảnh sát PCCC tỉnh Bình Định")
    expect(row).to_contain_text(points(final.total))
    expect(row.locator("td").nth(4)).to_have_text(str(final.rank))
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=f"test-results/unit-line-{size}.png", full_page=True)


def test_administrator_opens_the_merger_form_from_the_units_list(sign_in, page, demo_server):
    quangninh = Unit.objects.get(code="pccc-quangninh")
    sign_in("admin")

    page.goto(f"{demo_server.url}/admin/units/unit/")
    page.locator(f'input[name="_selected_action"][value="{quangninh.pk}"]').check()
    page.locator('select[name="action"]').select_option("record_merger")
    page.locator('button[name="index"]').click()

    expect(page.get_by_role("heading", name="Ghi nhận sáp nhập đơn vị")).to_be_visible()
    expect(page.locator("#id_absorbed")).to_have_values([str(quangninh.pk)])
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.screenshot(path=f"test-results/merger-form-{size}.png", full_page=True)
