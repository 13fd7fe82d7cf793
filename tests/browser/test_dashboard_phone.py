"""The ranking, the dashboard charts and the clusters overview on a laptop and on a phone,
final (2017) and provisional (2018, half-way through verification): issue 13, items 4, 12."""

import re

import pytest
from playwright.sync_api import expect

from scoring.models import Compact
from tests.demo_progress import verify_2018_partly

pytestmark = pytest.mark.browser

VIEWPORTS = {"laptop": (1366, 768), "phone": (390, 844)}
SCREENSHOTS = "/tmp"

# Each visible chart's texts with their rendered size: the computed font size (in the SVG's
# user units) times the scale at which the SVG is drawn (its width on screen / viewBox).
CHART_TEXTS = """() => [...document.querySelectorAll('svg.chart')]
  .filter(svg => svg.getBoundingClientRect().width > 0)
  .flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => ({
      text: t.textContent,
      px: parseFloat(getComputedStyle(t).fontSize) * scale,
      right: t.getBoundingClientRect().right,
    }));
  })"""

# Rank, unit and the figure ranked on (total points, or the percentage when the compact ranks
# by percentage: the other figure is secondary and hidden on a phone) of every row, by the
# columns' headings: where they are on screen.
ROW_BOXES = """() => {
  const table = document.querySelector('table.ranking-table');
  const ths = [...table.querySelectorAll('thead th')];
  const heads = ths.map(th => th.textContent.trim());
  const ranked = ths.findIndex(th => ['Tổng điểm', 'Tỷ lệ (%)'].includes(th.textContent.trim())
                                     && !th.classList.contains('col-secondary'));
  const columns = {rank: heads.indexOf('Hạng'), unit: heads.indexOf('Đơn vị'), total: ranked};
  return [...table.querySelectorAll('tbody tr')].map(tr => {
    const cells = tr.querySelectorAll('td');
    const box = name => { const r = cells[columns[name]].getBoundingClientRect();
                          return {left: r.left, right: r.right, width: r.width}; };
    return {rank: box('rank'), unit: box('unit'), total: box('total'), text: tr.innerText};
  });
}"""


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_readable_without_sideways_scrolling(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for row in page.evaluate(ROW_BOXES):
        for name in ("rank", "unit", "total"):
            box = row[name]
            assert box["width"] > 0, (name, row["text"])
            assert box["left"] >= 0 and box["right"] <= width, (name, box, row["text"])
    texts = page.evaluate(CHART_TEXTS)
    assert texts, "no visible chart"
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 11]
    assert not small, small
    assert all(t["right"] <= width for t in texts), texts


def test_final_ranking_is_readable(sign_in, page, demo_server, viewport):
    compact = Compact.objects.get(year=2017)
    sign_in("lanhdao")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/dashboard/")

    expect(page.get_by_text("Chính thức", exact=True)).to_be_visible()
    expect(page.locator(".provisional-notice")).to_have_count(0)
    rows = page.locator("table.ranking-table tbody tr")
    expect(rows).to_have_count(8)
    expect(rows.first.locator("td").first).to_have_text("1")
    expect(page.get_by_role("img", name="Tổng điểm theo đơn vị")).to_have_count(1)
    assert_readable_without_sideways_scrolling(page)
    page.screenshot(path=f"{SCREENSHOTS}/h3-dashboard-2017-{viewport}.png", full_page=True)


def test_provisional_ranking_shows_completeness_and_no_band_for_incomplete_units(
    sign_in, page, demo_server, viewport
):
    compact = verify_2018_partly()
    sign_in("lanhdao")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/dashboard/")

    expect(page.locator(".provisional-notice")).to_contain_text(
        "Xếp hạng tạm thời: 1/8 đơn vị đã thẩm định xong, 13 % điểm đã thẩm định."
    )
    rows = page.locator("table.ranking-table tbody tr")
    expect(rows).to_have_count(8)
    first = rows.first
    expect(first.locator("td.rank")).to_have_text("1")
    expect(first.locator("td.unit")).to_contain_text("PC07 Khánh Hòa")
    nghean = rows.filter(has_text="PC07 Nghệ An")
    expect(nghean.locator("td.rank")).to_have_text("—")
    expect(nghean.locator(".completeness")).to_have_text("đang thẩm định: 1/23 tiêu chí")
    expect(nghean.locator(".completeness")).to_be_visible()
    incomplete = page.locator("table.ranking-table tbody tr.row-incomplete")
    expect(incomplete).to_have_count(7)
    for index in range(7):
        row = incomplete.nth(index)
        expect(row.locator("td.band")).to_have_text("")
        assert "Chưa đạt" not in row.inner_text()
        assert "▼" not in row.inner_text() and "▲" not in row.inner_text()
    expect(page.get_by_text("quyết định khi bỏ phiếu")).to_have_count(0)
    # 2018 ranks by percentage of the applicable maximum: the chart draws the percentages.
    chart = page.get_by_role("img", name="Tỷ lệ % trên điểm tối đa áp dụng của từng đơn vị")
    expect(chart.locator("rect")).to_have_count(1)
    expect(chart.locator("text.value")).to_have_text(re.compile(r"^[0-9]{1,3}(,[0-9]+)?%$"))
    assert_readable_without_sideways_scrolling(page)
    page.screenshot(path=f"{SCREENSHOTS}/h3-dashboard-2018-{viewport}.png", full_page=True)


def test_overview_opens_the_latest_year_with_results(sign_in, page, demo_server, viewport):
    verify_2018_partly()
    sign_in("lanhdao")

    page.goto(f"{demo_server.url}/dashboard/")

    expect(page.get_by_role("heading", name="Đơn vị dẫn đầu năm 2018")).to_be_visible()
    expect(page.locator(".provisional-notice")).to_have_text(
        "Xếp hạng tạm thời: 1/8 đơn vị đã thẩm định xong, 13 % điểm đã thẩm định."
    )
    expect(page.locator("ol li")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=f"{SCREENSHOTS}/h3-overview-2018-{viewport}.png", full_page=True)


def test_unit_report_trend_chart_is_readable(sign_in, page, demo_server, viewport):
    compact = verify_2018_partly()  # Khánh Hòa: 2017 and 2018 on the trend chart
    unit = compact.cluster.memberships.get(year=2018, unit__code="pccc-khanhhoa").unit
    sign_in("lanhdao")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/units/{unit.pk}/report/")

    expect(page.locator(".provisional-notice")).to_contain_text("thứ hạng 1 là tạm thời")
    texts = page.evaluate(CHART_TEXTS)
    assert len(texts) > 4
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < 11]
    assert not small, small
    box = page.locator("svg.chart").bounding_box()
    assert all(box["x"] <= t["right"] <= box["x"] + box["width"] + 1 for t in texts), texts
    page.locator("svg.chart").screenshot(path=f"{SCREENSHOTS}/h3-trend-2018-{viewport}.png")
