"""The score sheet on a phone (390 px): the guidance strip never covers the sheet's rows or
totals, and the toolbar, the sheet and the strip fit on the screen together."""

import pytest
from playwright.sync_api import expect

from scoring.models import Compact
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def test_guidance_strip_leaves_the_last_rows_and_totals_visible_on_a_phone(browser, demo_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("thuky")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    compact = Compact.objects.get(year=2018)
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    page.locator("input.cell-input").first.focus()  # the strip shows this criterion
    guidance = page.locator("[data-guidance]")
    expect(guidance.locator("strong")).to_be_visible()

    wrap = page.locator(".sheet-wrap")
    at_top = (wrap.bounding_box(), guidance.bounding_box())
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(100)
    toolbar, sheet, strip = (
        page.locator(".sheet-toolbar").bounding_box(),
        wrap.bounding_box(),
        guidance.bounding_box(),
    )
    total = page.locator("tfoot tr").last.bounding_box()
    page.screenshot(path="test-results/sheet-390-bottom.png")
    context.close()

    assert at_top[1]["y"] >= at_top[0]["y"] + at_top[0]["height"]  # below the sheet, not on it
    assert toolbar["y"] + toolbar["height"] <= sheet["y"] + 1
    assert sheet["y"] + sheet["height"] <= strip["y"]
    assert strip["y"] + strip["height"] <= 844
    assert total["y"] + total["height"] <= strip["y"]
