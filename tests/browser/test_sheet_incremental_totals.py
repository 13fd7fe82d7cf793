"""The sheet keeps each unit's subtotals and totals up to date from the changed cell alone
(subtract its old points, add the new, cap bonus and deductions again). Typed across groups
of every depth, over and back under the caps, in two units: every figure the page shows
before saving is the server's figure after the save."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from scoring.models import Criterion, Score
from tests.factories import CriterionFactory, UserFactory, UserRoleFactory, build_compact

pytestmark = pytest.mark.browser

# (unit index, code, text), in the order typed; B.1 earns 5 a time, D.1 2 a time.
EDITS = [
    (0, "G1.1", "3,5"),
    (0, "G1.3.a", "2"),
    (0, "G2.2", ""),
    (0, "B.1", "3"),  # 15: over the bonus cap of 10
    (0, "D.1", "4"),  # 8: over the deduction cap of 5
    (1, "G1.3.b", "9.25"),
    (1, "D.1", "2"),
    (0, "B.1", "0"),  # back under the cap
    (1, "G2.1", "0"),
]
GROUPS = ["G1", "G1.3", "G2", "B", "D"]


def scheme():
    """Two units; G1 holds a group of its own (G1.3 with two leaves); bonus capped at 10,
    deductions at 5; every leaf saved at 1 (bonus and deduction items: once)."""
    compact, members, criteria = build_compact(
        units=2, groups=2, criteria_per_group=2, bonus_cap=D(10), deduction_cap=D(5)
    )
    g13 = CriterionFactory(compact=compact, parent=criteria["G1"], code="G1.3", max_points=D(20))
    for suffix in "ab":
        criteria[f"G1.3.{suffix}"] = CriterionFactory(
            compact=compact, parent=g13, code=f"G1.3.{suffix}"
        )
    criteria["G1.3"] = g13
    for unit in members:
        for criterion in Criterion.objects.filter(compact=compact).leaves():
            per = criterion.points_per_occurrence or 1
            Score.objects.create(
                compact=compact,
                unit=unit,
                criterion=criterion,
                verified_value=D(1),
                verified_points=D(1) * per,
            )
    return compact, members, criteria


def shown_figures(page, members, criteria):
    """Every subtotal and total the page shows, for both units."""
    figures = {}
    for unit in members:
        for code in GROUPS:
            cell = page.locator(f'[data-sub="{unit.pk}-{criteria[code].pk}"]')
            figures[(unit.pk, code)] = cell.inner_text().strip()
        for key in ("content", "bonus", "deductions", "total", "maximum", "percent"):
            cell = page.locator(f'[data-total="{key}"][data-unit="{unit.pk}"]')
            figures[(unit.pk, key)] = cell.inner_text().strip()
    return figures


def test_totals_kept_from_the_changed_cell_are_the_servers_after_saving(
    page, live_server, transactional_db
):
    compact, members, criteria = scheme()
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(live_server.url + reverse("scoring:sheet", args=[compact.pk]))
    before = shown_figures(page, members, criteria)

    for index, code, text in EDITS:
        cell = page.locator(f'input[name="v-{members[index].pk}-{criteria[code].pk}"]')
        cell.click()
        cell.press("Control+a")
        cell.press("Backspace")
        if text:
            cell.press_sequentially(text)
    typed = shown_figures(page, members, criteria)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu 8 ô điểm.")).to_be_visible()
    saved = shown_figures(page, members, criteria)

    assert typed == saved
    first = members[0].pk
    assert (before[(first, "bonus")], typed[(first, "bonus")]) == ("5", "0")  # 5 → 15 → 0
    assert (before[(first, "deductions")], typed[(first, "deductions")]) == ("2", "5")  # capped
    assert before[(first, "G1.3")] != typed[(first, "G1.3")]
    assert before != typed
