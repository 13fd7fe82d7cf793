"""From a registered target to the ranking, in Chromium (issue 16): the officer registers and
submits Nghệ An's target on a criterion compared within the cluster, the secretariat approves
it, then types actual results on the score sheet; every unit's points on that criterion
follow the rule at once, and so does the ranking."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from playwright.sync_api import expect

from scoring import rules, selectors
from scoring.dated_names import Shows, names_day
from scoring.models import Compact, Criterion, Score, Target, TargetRegistration
from scoring.numbers import parse_number
from units.models import Unit

from .verified_scores import verify_every_score

pytestmark = pytest.mark.browser


def test_officer_target_secretariat_approval_actuals_points_and_ranks(sign_in, page, demo_server):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    relative = Criterion.objects.get(compact=compact, code="II.2")
    assert relative.rule == "cluster_relative"
    verify_every_score(compact)
    TargetRegistration.objects.filter(compact=compact, unit=nghean).update(status="draft")
    before = {row.unit.pk: row.ranked.rank for row in selectors.standings_for(compact).rows}
    assert before[nghean.pk] != 1
    points_before = dict(
        Score.objects.filter(compact=compact, criterion=relative).values_list(
            "unit_id", "verified_points"
        )
    )

    # The officer registers Nghệ An's target and submits it.
    sign_in("pccc_nghean")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/targets/")
    page.locator(f"#t-{nghean.pk}-{relative.pk}").fill("100")
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.get_by_text("Đã lưu 1 chỉ tiêu.")).to_be_visible()
    page.get_by_role("button", name="Nộp chỉ tiêu").click()
    expect(page.get_by_text("Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm.")).to_be_visible()

    # The secretariat approves it.
    page.context.clear_cookies()
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/targets/")
    row = page.locator(f'.registrations-table tr[data-unit="{nghean.pk}"]')
    row.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_text("Đã duyệt chỉ tiêu của PCCC Nghệ An.")).to_be_visible()
    assert Target.objects.get(compact=compact, unit=nghean, criterion=relative).value == D(100)

    # Then types the actual results on the sheet. In the demo every unit is below its target
    # on this criterion; Bình Định, at 200, is the first above it and leads with the full
    # maximum; then Nghệ An, ten times its target, takes the lead and Bình Định falls back.
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")

    def points_on_sheet(unit_id):
        shown = page.locator(f'td.cell[data-unit="{unit_id}"]').filter(
            has=page.locator(f'input[name="v-{unit_id}-{relative.pk}"]')
        )
        expect(shown.locator("[data-pts]")).not_to_have_text("…")
        return parse_number(shown.locator("[data-pts]").inner_text(), language="vi")

    def enter(unit, text):
        page.locator(f'input[name="v-{unit.pk}-{relative.pk}"]').fill(text)
        page.locator("[data-save]").click()
        expect(page.get_by_text("Đã lưu 1 ô điểm.")).to_be_visible()

    enter(binhdinh, "200")
    assert points_on_sheet(binhdinh.pk) == relative.max_points
    enter(nghean, "1.000")
    points_after = dict(
        Score.objects.filter(compact=compact, criterion=relative).values_list(
            "unit_id", "verified_points"
        )
    )
    assert points_after[nghean.pk] == relative.max_points
    # Above target but not leading: M/2 + M/2 × (r − 1) / (L − 1), L = 10 (Nghệ An's ratio).
    target = Target.objects.get(compact=compact, unit=binhdinh, criterion=relative).value
    half = Fraction(relative.max_points) / 2
    expected = half + half * (Fraction(200) / Fraction(target) - 1) / (10 - 1)
    assert points_after[binhdinh.pk] == rules.round_points(expected) < relative.max_points
    unchanged = {u: p for u, p in points_before.items() if u not in (nghean.pk, binhdinh.pk)}
    assert unchanged == {u: points_after[u] for u in unchanged}  # below target: own ratio only
    for unit_id, points in points_after.items():
        assert points_on_sheet(unit_id) == points

    # The ranking page shows the new order.
    after = {row.unit.pk: row.ranked.rank for row in selectors.standings_for(compact).rows}
    assert after != before
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/dashboard/")
    rows = page.locator("table.ranking-table tbody tr")
    for unit_id, rank in after.items():
        name = Unit.objects.get(pk=unit_id).names_on(names_day(compact, Shows.RESULTS))[1]
        expect(rows.filter(has_text=name).locator("td.rank")).to_have_text(str(rank))
