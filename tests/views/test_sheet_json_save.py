"""Saving the sheet's changed cells as one JSON field (what sheet.js posts): any number of
cells, read by a bounded parser; what cannot be read is refused in Vietnamese and nothing is
written; refusals and conflicts behave as with form fields. Also: pages leave gzipped."""

import gzip
import json
from decimal import Decimal as D

import pytest
from django.test import override_settings
from django.urls import reverse

from scoring.models import Score
from scoring.sheet_input import CELL_JSON_MAX_CHARS
from tests.factories import UserFactory, UserRoleFactory, build_scored_compact, secretariat_for

pytestmark = pytest.mark.django_db
UNREADABLE = "Không đọc được các ô đã sửa nên chưa lưu gì. Hãy tải lại trang rồi thử lại."


def scored(units=2, groups=2, per_group=2):
    return build_scored_compact(units=units, groups=groups, criteria_per_group=per_group)


def post_json(client, url, cells):
    text = cells if isinstance(cells, str) else json.dumps(cells)
    return client.post(url, {"cells": text}, follow=True)


def stored(compact):
    return sorted(
        Score.objects.filter(compact=compact).values_list(
            "unit_id", "criterion_id", "verified_value", "verified_note", "version"
        )
    )


def test_json_cells_save_values_and_reasons(client):
    compact, (a, b), criteria, _leaves = scored()
    client.force_login(secretariat_for(compact))
    g11, b1 = criteria["G1.1"], criteria["B.1"]

    response = post_json(
        client,
        reverse("scoring:sheet", args=[compact.pk]),
        [[a.pk, g11.pk, "7,5", 1, "Đối chiếu minh chứng"], [b.pk, b1.pk, "2", 1, None]],
    )

    assert "Đã lưu 2 ô điểm." in response.content.decode()
    first = Score.objects.get(unit=a, criterion=g11)
    assert (first.verified_value, first.verified_points, first.verified_note, first.version) == (
        D("7.5"),
        D("7.5"),
        "Đối chiếu minh chứng",
        2,
    )
    bonus = Score.objects.get(unit=b, criterion=b1)
    assert (bonus.verified_points, bonus.verified_note) == (D(10), "")


def test_json_cells_with_a_stale_version_are_refused_as_form_fields_are(client):
    compact, (a, _b), criteria, _leaves = scored()
    client.force_login(secretariat_for(compact))
    g11, g12 = criteria["G1.1"], criteria["G1.2"]
    before = stored(compact)

    response = post_json(
        client,
        reverse("scoring:sheet", args=[compact.pk]),
        [[a.pk, g11.pk, "5", 1, None], [a.pk, g12.pk, "6", 0, None]],
    )

    content = response.content.decode()
    assert "Chưa lưu gì: 1 ô cần xem lại" in content
    assert f'name="ver-{a.pk}-{g12.pk}" value="1"' in content  # saving again overwrites
    assert f'name="v-{a.pk}-{g11.pk}" value="5"' in content  # what was typed is kept
    assert stored(compact) == before


@pytest.mark.parametrize(
    "cells",
    [
        "{not json",
        '{"cells": []}',
        "[[1, 2, 3]]",
        '[["1", 2, "3", 1, null]]',
        "[[1, 2, 3, 1, null]]",
        '[[1, 2, "3", true, null]]',
        '[[1, 2, "3", -1, null]]',
        '[[1, 2, "3", 1.5, null]]',
        '[[0, 2, "3", 1, null]]',
        '[[1, 2, "3", 1, 7]]',
        '[[1, 99999999999999999999, "3", 1, null]]',
        "[" * 10_000 + "]" * 10_000,
    ],
    ids=[
        "not-json",
        "not-a-list",
        "short-row",
        "id-as-text",
        "value-as-number",
        "version-as-bool",
        "negative-version",
        "fractional-version",
        "zero-id",
        "note-as-number",
        "id-too-large",
        "deeply-nested",
    ],
)
def test_unreadable_json_cells_are_refused_and_nothing_is_written(client, cells):
    compact, (a, _b), criteria, _leaves = scored()
    client.force_login(secretariat_for(compact))
    before = stored(compact)
    if "1, 2" in cells:  # real ids, so that only the shape is wrong
        cells = cells.replace("1, 2", f"{a.pk}, {criteria['G1.1'].pk}", 1)

    response = post_json(client, reverse("scoring:sheet", args=[compact.pk]), cells)

    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
    assert stored(compact) == before


def test_a_cell_given_twice_is_refused(client):
    compact, (a, _b), criteria, _leaves = scored()
    client.force_login(secretariat_for(compact))
    before = stored(compact)
    cell = [a.pk, criteria["G1.1"].pk, "5", 1, None]

    response = post_json(client, reverse("scoring:sheet", args=[compact.pk]), [cell, cell])

    assert UNREADABLE in response.content.decode()
    assert stored(compact) == before


