"""The sheet drawn in parts (one table per top-level criterion between the header's table and
the totals', templatetags/sheet_parts.py): a part out of view is left to be drawn when it comes
into view, the columns of every table line up with the header's, and the keyboard goes from
one part into the next."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from scoring.models import Criterion, Score
from tests.factories import UserFactory, UserRoleFactory, build_compact

pytestmark = pytest.mark.browser

# Whether the browser skips drawing the element (content-visibility: auto, out of view).
SKIPPED = "el => !el.checkVisibility({contentVisibilityAuto: true})"


@pytest.fixture(autouse=True)
def lazy(monkeypatch):
    """A sheet of any size leaves its parts out of view undrawn."""
    monkeypatch.setattr("scoring.templatetags.sheet_parts.LAZY_FROM_CELLS", 1)


def open_sheet(page, live_server):
    compact, members, criteria = build_compact(units=4, groups=4, criteria_per_group=8)
    for unit in members:
        for criterion in Criterion.objects.filter(compact=compact).leaves():
            Score.objects.create(
                compact=compact,
                unit=unit,
                criterion=criterion,
                verified_value=D(1),
                verified_points=D(1) * (criterion.points_per_occurrence or 1),
            )
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(live_server.url + reverse("scoring:sheet", args=[compact.pk]))
    return compact, members, criteria


def cell(page, unit, criterion):
    return page.locator(f'input[name="v-{unit.pk}-{criterion.pk}"]')


def test_parts_out_of_view_wait_and_columns_line_up(page, live_server, transactional_db):
    _, members, criteria = open_sheet(page, live_server)
    parts = page.locator(".sheet-part")
    expect(parts).to_have_count(6)  # G1–G4, bonus, deductions
    first, last = cell(page, members[0], criteria["G1.1"]), cell(page, members[0], criteria["D.1"])
    assert not first.evaluate(SKIPPED)
    assert last.evaluate(SKIPPED)  # below the fold: not drawn yet

    last.scroll_into_view_if_needed()
    expect(last).to_be_visible()
    # Drawn at the next rendering opportunity after the scroll, not within the scroll itself.
    page.wait_for_function(f"el => !({SKIPPED})(el)", arg=last.element_handle(), timeout=5000)
    headers = page.locator("thead th")
    for index, unit in enumerate(members):
        header = headers.nth(3 + index).bounding_box()
        for code in ("G1.1", "G3.4", "D.1"):
            box = cell(page, unit, criteria[code]).locator("xpath=..").bounding_box()
            assert abs(box["x"] - header["x"]) < 1 and abs(box["width"] - header["width"]) < 1
        total = page.locator(f'tfoot [data-total="total"][data-unit="{unit.pk}"]').bounding_box()
        assert abs(total["x"] - header["x"]) < 1 and abs(total["width"] - header["width"]) < 1


def test_keys_go_from_one_part_into_the_next(page, live_server, transactional_db):
    _, members, criteria = open_sheet(page, live_server)
    unit = members[1]
    cell(page, unit, criteria["G1.8"]).focus()
    page.keyboard.press("Enter")  # the next row is G2.1, in the next part
    expect(cell(page, unit, criteria["G2.1"])).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(cell(page, unit, criteria["G1.8"])).to_be_focused()

    target = cell(page, unit, criteria["B.1"])  # a part not drawn yet, reached by the keys
    assert target.evaluate(SKIPPED)
    for code in [f"G{g}.{c}" for g in (2, 3, 4) for c in range(1, 9)]:
        page.keyboard.press("ArrowDown")
        expect(cell(page, unit, criteria[code])).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(target).to_be_focused()
    expect(target).to_be_in_viewport()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowLeft")
    expect(cell(page, members[0], criteria["B.1"])).to_be_focused()
