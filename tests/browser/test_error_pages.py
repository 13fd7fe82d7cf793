"""Refusals in Chromium: a styled page in Vietnamese, and the ways back work."""

import pytest
from playwright.sync_api import expect

from scoring.models import Compact
from units.models import Unit

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (390, 844)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_leader_refused_finds_the_way_back(sign_in, page, demo_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    compact = Compact.objects.get(year=2018)
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")
    sign_in("lanhdao")
    unit_page = f"{demo_server.url}/compacts/{compact.pk}/units/{thanhhoa.pk}/"
    page.goto(unit_page)

    response = page.goto(f"{unit_page}accept/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="Không có quyền thực hiện")).to_be_visible()
    expect(page.get_by_text("Lỗi 403")).to_be_visible()
    page.screenshot(path=f"/tmp/h4-403-{width}.png")
    page.get_by_role("button", name="Quay lại trang trước").click()
    expect(page).to_have_url(unit_page)

    response = page.goto(f"{demo_server.url}/compacts/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    page.screenshot(path=f"/tmp/h4-404-{width}.png")
    page.get_by_role("link", name="Về trang chủ").click()
    expect(page).to_have_url(f"{demo_server.url}/")
