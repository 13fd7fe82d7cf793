"""In Chromium: typing on the targets grid that is not saved yet is not lost to another button
of the page. The secretariat types a unit's target, then presses "Duyệt" for another unit:
the browser asks first; staying keeps the typing and approves nothing, leaving approves."""

from decimal import Decimal as D

import pytest
from playwright.sync_api import expect

from scoring.models import Compact, Criterion, Target, TargetRegistration
from units.models import Unit

pytestmark = pytest.mark.browser


@pytest.fixture
def targets_page(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    khanhhoa = Unit.objects.get(code="pccc-khanhhoa")
    registrations = TargetRegistration.objects.filter(compact=compact)
    registrations.filter(unit=nghean).update(status="submitted")
    registrations.filter(unit=khanhhoa).update(status="draft")
    criterion = Criterion.objects.get(compact=compact, code="II.1")
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/targets/")
    cell = page.locator(f"#t-{khanhhoa.pk}-{criterion.pk}")
    before = Target.objects.filter(compact=compact, unit=khanhhoa, criterion=criterion).first()
    return compact, nghean, khanhhoa, criterion, cell, before


def approve_nghean(page, nghean):
    row = page.locator(f'.registrations-table tr[data-unit="{nghean.pk}"]')
    row.get_by_role("button", name="Duyệt", exact=True).click()


def test_approving_another_unit_asks_before_dropping_the_typing(page, targets_page):
    compact, nghean, khanhhoa, criterion, cell, before = targets_page
    cell.fill("7.777")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    approve_nghean(page, nghean)
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(cell).to_have_value("7.777")
    registration = TargetRegistration.objects.get(compact=compact, unit=nghean)
    assert registration.status == "submitted"

    page.remove_listener("dialog", stay)
    page.on("dialog", lambda dialog: dialog.accept())
    approve_nghean(page, nghean)
    expect(page.get_by_text("Đã duyệt chỉ tiêu của PCCC Nghệ An.")).to_be_visible()
    assert TargetRegistration.objects.get(compact=compact, unit=nghean).status == "approved"
    after = Target.objects.filter(compact=compact, unit=khanhhoa, criterion=criterion).first()
    assert (after and after.value) == (before and before.value)  # the typing was not saved


def test_nothing_typed_or_typing_saved_leaves_without_asking(page, targets_page):
    compact, nghean, khanhhoa, criterion, cell, _before = targets_page
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    cell.fill("7.777")
    cell.fill(cell.evaluate("el => el.defaultValue"))  # typed back to what was shown
    approve_nghean(page, nghean)
    expect(page.get_by_text("Đã duyệt chỉ tiêu của PCCC Nghệ An.")).to_be_visible()

    page.locator(f"#t-{khanhhoa.pk}-{criterion.pk}").fill("7.777")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu 1 chỉ tiêu.")).to_be_visible()
    page.get_by_role("link", name="Trang chủ", exact=True).click()
    page.wait_for_url(lambda url: "/targets/" not in url)
    assert asked == []
    assert Target.objects.get(compact=compact, unit=khanhhoa, criterion=criterion).value == D(7777)


def test_a_refused_save_still_holds_unsaved_typing(page, targets_page):
    compact, nghean, _khanhhoa, _criterion, cell, _before = targets_page
    cell.fill("không phải số")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".invalid-feedback")).to_be_visible()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    approve_nghean(page, nghean)
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    assert TargetRegistration.objects.get(compact=compact, unit=nghean).status == "submitted"


def test_a_cancelled_save_still_guards_the_typing(page, targets_page, demo_server):
    """Another script cancels the grid's submit (as a check before saving would): nothing is
    posted, so the typing is still unsaved and leaving asks first."""
    compact, _nghean, khanhhoa, criterion, cell, before = targets_page
    page.evaluate(
        """document.querySelector("#targets-grid")
            .addEventListener("submit", (event) => event.preventDefault())"""
    )
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else 0)
    cell.fill("7.777")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_timeout(300)
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))

    page.get_by_role("link", name="Trang chủ", exact=True).click()
    page.wait_for_timeout(300)

    assert posts == []
    assert asked == ["beforeunload"]
    assert page.url == f"{demo_server.url}/compacts/{compact.pk}/targets/"
    expect(cell).to_have_value("7.777")
    after = Target.objects.filter(compact=compact, unit=khanhhoa, criterion=criterion).first()
    assert (after and after.value) == (before and before.value)
