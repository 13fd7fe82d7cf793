"""Live totals on the score sheet, the unit's verification page and the self-assessment page:
after correcting saved cells, what the page shows is what the server computes once saved.
Also: read-only pages never post, typed numbers follow the shared reading rule, and the
history link is built from ids, whatever they are."""

import re
from decimal import Decimal as D

import pytest
from django.utils import translation
from playwright.sync_api import expect

from scoring import selectors, services
from scoring.models import Compact, Criterion, Score
from scoring.ranking import Side
from scoring.templatetags.points import points
from tests.factories import MembershipFactory, UnitFactory, build_compact
from units.models import Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}

# What was saved before the page is opened: every leaf, bonus above its cap of 50
# (3 × 10 + 3 × 10) and deductions (1 × 8 + 2 × 2).
SAVED = {
    **{"VI.1": "3", "VI.2": "3", "VI.3": "0"},
    **{"VII.1": "1", "VII.2": "2", "VII.3": "0", "VII.4": "0"},
}
# The corrections typed on the page, all on cells that already hold a saved value.
EDITS = {"I.1": "12,5", "II.3.b": "7.5", "II.1": "1050", "VI.3": "2", "VII.3": "1", "VII.2": "1"}
CHECKED_GROUPS = ["I", "II", "II.3", "III", "VI", "VII"]


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.viewport_name = request.param
    yield page
    context.close()


def sign_in(page, server, username):
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_attached()


def saved_value(criterion):
    if criterion.code in SAVED:
        return SAVED[criterion.code]
    if criterion.kind == "judged":
        return str(criterion.max_points - D("1.5"))
    return {"quantitative": "1000", "pass_fail": "1"}[criterion.kind]


def save_every_leaf(compact, unit, *, side):
    leaves = Criterion.objects.filter(compact=compact).leaves().exclude(code="VII.5")
    services.record_scores(
        compact=compact,
        user=None,
        side=side,
        unit_id=unit.pk if side == Side.SELF else None,
        cells=[
            services.CellInput(unit_id=unit.pk, criterion_id=c.pk, value=saved_value(c))
            for c in leaves
        ],
    )


def type_edits(page, compact, unit):
    """Types each correction over the saved value, as a person does: select, type, Enter."""
    for code, text in EDITS.items():
        criterion = Criterion.objects.get(compact=compact, code=code)
        cell = page.locator(f'input[name="v-{unit.pk}-{criterion.pk}"]')
        expect(cell).not_to_have_value("")
        cell.click()
        cell.press("Control+a")
        page.keyboard.type(text)
        page.keyboard.press("Enter")


def shown_totals(page, compact, unit):
    """The totals and group subtotals the page shows for the unit."""
    shown = {
        key: page.locator(f'[data-total="{key}"][data-unit="{unit.pk}"]').inner_text()
        for key in ("content", "bonus", "deductions", "total")
    }
    for code in CHECKED_GROUPS:
        group = Criterion.objects.get(compact=compact, code=code)
        shown[code] = page.locator(f'[data-sub="{unit.pk}-{group.pk}"]').inner_text()
    return shown


def server_totals(compact, unit, *, side):
    """The same figures from scoring.selectors, in the Vietnamese format the page uses."""
    sheet = selectors.score_sheet(compact, unit_ids=[unit.pk], side=side)
    totals = sheet.columns[0].display_totals
    subtotals = {row.criterion.code: row.subtotals[0][1] for row in sheet.rows if row.subtotals}
    with translation.override("vi"):
        figures = {
            "content": points(totals.content),
            "bonus": points(totals.bonus),
            "deductions": points(totals.deductions),
            "total": points(totals.total),
        }
        figures |= {code: points(subtotals[code]) for code in CHECKED_GROUPS}
    return figures, totals


def check_live_totals(page, compact, unit, *, side, save_button):
    before, _ = server_totals(compact, unit, side=side)
    assert shown_totals(page, compact, unit) == before  # as loaded, before any edit

    type_edits(page, compact, unit)
    live = shown_totals(page, compact, unit)
    shown_text = page.locator("body").inner_text()
    assert re.findall(r"\d\.\d{1,2}(?!\d)|\d,\d{3}(?!\d)", shown_text) == []  # vi only
    page.screenshot(path=f"test-results/totals-{side}-{page.viewport_name}.png")
    page.get_by_role("button", name=save_button).click()
    expect(page.get_by_text(f"Đã lưu {len(EDITS)} ô điểm.")).to_be_visible()

    after, totals = server_totals(compact, unit, side=side)
    assert totals.bonus_raw > totals.bonus == D(50)  # the cap was in play
    assert totals.deductions == D(8 + 2 + 20)
    assert live == after
    assert shown_totals(page, compact, unit) == after


