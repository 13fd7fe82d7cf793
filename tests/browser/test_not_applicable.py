"""Criteria not applicable to a unit, as the secretariat uses them: mark a group for a unit
with a reason, then find its cells on the score sheet as "—" with the reason, stepped over by
the arrow keys, and the unit's percentage following what is typed."""

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, NotApplicable
from units.models import Unit

from .conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, server, username):
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_attached()


def test_secretariat_marks_a_group_and_the_sheet_skips_it(page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    crit = {c.code: c.pk for c in Criterion.objects.filter(compact=compact)}
    sign_in(page, demo_server, "thuky")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/not-applicable/")
    page.get_by_label("Đơn vị", exact=True).select_option(label="PC07 Bình Định")
    page.get_by_label("Tiêu chí hoặc nhóm").select_option(str(crit["IV"]))
    page.get_by_label("Lý do", exact=True).fill("Thử nghiệm: không có chi bộ riêng")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Đã lưu 4 thay đổi.")).to_be_visible()
    summary = page.locator("table.na-summary tr", has_text="PC07 Bình Định")
    expect(summary.locator("td").nth(1)).to_have_text("4")
    expect(summary.locator("td").nth(2)).to_have_text("850")
    assert sorted(
        NotApplicable.objects.filter(compact=compact, unit=binhdinh).values_list(
            "criterion__code", flat=True
        )
    ) == ["IV.1", "IV.2", "IV.3", "IV.4"]

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    marked = page.locator(f'tr[data-crit="{crit["IV.2"]}"] td.na-cell[data-unit="{binhdinh.pk}"]')
    expect(marked).to_have_text("—")
    expect(marked).to_have_attribute("title", "không áp dụng: Thử nghiệm: không có chi bộ riêng")
    expect(page.locator(f'input[name="v-{binhdinh.pk}-{crit["IV.2"]}"]')).to_have_count(0)

    # From III.4 the next cell down is V.1: the four marked cells are stepped over.
    page.locator(f'input[name="v-{binhdinh.pk}-{crit["III.4"]}"]').focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(f'input[name="v-{binhdinh.pk}-{crit["V.1"]}"]')).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator(f'input[name="v-{binhdinh.pk}-{crit["III.4"]}"]')).to_be_focused()

    # The percentage follows what is typed: 40 of an applicable maximum of 850 is 4.71 %.
    page.locator(f'input[name="v-{binhdinh.pk}-{crit["V.1"]}"]').fill("40")
    percent = page.locator(f'[data-total="percent"][data-unit="{binhdinh.pk}"]')
    expect(percent).to_have_text("4,71")
    expect(page.locator(f'[data-total="maximum"][data-unit="{binhdinh.pk}"]')).to_have_text("850")
