"""The leader opens the demo's 2017 year in Chromium and reads only 2017's names (Cảnh sát
PCCC tỉnh …, before QĐ 4083/QĐ-BCA renamed the units in August 2018): on the dashboard, the
ranking, a unit's report, the print pages and the Excel export."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scoring.models import Compact
from tests.later_names import names_after, workbook_text

pytestmark = pytest.mark.browser
SHOTS = Path("test-results")


def later_names_in(text, later):
    return sorted(name for name in later if name in text)


def test_leader_reads_the_2017_year_in_the_names_of_2017(sign_in, page, demo_server):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    later = names_after(datetime.date(2017, 12, 31))
    assert "PC07 Thanh Hóa" in later
    SHOTS.mkdir(exist_ok=True)
    sign_in("lanhdao")

    def read(name):
        expect(page.locator("main, body").first).to_be_visible()
        text = page.locator("body").inner_text()
        page.screenshot(path=SHOTS / f"names-2017-{name}.png", full_page=True)
        assert later_names_in(text, later) == [], name
        return text

    page.goto(f"{demo_server.url}/dashboard/?year=2017")
    assert "PCCC Thanh Hóa" in read("overview")

    page.goto(demo_server.url)
    page.get_by_role("link", name="Xếp hạng").last.click()
    expect(page.get_by_role("heading", name="Xếp hạng Cụm thi đua số 12 năm 2017")).to_be_visible()
    ranking = read("ranking")
    assert "PCCC Nghệ An" in ranking

    with page.expect_download() as download:
        page.get_by_role("link", name="Bảng xếp hạng (Excel)").click()
    workbook = workbook_text(Path(download.value.path()).read_bytes())
    assert "Cảnh sát PCCC tỉnh Nghệ An" in workbook
    assert later_names_in(workbook, later) == []

    page.locator("table.ranking-table").get_by_role("link", name="PCCC Nghệ An").click()
    expect(page.get_by_text("Điểm theo tiêu chí")).to_be_visible()
    assert "Cảnh sát PCCC tỉnh Nghệ An · 2017" in read("unit-report")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/print/")
    assert "TM. CẢNH SÁT PCCC TỈNH NGHỆ AN" in read("compact-print")

    page.goto(f"{demo_server.url}/compacts/{compact.pk}/review/minutes/print/")
    assert "Cảnh sát PCCC tỉnh Thanh Hóa" in read("minutes-print")
