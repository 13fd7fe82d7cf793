"""axe-core (from npm, pinned) over the pages people use every day, at desktop and phone sizes.

Serious and critical violations fail the test with the rule, its help text and the offending
elements, so a failure says what to fix.
"""

from pathlib import Path

import pytest

from scoring.models import Compact
from tests.browser.conftest import DEMO_PASSWORD
from units.models import Unit

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def _page_path(name):
    year_2017 = Compact.objects.get(year=2017)
    year_2018 = Compact.objects.get(year=2018)
    return {
        "sheet": ("thuky", f"/compacts/{year_2018.pk}/sheet/"),
        "self": ("pccc_nghean", f"/compacts/{year_2018.pk}/self/"),
        "dashboard": ("lanhdao", "/dashboard/"),
        "ranking_final": ("lanhdao", f"/compacts/{year_2017.pk}/dashboard/"),
        "ranking_provisional": ("lanhdao", f"/compacts/{year_2018.pk}/dashboard/"),
        "scheme": ("thuky", f"/compacts/{year_2018.pk}/scheme/"),
        "targets": ("thuky", f"/compacts/{year_2018.pk}/targets/"),
        "compact": ("thuky", f"/compacts/{year_2018.pk}/"),
        "unit": ("thuky", f"/compacts/{year_2018.pk}/units/{_nghean().pk}/"),
    }[name]


def _nghean():
    return Unit.objects.get(code="pccc-nghean")


def _serious_violations(page):
    # The page's CSP allows only its own scripts; the context bypasses it to add axe.
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.slice(0, 5).map(n => {
                            const d = (n.any[0] || {}).data || {};
                            const colours = d.contrastRatio
                              ? ` (${d.fgColor} on ${d.bgColor}: ${d.contrastRatio})` : "";
                            return n.target.join(" ") + colours;
                          })}));
        }"""
    )
    return result


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize(
    "name",
    [
        "sheet",
        "self",
        "unit",
        "dashboard",
        "ranking_final",
        "ranking_provisional",
        "scheme",
        "targets",
        "compact",
    ],
)
def test_page_has_no_serious_accessibility_violations(browser, demo_server, name, viewport):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci`")
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        locale="vi-VN", viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        username, path = _page_path(name)
        page.goto(f"{demo_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        response = page.goto(f"{demo_server.url}{path}")
        assert response.status == 200, f"{path} as {username}: {response.status}"

        violations = _serious_violations(page)

        assert violations == [], "\n".join(
            f"{v['impact']} {v['id']}: {v['help']} — {', '.join(v['nodes'])}" for v in violations
        )
    finally:
        context.close()


def test_sheet_subtotals_and_totals_name_their_unit(browser, demo_server):
    """The sheet is cut into tables (a header's, one per top-level criterion, the totals'): each
    subtotal and total still has a column header, in its own table, that names its unit, as
    axe-core associates headers with cells (a score input carries its own label)."""
    context = browser.new_context(
        locale="vi-VN", viewport={"width": 1366, "height": 768}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        username, path = _page_path("sheet")
        page.goto(f"{demo_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        page.goto(f"{demo_server.url}{path}")
        page.add_script_tag(path=str(AXE))

        checked, unnamed = page.evaluate(
            """() => {
                axe.setup(document);
                const {table, text} = axe.commons;
                const names = new Map(Array.from(
                  document.querySelectorAll(".sheet-head th.c-unit"),
                  (th) => [th.querySelector("a").getAttribute("href").split("/").at(-2),
                           th.querySelector("a").textContent.trim()]));
                const cells = document.querySelectorAll(
                  ".sheet-part td.sub, .sheet-foot td[data-total]");
                const unnamed = [];
                for (const cell of cells) {
                  const unit = cell.dataset.unit || cell.dataset.sub.split("-")[0];
                  const headers = table.getHeaders(cell)
                    .filter((th) => table.isColumnHeader(th))
                    .map((th) => text.accessibleText(th).trim());
                  if (!headers.includes(names.get(unit)))
                    unnamed.push(`${cell.dataset.sub || cell.dataset.total}: ${headers}`);
                }
                axe.teardown();
                return [cells.length, unnamed];
            }"""
        )

        assert checked > 8 * 6  # every unit's subtotals and its six totals
        assert unnamed == []
    finally:
        context.close()