def test_sheet_totals_after_correcting_saved_cells(page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    save_every_leaf(compact, binhdinh, side=Side.VERIFIED)
    sign_in(page, demo_server, "thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")

    check_live_totals(page, compact, binhdinh, side=Side.VERIFIED, save_button="Lưu")


def test_unit_page_totals_after_correcting_saved_cells(page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    save_every_leaf(compact, binhdinh, side=Side.VERIFIED)
    sign_in(page, demo_server, "thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/units/{binhdinh.pk}/")

    check_live_totals(page, compact, binhdinh, side=Side.VERIFIED, save_button="Lưu")


def test_self_assessment_totals_are_the_self_assessed_ones(page, demo_server):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    save_every_leaf(compact, nghean, side=Side.SELF)
    assert not Score.objects.filter(
        compact=compact, unit=nghean, verified_points__isnull=False
    ).exists()
    sign_in(page, demo_server, "pccc_nghean")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/self/")

    check_live_totals(page, compact, nghean, side=Side.SELF, save_button="Lưu nháp")


@pytest.mark.parametrize("who", ["leader", "finalized"])
def test_read_only_sheet_never_posts(page, demo_server, who):
    compact = Compact.objects.get(year=2018 if who == "leader" else 2017)
    sign_in(page, demo_server, "lanhdao" if who == "leader" else "thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    expect(page.get_by_text("Chỉ xem")).to_be_visible()
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)
    first = page.locator("input.cell-input").first
    shown = first.input_value()

    first.click()
    page.keyboard.press("Control+s")
    page.keyboard.press("Enter")
    page.locator("input.cell-input").nth(1).press("Enter")
    page.wait_for_timeout(500)

    assert posts == []
    assert page.url == f"{demo_server.url}/compacts/{compact.pk}/sheet/"
    expect(page.locator("input.cell-input").first).to_have_value(shown)
    expect(page.locator("h1")).to_contain_text("Bảng chấm điểm")  # still the sheet


def test_typed_numbers_follow_the_vietnamese_reading_rule(page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    sign_in(page, demo_server, "thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")

    def typed(code, text):
        criterion = Criterion.objects.get(compact=compact, code=code)
        cell = page.locator(f'td.cell[data-unit="{binhdinh.pk}"]').filter(
            has=page.locator(f'input[name="v-{binhdinh.pk}-{criterion.pk}"]')
        )
        cell.locator("input.cell-input").fill(text)
        return cell

    expect(typed("I.1", "12,5").locator("[data-pts]")).to_have_text("12,5")
    expect(typed("I.2", "7.5").locator("[data-pts]")).to_have_text("7,5")
    expect(typed("I.3", " 7,25 ").locator("[data-pts]")).to_have_text("7,25")
    # "1.050" is one thousand and fifty in Vietnamese: 1,050 occurrences of 10 points.
    expect(typed("VI.1", "1.050").locator("[data-pts]")).to_have_text("10.500")
    expect(typed("I.4", "1.050").locator("[data-problem]")).to_have_text(
        "1050 lớn hơn điểm tối đa 30."
    )
    expect(typed("VI.2", "1.234.567").locator("[data-pts]")).to_have_text("12.345.670")
    for text in ("12,5,3", "1..2", "1e3", "abc", "1,234.5", "²", "1.05.0"):
        cell = typed("IV.1", text)
        expect(cell.locator("[data-problem]")).to_have_text(f"“{text}” không phải là một số.")
        expect(cell.locator("[data-pts]")).to_have_text("")
    expect(typed("IV.2", "−3").locator("[data-problem]")).to_have_text("Giá trị không được âm.")
    expect(typed("IV.3", "1,505").locator("[data-problem]")).to_have_text(
        "Chỉ dùng tối đa hai chữ số thập phân."
    )
    expect(typed("VI.3", "1,5").locator("[data-problem]")).to_have_text("Số lần phải là số nguyên.")
    bonus = page.locator(f'[data-total="bonus"][data-unit="{binhdinh.pk}"]')
    expect(bonus).to_have_text("50")  # capped


def test_history_link_with_ids_that_look_like_the_old_placeholders(page, demo_server):
    compact, members, criteria = build_compact(pk=1111, year=2018, status="in_force")
    unit = UnitFactory(pk=2222)
    MembershipFactory(cluster=compact.cluster, year=compact.year, unit=unit)
    leaf = criteria["G1.1"]
    sign_in(page, demo_server, "admin")
    page.goto(f"{demo_server.url}/compacts/1111/sheet/")

    page.locator(f'input[name="v-2222-{leaf.pk}"]').focus()
    link = page.locator("[data-guidance] a")

    expect(link).to_have_attribute("href", f"/compacts/1111/units/2222/criteria/{leaf.pk}/history/")
    link.click()
    expect(page.get_by_role("heading").first).to_be_visible()
    assert page.url.endswith(f"/compacts/1111/units/2222/criteria/{leaf.pk}/history/")
    assert members  # the compact's own members are there too


def test_every_unit_fits_on_a_laptop_screen(browser, demo_server):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, demo_server, "thuky")
    compact = Compact.objects.get(year=2018)
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")

    wrap = page.locator(".sheet-wrap")
    overflow = wrap.evaluate("el => el.scrollWidth - el.clientWidth")
    units = page.locator("thead th.c-unit")
    expect(units).to_have_count(8)
    last_unit = units.last.bounding_box()
    last_total = page.locator('tfoot tr.grand td[data-total="total"]').last.bounding_box()
    page.screenshot(path="test-results/sheet-1366.png")
    context.close()

    assert overflow <= 0
    assert last_unit["x"] + last_unit["width"] <= 1366
    assert last_total["x"] + last_total["width"] <= 1366
