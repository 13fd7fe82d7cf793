"""The score sheet saved without reloading: the saved cells, their versions and the totals
are updated in place from the server's answer; refusals and conflicts are shown in place;
the next save sends the new versions."""

import re
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import expect

from scoring import selectors, services
from scoring.models import Compact, Criterion, Score
from scoring.ranking import Side
from scoring.templatetags.points import points
from units.models import Unit

pytestmark = pytest.mark.browser

CONFLICT = "Thư ký khác đã sửa ô này thành 20 sau khi bạn mở trang."


def open_sheet(sign_in, page, demo_server, compact):
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    # Gone if the page is loaded again: the save must leave this document in place.
    page.evaluate("window.__samePage = true")


def cell(page, unit, criterion):
    return page.locator(f'td.cell[data-unit="{unit.pk}"]').filter(
        has=page.locator(f'input[name="v-{unit.pk}-{criterion.pk}"]')
    )


def server_figures(compact, unit):
    sheet = selectors.score_sheet(compact, unit_ids=[unit.pk])
    totals = sheet.columns[0].totals
    with translation.override("vi"):
        return [points(totals.content), points(totals.bonus), points(totals.total)]


def shown_figures(page, unit):
    return [
        page.locator(f'[data-total="{key}"][data-unit="{unit.pk}"]').inner_text()
        for key in ("content", "bonus", "total")
    ]


def still_same_page(page):
    return page.evaluate("window.__samePage === true")


def test_save_updates_cells_versions_and_totals_in_place(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1, i2, bonus = (Criterion.objects.get(compact=compact, code=c) for c in ("I.1", "I.2", "VI.1"))
    open_sheet(sign_in, page, demo_server, compact)

    cell(page, binhdinh, i1).locator("input.cell-input").fill("31.5")
    cell(page, binhdinh, i2).locator("input.cell-input").fill("20")
    cell(page, binhdinh, bonus).locator("input.cell-input").fill("2")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert").filter(has_text="Đã lưu 3 ô điểm.")).to_be_visible()
    assert still_same_page(page)
    first = cell(page, binhdinh, i1)
    expect(first.locator("input.cell-input")).to_have_value("31,5")  # as the server writes it
    expect(first).not_to_have_class(re.compile(r"\bdirty\b"))
    expect(page.locator("[data-dirty-count]")).to_have_text("")
    score = Score.objects.get(compact=compact, unit=binhdinh, criterion=i1)
    expect(first.locator('input[name^="ver-"]')).to_have_value(str(score.version))
    expect(cell(page, binhdinh, bonus).locator("[data-pts]")).to_have_text("20")
    assert shown_figures(page, binhdinh) == server_figures(compact, binhdinh)
    expect(page.locator(f'[data-count="{binhdinh.pk}"]')).to_contain_text("3/")

    # A second save of the same cell goes with the version the first one returned.
    first.locator("input.cell-input").fill("30")
    page.keyboard.press("Control+s")

    expect(page.get_by_role("alert").filter(has_text="Đã lưu 1 ô điểm.")).to_be_visible()
    score.refresh_from_db()
    assert (score.verified_value, score.version) == (D(30), 2)
    assert still_same_page(page)
    assert shown_figures(page, binhdinh) == server_figures(compact, binhdinh)
    page.reload()  # nothing left unsaved: no question on leaving
    expect(cell(page, binhdinh, i1).locator("input.cell-input")).to_have_value("30")


def test_refused_save_is_shown_in_place_and_nothing_is_written(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1, i2 = (Criterion.objects.get(compact=compact, code=c) for c in ("I.1", "I.2"))
    open_sheet(sign_in, page, demo_server, compact)
    cell(page, binhdinh, i1).locator("input.cell-input").fill("30")
    cell(page, binhdinh, i2).locator("input.cell-input").fill("45")

    page.get_by_role("button", name="Lưu").click()

    expect(
        page.get_by_role("alert").filter(has_text="Chưa lưu gì: 1 ô cần xem lại")
    ).to_be_visible()
    assert still_same_page(page)
    expect(cell(page, binhdinh, i2).locator("[data-problem]")).to_have_text(
        "45 lớn hơn điểm tối đa 40."
    )
    expect(cell(page, binhdinh, i1)).to_have_class(re.compile(r"\bdirty\b"))  # still to be saved
    assert not Score.objects.filter(compact=compact, unit=binhdinh).exists()

    # The refused cell set back to what is stored, the other one saves, and nothing stays red.
    cell(page, binhdinh, i2).locator("input.cell-input").fill("")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert").filter(has_text="Đã lưu 1 ô điểm.")).to_be_visible()
    expect(cell(page, binhdinh, i2)).not_to_have_class(re.compile(r"\bhas-problem\b"))
    expect(cell(page, binhdinh, i2).locator("input.cell-input")).not_to_have_class(
        re.compile(r"\bis-invalid\b")
    )
    assert list(
        Score.objects.filter(compact=compact, unit=binhdinh).values_list(
            "criterion__code", "verified_value"
        )
    ) == [("I.1", D(30))]


def test_conflict_is_shown_in_place_then_saving_again_replaces_it(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1 = Criterion.objects.get(compact=compact, code="I.1")
    open_sheet(sign_in, page, demo_server, compact)
    other = get_user_model().objects.create_user("thuky2", first_name="Thư ký khác")
    services.record_scores(
        compact=compact,
        user=other,
        side=Side.VERIFIED,
        cells=[services.CellInput(unit_id=binhdinh.pk, criterion_id=i1.pk, value="20")],
    )
    mine = cell(page, binhdinh, i1)
    mine.locator("input.cell-input").fill("31,5")

    page.keyboard.press("Control+s")

    expect(mine.locator("[data-problem]")).to_contain_text(CONFLICT)
    expect(page.get_by_role("alert").filter(has_text="Chưa lưu gì: 1 ô")).to_be_visible()
    assert Score.objects.get(compact=compact, unit=binhdinh, criterion=i1).verified_value == 20

    page.get_by_role("button", name="Lưu").click()  # as the message says: save again

    expect(page.get_by_role("alert").filter(has_text="Đã lưu 1 ô điểm.")).to_be_visible()
    score = Score.objects.get(compact=compact, unit=binhdinh, criterion=i1)
    assert (score.verified_value, score.version, score.updated_by.username) == (
        D("31.5"),
        2,
        "thuky",
    )
    expect(mine).not_to_have_class(re.compile(r"\bhas-problem\b"))
    expect(mine.locator("[data-problem]")).to_have_text("")
    assert still_same_page(page)
    assert shown_figures(page, binhdinh) == server_figures(compact, binhdinh)
