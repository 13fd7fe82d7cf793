"""While a year is being scored: units not completely verified have no place (issue 13,
items 4 and 11), on every page and export that shows the ranking."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring import selectors
from scoring.excel import ranking_workbook
from scoring.models import Compact, Criterion, Score
from tests.demo_progress import verify_2018_partly
from tests.factories import UserFactory, UserRoleFactory
from units.models import Cluster, Membership, Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def table_row(content, name):
    """The ranking table's row of the unit called `name`, as HTML."""
    table = content.split('class="table table-sm align-middle ranking-table"')[1]
    table = table.split("</table>")[0]
    rows = [row for row in table.split("<tr")[2:] if f">{name}</a>" in row]
    assert len(rows) == 1, name
    return rows[0].split(">", 1)[1]


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_units_not_completely_verified_get_no_rank_band_tie_or_change(client, demo):
    compact = verify_2018_partly()
    criteria = selectors.standings_for(compact).criteria
    assert criteria == 23  # with III.1.c

    content = login(client, "lanhdao").get(reverse("scoring:dashboard", args=[compact.pk]))
    content = content.content.decode()

    # 24 of 7 × 23 + 22 content cells verified (III.1.c does not apply to Quảng Ngãi).
    assert "Xếp hạng tạm thời: 1/8 đơn vị đã thẩm định xong, 13 % điểm đã thẩm định." in (
        text_of(content)
    )
    khanhhoa = text_of(table_row(content, "PC07 Khánh Hòa"))
    assert khanhhoa.startswith("1 PC07 Khánh Hòa")
    assert "Xuất sắc" in khanhhoa
    nghean = text_of(table_row(content, "PC07 Nghệ An"))
    assert nghean.startswith("— PC07 Nghệ An")
    assert "đang thẩm định: 1/23 tiêu chí" in nghean
    quangninh = text_of(table_row(content, "PC07 Quảng Ninh"))
    assert "đang thẩm định: 0/23 tiêu chí" in quangninh
    for row in (nghean, quangninh):
        assert "▼" not in row and "▲" not in row
    # No lowest band and no tie "decided at the vote" among the seven unverified units.
    assert "Chưa đạt" not in content
    assert "quyết định khi bỏ phiếu" not in content
    # The charts show the one ranked unit.
    assert content.count('<g class="bar bar-top">') == 2  # wide and phone layouts


def test_ranking_json_says_which_units_are_complete(client, demo):
    compact = verify_2018_partly()

    data = login(client, "lanhdao").get(reverse("scoring:ranking_json", args=[compact.pk]))
    data = data.json()

    assert (data["provisional"], data["units"], data["complete_units"], data["criteria"]) == (
        True,
        8,
        1,
        23,
    )
    by_code = {row["unit"]["code"]: row for row in data["ranking"]}
    first = by_code["pccc-khanhhoa"]
    assert (first["complete"], first["verified"], first["rank"], first["band"]) == (
        True,
        23,
        1,
        "Xuất sắc",
    )
    assert first["rank_change"] is not None
    assert data["ranking"][0]["unit"]["code"] == "pccc-khanhhoa"
    for code in ["pccc-nghean", "pccc-quangninh"]:
        row = by_code[code]
        assert row["complete"] is False
        assert row["criteria"] == 23
        assert (row["rank"], row["band"], row["shared"]) == (None, None, False)
        assert (row["rank_change"], row["points_change"]) == (None, None)
    assert by_code["pccc-nghean"]["verified"] == 1


def test_ranking_report_leaves_rank_and_band_empty_for_incomplete_units(demo):
    compact = verify_2018_partly()
    standings = selectors.standings_for(compact)
    content = ranking_workbook(
        standings, selectors.report_data(compact), day=datetime.date(2018, 11, 28)
    )
    sheet = load_workbook(io.BytesIO(content), data_only=True).active

    header = next(r for r in sheet.iter_rows() if r[1].value == "Đơn vị")
    columns = {cell.value: cell.column for cell in header}
    rows = {sheet.cell(r, 2).value: r for r in range(header[0].row + 1, header[0].row + 9)}
    full = {row.unit.code: row.full_name for row in standings.rows}

    def cells(code):
        r = rows[full[code]]
        return tuple(
            sheet.cell(r, columns[name]).value for name in ("Xếp hạng", "Xếp loại", "Ghi chú")
        )

    assert cells("pccc-khanhhoa")[:2] == (1, "Xuất sắc")
    rank, band, note = cells("pccc-nghean")
    assert (rank, band) == (None, None)
    assert note == "Chưa thẩm định xong (1/23 tiêu chí): chưa xếp hạng, điểm tạm tính"
    assert "Bằng điểm" not in (cells("pccc-quangninh")[2] or "")


