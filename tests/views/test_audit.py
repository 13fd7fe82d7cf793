"""The audit trail: every change, who, when, old → new, why — on a page, per cell, in Excel."""

import html
import io
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from scoring import audit, lifecycle, services
from scoring.models import Criterion
from scoring.ranking import Side
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_sheet_save_appears_with_who_old_new_and_reason(client, c2018):
    quangninh = Unit.objects.get(code="pccc-quangninh")
    criterion = Criterion.objects.get(compact=c2018, code="I.1")
    login(client, "thuky").post(
        reverse("scoring:sheet", args=[c2018.pk]),
        {
            f"v-{quangninh.pk}-{criterion.pk}": "30",
            f"ver-{quangninh.pk}-{criterion.pk}": "1",
            f"n-{quangninh.pk}-{criterion.pk}": "Thiếu minh chứng",
        },
    )

    entry = audit.score_history(c2018, unit_id=quangninh.pk, criterion_id=criterion.pk)[0]
    assert entry.user == "Thư ký Cụm 12"
    changes = {c.field: (c.old, c.new) for c in entry.changes}
    assert changes["giá trị thẩm định"] == ("—", "30")
    assert changes["lý do thẩm định"] == ("—", "Thiếu minh chứng")

    page = client.get(reverse("scoring:audit", args=[c2018.pk]) + "?kind=score").content.decode()
    assert "PC07 Quảng Ninh — I.1" in page
    assert "Thiếu minh chứng" in page


def test_transitions_and_amendments_carry_their_reason(client, c2018):
    thuky = c2018.cluster.user_roles.get(role="secretariat").user
    lifecycle.change_status(
        compact=c2018,
        target="scoring_closed",
        user=thuky,
        is_administrator=False,
        reason="Hết hạn chấm điểm",
    )
    entries = audit.audit_log(c2018, kinds=["compact"])
    assert entries[0].reason == "Hết hạn chấm điểm"
    assert entries[0].changes[0].new == "đã khóa chấm điểm"


def test_score_history_page_follows_roles(client, c2018):
    quangninh = Unit.objects.get(code="pccc-quangninh")
    nghean = Unit.objects.get(code="pccc-nghean")
    criterion = Criterion.objects.get(compact=c2018, code="I.1")

    def url(unit):
        return reverse("scoring:score_history", args=[c2018.pk, unit.pk, criterion.pk])

    login(client, "pccc_nghean")
    assert "Lịch sử I.1 của PC07 Nghệ An" in client.get(url(nghean)).content.decode()
    assert client.get(url(quangninh)).status_code == 404
    client.logout()
    page = login(client, "lanhdao").get(url(quangninh))
    assert page.status_code == 200
    assert "Lịch sử I.1 của PC07 Quảng Ninh" in page.content.decode()


