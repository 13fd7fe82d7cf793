"""The sheet's save as its script posts it, asking for JSON: the saved cells as stored, their
units' subtotals and totals, or the refused cells; in a constant number of queries."""

import json
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from scoring import selectors
from scoring.models import Score
from scoring.templatetags.points import points
from tests.views.test_relative_sheet import relative_compact
from tests.views.test_sheet_queries import SAVE_QUERIES, SIZES, scored_compact

pytestmark = pytest.mark.django_db

# The save's queries, then the sheet's selector for the saved units and their names.
ANSWER_QUERIES = SAVE_QUERIES + 9


def post_json(client, compact, cells):
    return client.post(
        reverse("scoring:sheet", args=[compact.pk]),
        {"cells": json.dumps(cells)},
        headers={"accept": "application/json"},
    )


@pytest.mark.parametrize(("units", "groups", "per_group"), SIZES)
def test_json_save_answers_the_stored_cells_and_totals_in_constant_queries(
    client, django_assert_max_num_queries, units, groups, per_group
):
    compact, members, leaves, user = scored_compact(units, groups, per_group)
    client.force_login(user)
    judged = [leaf for leaf in leaves if leaf.kind == "judged"]
    cells = [[unit.pk, leaf.pk, "0.5", 1, "Đối chiếu"] for unit in members[:2] for leaf in judged]

    with django_assert_max_num_queries(ANSWER_QUERIES):
        response = post_json(client, compact, cells)

    answer = response.json()
    assert (response.status_code, answer["saved"], answer["reload"]) == (200, True, False)
    assert answer["message"] == f"Đã lưu {len(cells)} ô điểm."
    assert sorted((c["unit"], c["criterion"]) for c in answer["cells"]) == sorted(
        (unit_id, leaf_id) for unit_id, leaf_id, *_ in cells
    )
    assert {(c["value"], c["points"], c["note"], c["version"]) for c in answer["cells"]} == {
        ("0,5", "0.5", "Đối chiếu", 2)
    }
    expected = {}
    with translation.override("vi"):
        for membership, totals in selectors.unit_totals(compact):
            expected[membership.unit_id] = points(totals.total)
    assert {u["unit"]: u["totals"]["total"] for u in answer["units"]} == {
        m.pk: expected[m.pk] for m in members[:2]
    }
    assert Score.objects.filter(compact=compact, verified_value=D("0.5")).count() == len(cells)


def test_json_save_refused_answers_each_cell_and_writes_nothing(client):
    compact, members, leaves, user = scored_compact(2, 1, 2)
    client.force_login(user)
    first, second = leaves[:2]
    cells = [
        [members[0].pk, first.pk, "5", 1, "Đối chiếu"],
        [members[0].pk, second.pk, "45", 1, None],
    ]

    response = post_json(client, compact, cells)

    answer = response.json()
    assert (response.status_code, answer["saved"]) == (400, False)
    assert answer["message"] == "Chưa lưu gì: 1 ô cần xem lại (đánh dấu đỏ)."
    assert answer["problems"] == [
        {
            "unit": members[0].pk,
            "criterion": second.pk,
            "message": "45 lớn hơn điểm tối đa 10.",
            "version": None,
        }
    ]
    assert set(Score.objects.filter(compact=compact).values_list("version", flat=True)) == {1}


def test_json_save_of_a_stale_version_answers_the_conflict_with_the_current_version(client):
    compact, members, leaves, user = scored_compact(2, 1, 2)
    Score.objects.filter(compact=compact, unit=members[0], criterion=leaves[0]).update(version=4)
    client.force_login(user)

    response = post_json(client, compact, [[members[0].pk, leaves[0].pk, "5", 1, "Đối chiếu"]])

    (problem,) = response.json()["problems"]
    assert (problem["criterion"], problem["version"]) == (leaves[0].pk, 4)
    assert "sau khi bạn mở trang" in problem["message"]
    again = post_json(client, compact, [[members[0].pk, leaves[0].pk, "5", 4, "Đối chiếu"]])
    assert again.json()["cells"][0]["version"] == 5


def test_json_save_of_a_relative_criterion_asks_for_a_reload_with_the_message(client):
    compact, members, relative, user = relative_compact(2, 1, 2)
    client.force_login(user)
    score = Score.objects.get(compact=compact, unit=members[0], criterion=relative[0])

    response = post_json(
        client, compact, [[members[0].pk, relative[0].pk, "12", score.version, None]]
    )

    assert response.json() == {"saved": True, "reload": True, "message": "Đã lưu 1 ô điểm."}
    page = client.get(reverse("scoring:sheet", args=[compact.pk])).content.decode()
    assert page.count("Đã lưu 1 ô điểm.") == 1


def test_form_post_without_the_script_saves_and_redirects(client):
    """Without the script the sheet posts as a plain form: the cell is saved with its reason
    and the page after the redirect says so."""
    compact, members, leaves, user = scored_compact(2, 1, 2)
    client.force_login(user)
    stored = Score.objects.get(compact=compact, unit=members[0], criterion=leaves[0])

    response = client.post(
        reverse("scoring:sheet", args=[compact.pk]),
        {
            f"v-{members[0].pk}-{leaves[0].pk}": "0,5",
            f"n-{members[0].pk}-{leaves[0].pk}": "Đối chiếu",
            f"ver-{members[0].pk}-{leaves[0].pk}": str(stored.version),
        },
        follow=True,
    )

    assert response.redirect_chain[0] == (reverse("scoring:sheet", args=[compact.pk]), 302)
    saved = Score.objects.get(pk=stored.pk)
    assert (saved.verified_value, saved.verified_note) == (D("0.5"), "Đối chiếu")
    assert saved.version == stored.version + 1
    assert "Đã lưu 1 ô điểm." in response.content.decode()


@pytest.mark.usefixtures("template_contexts")
def test_a_save_of_the_stored_values_says_nothing_changed(client):
    """Values typed back as they are stored (here "1,0" for 1) change nothing: the page says
    so, instead of "Đã lưu 0 ô điểm.", in the script's answer and after the form post."""
    compact, members, leaves, user = scored_compact(2, 1, 2)
    client.force_login(user)
    stored = Score.objects.get(compact=compact, unit=members[0], criterion=leaves[0])
    cells = [[members[0].pk, leaves[0].pk, "1,0", stored.version, stored.verified_note or None]]

    answer = post_json(client, compact, cells).json()
    page = client.post(
        reverse("scoring:sheet", args=[compact.pk]), {"cells": json.dumps(cells)}, follow=True
    )

    assert (answer["saved"], answer["message"]) == (True, "Không có thay đổi nào.")
    assert [str(m) for m in page.context["messages"]] == ["Không có thay đổi nào."]
    stored_after = Score.objects.get(pk=stored.pk)
    assert (stored_after.version, stored_after.verified_value) == (
        stored.version,
        stored.verified_value,
    )
