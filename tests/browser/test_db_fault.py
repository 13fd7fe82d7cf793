"""The database drops the connection while the sheet is saved: the person reads "not saved,
try again", and saves again from that page what they had typed."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from scoring import services
from scoring.models import Compact, Criterion, Score
from units.models import Unit

pytestmark = pytest.mark.browser


def test_a_save_that_meets_a_database_fault_keeps_the_typed_values(
    sign_in, page, demo_server, monkeypatch
):
    compact = Compact.objects.get(year=2018)
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1 = Criterion.objects.get(compact=compact, code="I.1")
    sign_in("thuky")
    page.goto(f"{demo_server.url}/compacts/{compact.pk}/sheet/")
    cell = page.locator(f'input[name="v-{binhdinh.pk}-{i1.pk}"]')
    cell.fill("31,5")

    def connection_killed(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(services, "record_scores", connection_killed)
    cell.focus()
    page.keyboard.press("Control+s")

    expect(page.get_by_text("Chưa lưu: hãy thử lại")).to_be_visible()
    page.screenshot(path="/tmp/h7-db-fault.png")
    assert not Score.objects.filter(compact=compact, unit=binhdinh, criterion=i1).exists()

    monkeypatch.undo()  # the database is back
    page.get_by_role("button", name="Lưu lại").click()

    expect(page.get_by_text("Đã lưu 1 ô điểm.")).to_be_visible()
    score = Score.objects.get(compact=compact, unit=binhdinh, criterion=i1)
    assert str(score.verified_value) == "31.50"
