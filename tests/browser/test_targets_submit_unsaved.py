"""In Chromium: an officer types a target and presses "Nộp chỉ tiêu" without saving first;
what was typed is saved and submitted, nothing is lost."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, Target, TargetRegistration
from units.models import Unit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_submit_saves_the_typing_first(sign_in, page, demo_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    TargetRegistration.objects.filter(compact=compact, unit=nghean).update(status="draft")
    criterion = Criterion.objects.get(compact=compact, code="II.1")
    sign_in("pccc_nghean")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/targets/")

    page.locator(f"#t-{nghean.pk}-{criterion.pk}").fill("1.300")
    page.get_by_role("button", name="Nộp chỉ tiêu").click()

    expect(page.get_by_text("Đã lưu 1 chỉ tiêu.")).to_be_visible()
    expect(page.get_by_text("Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm.")).to_be_visible()
    expect(page.locator(f"#t-{nghean.pk}-{criterion.pk}")).to_have_value("1.300")
    page.screenshot(path=f"/tmp/tidy-targets-submitted-{width}.png", full_page=True)
    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == D(1300)
    assert TargetRegistration.objects.get(compact=compact, unit=nghean).status == "submitted"