def test_more_cells_than_the_sheet_has_are_refused_before_reading(client):
    compact, (a, b), _criteria, leaves = scored()  # 2 units × 6 leaves
    client.force_login(secretariat_for(compact))
    before = stored(compact)
    cells = [[unit.pk, leaf.pk, "1", 1, None] for unit in (a, b) for leaf in leaves]
    cells.append([a.pk, 10**9, "1", 0, None])

    too_many = post_json(client, reverse("scoring:sheet", args=[compact.pk]), cells)
    too_long = post_json(
        client,
        reverse("scoring:sheet", args=[compact.pk]),
        json.dumps([[a.pk, leaves[0].pk, "1", 1, "x" * (13 * CELL_JSON_MAX_CHARS)]]),
    )

    message = "Số ô gửi lên nhiều hơn số ô của bảng này (12) nên chưa lưu gì."
    assert message in too_many.content.decode()
    assert message in too_long.content.decode()
    assert stored(compact) == before


def test_a_unit_page_takes_at_most_its_own_column(client):
    compact, (a, b), _criteria, leaves = scored()
    client.force_login(secretariat_for(compact))
    before = stored(compact)
    cells = [[a.pk, leaf.pk, "1", 1, None] for leaf in leaves]
    cells.append([b.pk, leaves[0].pk, "1", 1, None])

    response = post_json(client, reverse("scoring:unit", args=[compact.pk, a.pk]), cells)

    assert "Số ô gửi lên nhiều hơn số ô của bảng này (6) nên chưa lưu gì." in (
        response.content.decode()
    )
    assert stored(compact) == before


def test_a_unit_officer_saves_self_assessed_cells_as_json(client):
    compact, (a, _b), criteria, _leaves = scored()
    officer = UserFactory()
    UserRoleFactory(user=officer, role="officer", unit=a)
    client.force_login(officer)
    g11 = criteria["G1.1"]

    response = post_json(
        client, reverse("scoring:self", args=[compact.pk]), [[a.pk, g11.pk, "8", 1, "KH 12"]]
    )

    assert "Đã lưu 1 ô điểm." in response.content.decode()
    score = Score.objects.get(unit=a, criterion=g11)
    assert (score.self_value, score.self_note) == (D(8), "KH 12")


@pytest.mark.parametrize(("units", "groups", "per_group"), [(2, 1, 3), (6, 3, 5)])
def test_json_save_queries_do_not_grow_with_the_cells(
    client, django_assert_max_num_queries, units, groups, per_group
):
    from tests.views.test_sheet_queries import SAVE_QUERIES

    compact, members, _criteria, leaves = scored(units, groups, per_group)
    client.force_login(secretariat_for(compact))
    cells = [[u.pk, leaf.pk, "0", 1, "Đối chiếu"] for u in members for leaf in leaves]

    with django_assert_max_num_queries(SAVE_QUERIES + 2):  # the sheet's size: two counts
        response = client.post(
            reverse("scoring:sheet", args=[compact.pk]), {"cells": json.dumps(cells)}
        )

    assert response.status_code == 302
    assert set(Score.objects.filter(compact=compact).values_list("version", flat=True)) == {2}


def test_a_whole_sheet_of_more_fields_than_a_request_may_carry_saves_as_json(client, settings):
    compact, members, _criteria, leaves = scored(units=4, groups=2, per_group=4)  # 40 cells
    client.force_login(secretariat_for(compact))
    url = reverse("scoring:sheet", args=[compact.pk])
    fields = {}
    for u in members:
        for leaf in leaves:
            fields[f"v-{u.pk}-{leaf.pk}"] = "0"
            fields[f"n-{u.pk}-{leaf.pk}"] = "Đối chiếu"
            fields[f"ver-{u.pk}-{leaf.pk}"] = "1"
    cells = [[u.pk, leaf.pk, "0", 1, "Đối chiếu"] for u in members for leaf in leaves]

    with override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=len(fields) - 1):
        as_fields = client.post(url, fields)
        as_json = client.post(url, {"cells": json.dumps(cells)})

    assert as_fields.status_code == 400  # Django refuses that many fields
    assert as_json.status_code == 302
    assert Score.objects.filter(compact=compact, verified_points=0, version=2).count() == len(cells)


def test_pages_leave_gzipped_and_downloads_do_not(client):
    compact, _members, _criteria, _leaves = scored()
    client.force_login(secretariat_for(compact))

    page = client.get(reverse("scoring:sheet", args=[compact.pk]), HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(reverse("scoring:sheet", args=[compact.pk]))
    export = client.get(
        reverse("scoring:export", args=[compact.pk, "matrix"]), HTTP_ACCEPT_ENCODING="gzip"
    )

    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    assert gzip.decompress(page.content).decode().count('class="cell-input ') == 2 * 6
    assert "Content-Encoding" not in plain
    assert "Content-Encoding" not in export


def test_the_saved_count_is_shown_grouped(client):
    compact, members, _criteria, leaves = scored(units=8, groups=2, per_group=63)
    client.force_login(secretariat_for(compact))
    cells = [[u.pk, leaf.pk, "0", 1, "Đối chiếu"] for u in members for leaf in leaves]

    response = post_json(client, reverse("scoring:sheet", args=[compact.pk]), cells)

    assert len(cells) > 1000
    grouped = f"{len(cells):,}".replace(",", ".")  # 1.024, not 1024
    assert f"Đã lưu {grouped} ô điểm." in response.content.decode()
