"""The scheme editor's rows, written in Python (scoring/templatetags/scheme.py): each
criterion's row with its level, ancestors, code as typed, kind, maximum and actions, every
value escaped; the actions only for those who may edit, a reason with each move once the
scheme is frozen."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion
from tests.factories import build_compact, secretariat_for
from units.models import UserRole

pytestmark = pytest.mark.django_db


def rows_of(client, compact):
    content = client.get(reverse("scoring:scheme", args=[compact.pk])).content.decode()
    return {int(pk): row for pk, row in re.findall(r'<tr id="c(\d+)"(.*?)</tr>', content, re.S)}


def test_a_draft_schemes_rows_show_the_tree_and_its_actions(client):
    compact, _units, criteria = build_compact(status=Compact.Status.DRAFT)
    group, leaf = criteria["G1"], criteria["G1.1"]
    Criterion.objects.filter(pk=leaf.pk).update(
        title='Tuyên truyền <b>"PCCC"</b>',
        guidance="Có <i>kế hoạch</i>",
        typed_code="1.a",
        disqualifying=True,
        max_points=Decimal("1.5"),
    )
    client.force_login(secretariat_for(compact))

    rows = rows_of(client, compact)

    assert (
        list(rows)
        == list(
            Criterion.objects.filter(compact=compact)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        != []
    )
    # (its leaves no longer add up to its maximum: the checks mark it)
    assert 'class="lvl-1 fw-semibold table-warning" data-anc=""' in rows[group.pk]
    assert f'data-collapse="{group.pk}"' in rows[group.pk]
    assert f'class="lvl-2" data-anc="{group.pk}"' in rows[leaf.pk]
    assert "collapse-toggle" not in rows[leaf.pk]
    assert 'title="G1.1">1.a</td>' in rows[leaf.pk]  # the code as typed, the stored one on hover
    assert "Tuyên truyền &lt;b&gt;&quot;PCCC&quot;&lt;/b&gt;" in rows[leaf.pk]
    assert "Có &lt;i&gt;kế hoạch&lt;/i&gt;" in rows[leaf.pk]
    assert '<span class="text-danger">không xét cờ</span>' in rows[leaf.pk]
    move = reverse("scoring:criterion_move", args=[compact.pk, leaf.pk])
    assert f'action="{move}"' in rows[leaf.pk]
    assert 'name="csrfmiddlewaretoken"' in rows[leaf.pk]
    assert 'name="reason"' not in rows[leaf.pk]  # a draft is changed without a reason
    assert f'href="?parent={leaf.pk}#add"' in rows[leaf.pk]
    assert reverse("scoring:criterion", args=[compact.pk, leaf.pk]) in rows[leaf.pk]


def test_a_frozen_scheme_moves_with_a_reason_and_a_reader_sees_no_action(client):
    compact, _units, criteria = build_compact(status=Compact.Status.IN_FORCE)
    leaf = criteria["G1.1"]
    client.force_login(secretariat_for(compact))
    assert (
        '<input type="hidden" name="reason" value="Sắp xếp lại">'
        in rows_of(client, compact)[leaf.pk]
    )

    reader = secretariat_for(compact)
    UserRole.objects.filter(user=reader).update(role="viewer")
    client.force_login(reader)
    row = rows_of(client, compact)[leaf.pk]
    assert "<form" not in row
    assert "/move/" not in row


def test_an_empty_scheme_says_how_to_begin(client):
    compact, _units, _criteria = build_compact(status=Compact.Status.DRAFT)
    Criterion.objects.filter(compact=compact).delete()
    client.force_login(secretariat_for(compact))
    content = client.get(reverse("scoring:scheme", args=[compact.pk])).content.decode()
    assert "Bảng tiêu chí còn trống: thêm nhóm đầu tiên ở dưới" in content
