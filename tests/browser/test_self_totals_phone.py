"""The self-assessment page on a phone (390 px): the table is wider than the screen, and the
totals rows' labels stay readable wherever it is scrolled sideways, as the criteria's codes
and titles do, without covering the figures they name."""

import pytest

from scoring.models import Compact
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Each totals label's text and each total's figure: its box, and whether it is the topmost
# thing drawn at its middle (not covered by another cell).
SHOWN = """(wrap) => {
  const view = wrap.getBoundingClientRect();
  const left = view.left + wrap.clientLeft, right = left + wrap.clientWidth;
  const shown = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const box = range.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {text: el.textContent.trim(), left: box.left, right: box.right,
            inside: box.left >= left - 0.5 && box.right <= right + 0.5,
            uncovered: el.contains(top), overflow: el.scrollWidth > el.clientWidth};
  };
  return {labels: Array.from(wrap.querySelectorAll("tfoot th"), shown),
          figures: Array.from(wrap.querySelectorAll("tfoot td[data-total]"), shown)};
}"""


def test_totals_labels_stay_readable_on_a_phone_scrolled_sideways(browser, demo_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{demo_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("pccc_nghean")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    compact = Compact.objects.get(year=2018)
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/self/")
    wrap = page.locator(".sheet-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls sideways
    seen = {}
    try:
        for where in ("start", "end"):
            wrap.evaluate(
                """(el, where) => {
                    el.scrollTop = el.scrollHeight;
                    el.scrollLeft = where === "end" ? el.scrollWidth : 0;
                }""",
                where,
            )
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(100)
            page.screenshot(path=f"test-results/self-totals-390-{where}.png")
            seen[where] = wrap.evaluate(SHOWN)
    finally:
        context.close()

    for where, shown in seen.items():
        assert [label["text"] for label in shown["labels"]][:2] == [
            "Nội dung (950)",
            "Điểm thưởng (≤ 50)",
        ]
        unreadable = [
            label
            for label in shown["labels"]
            if not label["inside"] or not label["uncovered"] or label["overflow"]
        ]
        assert unreadable == [], where
    hidden = [figure for figure in seen["end"]["figures"] if not figure["uncovered"]]
    assert len(seen["end"]["figures"]) == 6
    assert hidden == []  # scrolled to its end, every figure shows beside its label
