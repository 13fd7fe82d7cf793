"""Accepting a unit's self-assessment in Chromium: the corrections are shown and kept."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, Score
from units.models import Unit

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (390, 844)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_accept_keeps_a_correction_unless_ticked(sign_in, page, demo_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    compact = Compact.objects.get(year=2018)
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")
    i1, i2 = (Criterion.objects.get(compact=compact, code=code) for code in ("I.1", "I.2"))
    for criterion, note in ((i1, "Thiếu văn bản chỉ đạo"), (i2, "Chưa có báo cáo sơ kết")):
        Score.objects.filter(compact=compact, unit=thanhhoa, criterion=criterion).update(
            verified_value=D(20), verified_points=D(20), verified_note=note
        )
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/units/{thanhhoa.pk}/")

    page.get_by_role("button", name="Chấp nhận toàn bộ điểm tự chấm").click()

    expect(page.get_by_role("heading", name="Chấp nhận điểm tự chấm")).to_be_visible()
    rows = page.locator("table.accept-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("I.1")
    expect(rows.nth(0)).to_contain_text("Thiếu văn bản chỉ đạo")
    expect(rows.nth(0).locator('input[type="checkbox"]')).not_to_be_checked()
    page.screenshot(path=f"/tmp/h4-accept-{width}.png", full_page=True)
    # Overwrite I.2 only; I.1 keeps the secretariat's 20 and its reason.
    page.get_by_label("I.2").check()
    page.get_by_role("button", name="Chấp nhận", exact=True).click()

    expect(page.get_by_text("ô điểm thay đổi, giữ 1 ô đã sửa.")).to_be_visible()
    kept = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i1)
    overwritten = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i2)
    assert (kept.verified_points, kept.verified_note) == (D(20), "Thiếu văn bản chỉ đạo")
    assert (overwritten.verified_points, overwritten.verified_note) == (
        overwritten.self_points,
        "",
    )
    assert overwritten.self_points != D(20)
    page.screenshot(path=f"/tmp/h4-accepted-{width}.png", full_page=False)
