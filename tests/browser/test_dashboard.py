"""The leaders' dashboard in Chromium."""

import pytest
from playwright.sync_api import expect

from scoring import selectors
from scoring.models import Compact

pytestmark = pytest.mark.browser


def test_leader_reads_the_2017_ranking_and_its_charts(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2017)
    first = selectors.standings_for(compact).rows[0]
    sign_in("lanhdao")

    page.get_by_role("link", name="Xếp hạng").last.click()

    expect(page.get_by_role("heading", name="Xếp hạng Cụm thi đua số 12 năm 2017")).to_be_visible()
    expect(page.get_by_text("Chính thức", exact=True)).to_be_visible()
    table = page.locator("table.ranking-table")
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(table.locator("tbody tr").first).to_contain_text(first.short_name)
    chart = page.get_by_role("img", name="Tổng điểm theo đơn vị, từ cao xuống thấp")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(8)
    assert chart.bounding_box()["width"] > 300
    expect(page.locator("table.heatmap td.heat")).to_have_count(8 * 5)
    page.screenshot(path="test-results/dashboard-2017.png", full_page=True)

    page.get_by_role("link", name=first.short_name).click()
    expect(page.get_by_text("Điểm theo tiêu chí")).to_be_visible()


def test_leader_is_refused_the_editing_pages(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    sign_in("lanhdao")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    expect(page.get_by_text("Chỉ xem")).to_be_visible()
    expect(page.get_by_role("button", name="Lưu")).to_have_count(0)
    assert page.goto(f"{demo_server.url}/compacts/{compact.pk}/self/").status == 404
    # With a valid CSRF token, so that the 403 is the permission check's, not CSRF's.
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"{demo_server.url}/compacts/{compact.pk}/sheet/",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert response.status == 403
    assert "CSRF" not in response.text()
