"""A criterion compared within the cluster, in Chromium: the secretariat types actual results
on the sheet; while a cell is edited its points say "…"; once saved, every unit's points on
that criterion follow, and so do the totals."""

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, Target
from units.models import Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser):
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.param
    yield page
    context.close()


def cell(page, unit, criterion):
    return page.locator(f'td.cell[data-unit="{unit.pk}"]').filter(
        has=page.locator(f'input[name="v-{unit.pk}-{criterion.pk}"]')
    )


def test_secretariat_enters_actuals_and_every_units_points_follow(sized_page, demo_server):
    page = sized_page
    compact = Compact.objects.get(year=2018)
    models = Criterion.objects.get(compact=compact, code="II.2")
    nghean = Unit.objects.get(code="pccc-nghean")
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    Target.objects.filter(compact=compact, criterion=models, unit=nghean).update(value=100)
    Target.objects.filter(compact=compact, criterion=models, unit=binhdinh).update(value=100)
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("thuky")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    row = page.locator(f'tr[data-crit="{models.pk}"]')
    expect(row.locator(".c-max")).to_contain_text("so sánh trong cụm")

    # Nghệ An, 120 of 100: alone above its target, it leads with the full 60.
    nghean_input = page.locator(f'input[name="v-{nghean.pk}-{models.pk}"]')
    nghean_input.fill("120")
    expect(cell(page, nghean, models).locator("[data-pts]")).to_have_text("…")
    page.locator("[data-save]").click()
    expect(page.get_by_text("Đã lưu 1 ô điểm.")).to_be_visible()
    expect(cell(page, nghean, models).locator("[data-pts]")).to_have_text("60")

    # Bình Định, 150 of 100, now leads: Nghệ An falls to 30 + 30 × 0,2 / 0,5 = 42.
    page.locator(f'input[name="v-{binhdinh.pk}-{models.pk}"]').fill("150")
    expect(cell(page, binhdinh, models).locator("[data-pts]")).to_have_text("…")
    page.screenshot(path=f"test-results/relative-editing-{page.viewport_name}.png")
    page.locator("[data-save]").click()
    expect(page.get_by_text("Đã lưu 1 ô điểm.")).to_be_visible()
    expect(cell(page, binhdinh, models).locator("[data-pts]")).to_have_text("60")
    expect(cell(page, nghean, models).locator("[data-pts]")).to_have_text("42")
    expect(page.locator(f'[data-total="total"][data-unit="{nghean.pk}"]')).to_have_text("42")
    expect(page.locator(f'[data-total="total"][data-unit="{binhdinh.pk}"]')).to_have_text("60")
    row.scroll_into_view_if_needed()
    page.screenshot(path=f"test-results/relative-saved-{page.viewport_name}.png")