def test_unit_report_says_the_unit_is_not_completely_verified(client, demo):
    compact = verify_2018_partly()
    nghean = Unit.objects.get(code="pccc-nghean")

    content = (
        login(client, "lanhdao")
        .get(reverse("scoring:unit_report", args=[compact.pk, nghean.pk]))
        .content.decode()
    )

    assert "Đơn vị chưa thẩm định xong: 1/23 tiêu chí đã thẩm định." in text_of(content)
    # The years table: 2017 with its rank and band, 2018 without either.
    years = text_of(content.split('<th scope="col">Năm</th>')[1].split("</table>")[0])
    assert "2018 Cụm thi đua số 12 đang thẩm định: 1/23 tiêu chí · chưa xếp hạng" in years


def test_overview_shows_completeness_and_only_ranked_units(client, demo):
    verify_2018_partly()
    national = UserFactory()
    UserRoleFactory(user=national, role="viewer", cluster=None)
    client.force_login(national)

    content = text_of(client.get(reverse("scoring:overview") + "?year=2018").content.decode())

    assert "Xếp hạng tạm thời: 1/8 đơn vị đã thẩm định xong" in content
    assert "1. PC07 Khánh Hòa" in content
    assert "PC07 Nghệ An" not in content


def draft_2019():
    cluster = Cluster.objects.get(number=12)
    Compact.objects.create(cluster=cluster, year=2019)


def test_overview_opens_the_latest_year_with_results(client, demo):
    draft_2019()  # a new year, nothing scored
    login(client, "lanhdao")

    # 2018 is being scored but nothing is verified yet: 2017's final results.
    content = client.get(reverse("scoring:overview")).content.decode()
    assert "Đơn vị dẫn đầu năm 2017" in content
    assert '<option value="2019">' in content  # the other years stay one choice away

    # As soon as a 2018 score is verified, 2018 is the year with results.
    verify_2018_partly(complete=(), partial=("pccc-nghean",))
    content = client.get(reverse("scoring:overview")).content.decode()
    assert "Đơn vị dẫn đầu năm 2018" in content

    # The year asked for is the year shown, even an empty draft.
    content = client.get(reverse("scoring:overview") + "?year=2019").content.decode()
    assert "Đơn vị dẫn đầu năm 2019" in content


def start_year_post(**extra):
    units = list(Unit.objects.filter(memberships__year=2018))  # the eight members
    return {
        "year": 2019,
        "source": Compact.objects.get(year=2018).pk,
        "units": [u.pk for u in units],
        "leader": Unit.objects.get(code="pccc-nghean").pk,
        "deputy": Unit.objects.get(code="pccc-quangninh").pk,
    } | extra


def test_starting_a_year_while_one_is_scored_asks_for_confirmation(client, demo):
    cluster = Cluster.objects.get(number=12)
    url = reverse("scoring:start_year", args=[cluster.pk])
    login(client, "thuky")

    page = text_of(client.get(url).content.decode())
    assert "Năm 2018 vẫn đang chấm điểm" in page
    assert "0/8 đơn vị đã thẩm định xong" in page
    assert "Tôi biết năm 2018 vẫn đang chấm điểm và vẫn muốn bắt đầu năm mới" in page

    refused = client.post(url, start_year_post())
    assert refused.status_code == 200
    assert "Năm 2018 vẫn đang chấm điểm: đánh dấu ô xác nhận" in refused.content.decode()
    assert not Compact.objects.filter(year=2019).exists()
    assert not Membership.objects.filter(year=2019).exists()

    confirmed = client.post(url, start_year_post(confirm_unfinished="1"))
    compact = Compact.objects.get(year=2019)
    assert confirmed["Location"] == reverse("scoring:compact", args=[compact.pk])
    assert compact.status == "draft"
    assert Criterion.objects.filter(compact=compact).count() == (
        Criterion.objects.filter(compact__year=2018).count()
    )
    assert Membership.objects.filter(year=2019).count() == 8


def test_starting_a_year_after_a_finalized_one_needs_no_confirmation(client, demo):
    Compact.objects.get(year=2018).delete()
    Membership.objects.filter(year=2018).delete()
    Score.objects.filter(compact__year=2018).delete()
    cluster = Cluster.objects.get(number=12)
    login(client, "thuky")

    page = client.get(reverse("scoring:start_year", args=[cluster.pk])).content.decode()
    assert "vẫn đang chấm điểm" not in page
    units = list(Unit.objects.filter(memberships__year=2017))  # the eight members
    client.post(
        reverse("scoring:start_year", args=[cluster.pk]),
        {"year": 2018, "source": Compact.objects.get(year=2017).pk, "units": [u.pk for u in units]},
    )
    assert Compact.objects.filter(year=2018, status="draft").exists()
