"""The score sheet in Chromium, as the demo users use it."""

import re
from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from scoring import selectors
from scoring.models import Assessment, Compact, Score
from scoring.ranking import format_points
from units.models import Unit

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def leaves(compact):
    return [c for c in selectors.criteria_for_compact(compact) if c.is_leaf]


def typed_value(criterion):
    """What a person types for a criterion of each kind; nothing on one compared within the
    cluster, whose points the page cannot know before saving (test_relative_rule.py)."""
    if criterion.is_relative:
        return ""
    if criterion.kind == "judged":
        return format_points(criterion.max_points - D("1.5"))
    return {"quantitative": "1000", "pass_fail": "1", "bonus": "1", "deduction": "0"}[
        criterion.kind
    ]


def test_secretariat_fills_a_unit_column_by_keyboard(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    rows = leaves(compact)
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    total_cell = page.locator(f'[data-total="total"][data-unit="{binhdinh.pk}"]')
    expect(total_cell).to_have_text("0")

    page.locator(f'input[name="v-{binhdinh.pk}-{rows[0].pk}"]').focus()
    for criterion in rows:
        page.keyboard.type(typed_value(criterion))
        page.keyboard.press("Enter")
    live_total = total_cell.inner_text()
    bonus_item = next(c for c in rows if c.code == "VI.1")  # 1 occurrence × 10 points
    bonus_cell = page.locator(f'td.cell[data-unit="{binhdinh.pk}"]').filter(
        has=page.locator(f'input[name="v-{binhdinh.pk}-{bonus_item.pk}"]')
    )
    expect(bonus_cell.locator("[data-pts]")).to_have_text("10")
    typed = [c for c in rows if typed_value(c)]
    expect(page.get_by_text(f"{len(typed)} ô đã sửa chưa lưu")).to_be_visible()
    page.screenshot(path="test-results/sheet-filled.png")

    page.keyboard.press("Control+s")
    expect(page.get_by_text(f"Đã lưu {len(typed)} ô điểm.")).to_be_visible()

    saved = dict(selectors.unit_totals(compact))
    server_total = next(t.total for m, t in saved.items() if m.unit_id == binhdinh.pk)
    assert live_total == f"{server_total:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    page.reload()
    for criterion in rows:
        expect(page.locator(f'input[name="v-{binhdinh.pk}-{criterion.pk}"]')).to_have_value(
            typed_value(criterion)
        )
    expect(total_cell).to_have_text(live_total)

    # Every saved cell is in the audit trail, with who saved it.
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/audit/?kind=score")
    saved = page.locator("table.audit-table tbody tr").filter(has_text="PC07 Bình Định")
    expect(saved).to_have_count(len(typed))
    expect(saved.filter(has_text="Thư ký Cụm 12")).to_have_count(len(typed))


def test_invalid_value_is_refused_with_its_message(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    first, second = leaves(compact)[:2]
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")

    page.locator(f'input[name="v-{binhdinh.pk}-{first.pk}"]').fill("30")
    cell = page.locator(f'input[name="v-{binhdinh.pk}-{second.pk}"]')
    cell.fill("45")
    expect(page.get_by_text("45 lớn hơn điểm tối đa 40.")).to_be_visible()
    expect(cell).to_have_class(re.compile("is-invalid"))

    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_text("Chưa lưu gì: 1 ô cần xem lại")).to_be_visible()
    expect(page.get_by_text("45 lớn hơn điểm tối đa 40.")).to_be_visible()
    expect(page.locator(f'input[name="v-{binhdinh.pk}-{first.pk}"]')).to_have_value("30")
    assert not Score.objects.filter(compact=compact, unit=binhdinh).exists()


def test_self_assessment_then_verification_with_a_reason(sign_in, page, demo_server, tmp_path):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    content_rows = [c for c in leaves(compact) if c.section == "content"]
    first = content_rows[0]

    # The unit officer self-assesses, attaches evidence and submits.
    sign_in("pccc_nghean")
    page.get_by_role("link", name="Tự chấm của đơn vị").first.click()
    expect(page.get_by_role("heading", name=re.compile("Tự chấm: .*Nghệ An"))).to_be_visible()
    for criterion in content_rows:
        text = typed_value(criterion) or "10"  # an actual result where compared in the cluster
        page.locator(f'input[name="v-{nghean.pk}-{criterion.pk}"]').fill(text)
    page.locator(f'input[name="n-{nghean.pk}-{first.pk}"]').fill("Kế hoạch số 12/KH-PC07")
    evidence = tmp_path / "ke-hoach.pdf"
    evidence.write_bytes(PDF)
    page.locator(f'input[name="f-{first.pk}"]').set_input_files(str(evidence))
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.get_by_text(f"Đã lưu {len(content_rows)} ô điểm.")).to_be_visible()
    expect(page.get_by_role("link", name="📎 ke-hoach.pdf")).to_be_visible()
    page.get_by_role("button", name="Nộp bản tự chấm cho thư ký cụm").click()
    expect(page.get_by_text("Đã nộp bản tự chấm cho thư ký cụm.")).to_be_visible()
    expect(page.locator(f'input[name="v-{nghean.pk}-{first.pk}"]')).to_have_attribute(
        "readonly", ""
    )
    page.screenshot(path="test-results/self-submitted.png", full_page=True)

    # The secretariat sees it, disagrees on one criterion and gives the reason.
    page.get_by_role("button", name="Đăng xuất").click()
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/units/{nghean.pk}/")
    page.get_by_role("button", name="Chấp nhận toàn bộ điểm tự chấm").click()
    page.get_by_role("button", name="Chấp nhận", exact=True).click()
    expect(
        page.get_by_text(
            f"Đã chấp nhận điểm tự chấm: {len(content_rows)} ô điểm thay đổi, giữ 0 ô đã sửa."
        )
    ).to_be_visible()
    cell = page.locator(f'input[name="v-{nghean.pk}-{first.pk}"]')
    cell.fill("30")
    reason = page.locator(f'input[name="n-{nghean.pk}-{first.pk}"]')
    expect(reason).to_be_visible()
    expect(
        page.get_by_text("Điểm thẩm định khác điểm tự chấm 38,5: cần ghi lý do.")
    ).to_be_visible()
    reason.fill("Chưa đủ minh chứng ban hành văn bản")
    page.screenshot(path="test-results/verify-difference.png")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu 1 ô điểm.")).to_be_visible()

    score = Score.objects.get(compact=compact, unit=nghean, criterion=first)
    assert (score.self_points, score.verified_points, score.verified_note) == (
        D("38.5"),
        D(30),
        "Chưa đủ minh chứng ban hành văn bản",
    )
    assert Assessment.objects.get(compact=compact, unit=nghean).status == "submitted"

    # The cell's history tells the whole story: self-assessed, accepted, changed with a reason.
    page.get_by_role("link", name=f"Lịch sử ô điểm này {first.code}").click()
    history = page.locator("table.audit-table tbody tr")
    expect(history).to_have_count(3)
    expect(history.nth(0)).to_contain_text("Chưa đủ minh chứng ban hành văn bản")
    expect(history.nth(0)).to_contain_text("Thư ký Cụm 12")
    expect(history.nth(2)).to_contain_text("Cán bộ thi đua PCCC Nghệ An")
    expect(history.nth(2)).to_contain_text("Kế hoạch số 12/KH-PC07")


def test_officer_cannot_open_another_units_sheet(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    quangninh = Unit.objects.get(code="pccc-quangninh")
    sign_in("pccc_nghean")

    response = page.goto(f"{demo_server.url}/compacts/{compact.pk}/units/{quangninh.pk}/")

    assert response.status == 404
    response = page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    assert response.status == 404