def test_audit_export_lists_each_changed_field(client, c2018):
    unit = Unit.objects.get(code="pccc-binhdinh")
    criterion = Criterion.objects.get(compact=c2018, code="I.2")
    services.record_scores(
        compact=c2018,
        user=None,
        side=Side.VERIFIED,
        cells=[services.CellInput(unit.pk, criterion.pk, "35", None, 0)],
    )
    response = login(client, "lanhdao").get(reverse("scoring:audit_export", args=[c2018.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=9)]
    assert any(
        r[4] == "PC07 Bình Định — I.2" and r[5] == "giá trị thẩm định" and r[7] == "35"
        for r in rows
    )
    assert sheet["A5"].value == "NHẬT KÝ THAY ĐỔI DỮ LIỆU THI ĐUA NĂM 2018"


def test_officers_cannot_read_the_audit_trail(client, c2018):
    login(client, "pccc_nghean")
    assert client.get(reverse("scoring:audit", args=[c2018.pk])).status_code == 404
    assert client.get(reverse("scoring:audit_export", args=[c2018.pk])).status_code == 404


@pytest.mark.parametrize("edits", [1, 30])
def test_audit_page_queries_do_not_grow(client, c2018, django_assert_max_num_queries, edits):
    unit = Unit.objects.get(code="pccc-binhdinh")
    leaves = list(Criterion.objects.filter(compact=c2018).leaves().filter(kind="judged"))[:edits]
    services.record_scores(
        compact=c2018,
        user=None,
        side=Side.VERIFIED,
        cells=[services.CellInput(unit.pk, c.pk, str(D(1)), None, 0) for c in leaves],
    )
    login(client, "lanhdao")
    # One query per kind of record (scoring/audit.py TRACKED, the review's included).
    with django_assert_max_num_queries(24):
        response = client.get(reverse("scoring:audit", args=[c2018.pk]))
    content = html.unescape(response.content.decode())
    assert {c.code for c in leaves} <= set(re.findall(r"PC07 Bình Định — ([\w.]+)", content))


def test_a_change_shows_only_the_fields_that_changed(c2018):
    quangninh = Unit.objects.get(code="pccc-quangninh")  # self-assessed by the demo
    criterion = Criterion.objects.get(compact=c2018, code="I.2")
    services.record_scores(
        compact=c2018,
        user=None,
        side=Side.VERIFIED,
        cells=[services.CellInput(quangninh.pk, criterion.pk, "30", "Thiếu biên bản", 1)],
    )
    entry = audit.score_history(c2018, unit_id=quangninh.pk, criterion_id=criterion.pk)[0]
    assert [(c.field, c.old, c.new) for c in entry.changes] == [
        ("giá trị thẩm định", "—", "30"),
        ("điểm thẩm định", "—", "30"),
        ("lý do thẩm định", "—", "Thiếu biên bản"),
    ]


def verified_by_the_secretariat(compact):
    """Quảng Ninh's I.2 verified at 29 by the secretariat: (who, unit, criterion)."""
    thuky = compact.cluster.user_roles.get(role="secretariat").user
    quangninh = Unit.objects.get(code="pccc-quangninh")
    criterion = Criterion.objects.get(compact=compact, code="I.2")
    services.record_scores(
        compact=compact,
        user=thuky,
        side=Side.VERIFIED,
        cells=[services.CellInput(quangninh.pk, criterion.pk, "29", "Thiếu minh chứng", 1)],
    )
    return thuky, quangninh, criterion


def test_a_change_by_an_account_deactivated_since_still_names_who_made_it(client, c2018):
    """Accounts are locked when their unit merges away; their past changes keep their name."""
    thuky, quangninh, criterion = verified_by_the_secretariat(c2018)
    thuky.is_active = False
    thuky.save(update_fields=["is_active"])

    entry = audit.score_history(c2018, unit_id=quangninh.pk, criterion_id=criterion.pk)[0]
    assert entry.user == "Thư ký Cụm 12"
    assert audit.audit_log(c2018, kinds=["score"])[0].user == "Thư ký Cụm 12"


def test_a_cell_history_reads_only_the_names_it_shows(c2018, django_user_model):
    """Nationwide there are thousands of accounts and hundreds of criteria: one cell's history
    reads its own unit, criterion and authors, not every name."""
    django_user_model.objects.bulk_create(
        django_user_model(username=f"officer{i}", first_name=f"Cán bộ {i}") for i in range(50)
    )
    thuky, quangninh, criterion = verified_by_the_secretariat(c2018)

    with CaptureQueriesContext(connection) as queries:
        entries = audit.score_history(c2018, unit_id=quangninh.pk, criterion_id=criterion.pk)
    assert entries[0].user == "Thư ký Cụm 12"
    assert {e.subject for e in entries} == {"PC07 Quảng Ninh — I.2"}

    def reads(table):
        return [q["sql"] for q in queries if f'FROM "{table}"' in q["sql"]]

    (people,) = reads("auth_user")
    assert f'"auth_user"."id" IN ({thuky.pk})' in people
    (members,) = reads("units_membership")
    assert f'"units_membership"."unit_id" IN ({quangninh.pk})' in members
    (codes,) = reads("scoring_criterion")
    assert f'"scoring_criterion"."id" IN ({criterion.pk})' in codes
