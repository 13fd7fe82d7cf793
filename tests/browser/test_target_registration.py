"""Target registration in Chromium: the officer registers and submits, the secretariat returns
the targets with a reason, the officer reads it, corrects and resubmits, the secretariat
approves; the officer can no longer change them."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, Target, TargetRegistration
from units.models import Unit

pytestmark = pytest.mark.browser
SIZES = [(1366, 768), (390, 844)]
REASON = "Chỉ tiêu tuyên truyền thấp hơn kết quả năm 2017"


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_targets_are_submitted_returned_resubmitted_and_approved(
    sign_in, page, demo_server, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    TargetRegistration.objects.filter(compact=compact, unit=nghean).update(status="draft")
    criterion = Criterion.objects.get(compact=compact, code="II.1")
    url = f"{demo_server.url}/compacts/{compact.pk}/targets/"
    cell = page.locator(f"#t-{nghean.pk}-{criterion.pk}")
    row = page.locator(f'.registrations-table tr[data-unit="{nghean.pk}"]')

    def as_user(username):
        page.context.clear_cookies()
        sign_in(username)
        page.goto(url)

    as_user("pccc_nghean")
    cell.fill("1.300")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu 1 chỉ tiêu.")).to_be_visible()
    page.get_by_role("button", name="Nộp chỉ tiêu").click()
    expect(page.get_by_text("Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm.")).to_be_visible()
    expect(cell).to_have_attribute("readonly", "")

    as_user("thuky")
    expect(row.locator("[data-status]")).to_have_text("đã nộp, chờ duyệt")
    row.get_by_placeholder("Lý do trả lại (bắt buộc)").fill(REASON)
    row.get_by_role("button", name="Trả lại").click()
    expect(page.get_by_text("Đã trả lại chỉ tiêu cho PCCC Nghệ An.")).to_be_visible()

    as_user("pccc_nghean")
    expect(page.locator(".returned-reason")).to_contain_text(REASON)
    page.screenshot(path=f"/tmp/h16t-targets-returned-{width}.png", full_page=True)
    cell.fill("1.350")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Nộp chỉ tiêu").click()
    expect(page.get_by_text("Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm.")).to_be_visible()

    as_user("thuky")
    row.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt chỉ tiêu của PCCC Nghệ An.")).to_be_visible()
    expect(row.locator("[data-status]")).to_have_text("đã duyệt")
    page.screenshot(path=f"/tmp/h16t-targets-secretariat-{width}.png", full_page=True)

    as_user("pccc_nghean")
    expect(cell).to_have_value("1.350")
    expect(cell).to_have_attribute("readonly", "")
    expect(page.get_by_role("button", name="Nộp chỉ tiêu")).to_have_count(0)
    expect(page.get_by_role("button", name="Lưu", exact=True)).to_have_count(0)
    registration = TargetRegistration.objects.get(compact=compact, unit=nghean)
    assert (registration.status, registration.approved_by.username) == ("approved", "thuky")
    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == D(1350)
