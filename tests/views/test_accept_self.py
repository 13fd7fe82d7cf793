"""Accepting a unit's self-assessment from its page: a confirmation that lists the
corrections it would overwrite (kept by default), then the chosen ones applied."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion, Score
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


@pytest.fixture
def setup(demo):
    """Thanh Hóa (self-assessed, submitted): I.1 corrected by the secretariat to 30 with a
    reason; everything else not verified yet."""
    compact = Compact.objects.get(year=2018)
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")
    i1 = Criterion.objects.get(compact=compact, code="I.1")
    score = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i1)
    assert score.self_points != D(30)
    score.verified_value = score.verified_points = D(30)
    score.verified_note = "Thiếu văn bản chỉ đạo"
    score.save()
    return compact, thanhhoa, i1


def url(compact, unit, **query):
    base = reverse("scoring:accept", args=[compact.pk, unit.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def verified(compact, unit):
    return {
        s.criterion.code: (s.verified_points, s.verified_note)
        for s in Score.objects.filter(compact=compact, unit=unit).select_related("criterion")
    }


def self_assessed(compact, unit):
    return Score.objects.filter(compact=compact, unit=unit, self_value__isnull=False).count()


def test_unit_page_buttons_open_the_confirmation(client, setup):
    compact, thanhhoa, _i1 = setup
    client.login(username="thuky", password=PASSWORD)

    content = client.get(reverse("scoring:unit", args=[compact.pk, thanhhoa.pk])).content.decode()

    action = f'action="{url(compact, thanhhoa)}"'
    assert f'<form method="get" {action}>' in content
    group = Criterion.objects.get(compact=compact, code="II")
    assert f'<form id="accept-{group.pk}" method="get" {action} hidden>' in content


def test_confirmation_lists_the_correction_and_changes_nothing(client, setup):
    compact, thanhhoa, i1 = setup
    before = verified(compact, thanhhoa)
    client.login(username="thuky", password=PASSWORD)

    content = client.get(url(compact, thanhhoa)).content.decode()

    assert verified(compact, thanhhoa) == before
    assert "Chấp nhận điểm tự chấm" in content
    fills = self_assessed(compact, thanhhoa) - 1
    assert f"{fills} tiêu chí chưa có điểm thẩm định sẽ nhận điểm tự chấm." in content
    assert "1 ô điểm thẩm định khác điểm tự chấm: được giữ nguyên" in content
    row = content[content.index(f'<tr data-crit="{i1.pk}">') :]
    row = row[: row.index("</tr>")]
    self_points = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i1).self_points
    assert f'name="overwrite" value="{i1.pk}"' in row
    assert "checked" not in row  # kept unless ticked
    assert i1.title in row
    assert "Thiếu văn bản chỉ đạo" in row
    assert ">30<" in row
    assert self_points == D(40)
    assert "→ 40<" in row
    assert content.count('name="overwrite"') == 1


def test_accepting_without_ticks_keeps_the_correction(client, setup):
    compact, thanhhoa, i1 = setup
    client.login(username="thuky", password=PASSWORD)

    response = client.post(url(compact, thanhhoa), {f"ver-{i1.pk}": "2"}, follow=True)

    changed = self_assessed(compact, thanhhoa) - 1
    assert f"{changed} ô điểm thay đổi, giữ 1 ô đã sửa" in response.content.decode()
    after = verified(compact, thanhhoa)
    assert after["I.1"] == (D(30), "Thiếu văn bản chỉ đạo")
    assert sum(1 for points, _note in after.values() if points is not None) == changed + 1
    history = client.get(
        reverse("scoring:score_history", args=[compact.pk, thanhhoa.pk, i1.pk])
    ).content.decode()
    assert "Đã chấp nhận điểm tự chấm, giữ điểm thẩm định đã sửa" in history


def test_accepting_with_the_correction_ticked_overwrites_it(client, setup):
    compact, thanhhoa, i1 = setup
    score = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i1)
    client.login(username="thuky", password=PASSWORD)

    client.post(url(compact, thanhhoa), {"overwrite": i1.pk, f"ver-{i1.pk}": score.version})

    score.refresh_from_db()
    assert (score.verified_points, score.verified_note) == (score.self_points, "")
    history = client.get(
        reverse("scoring:score_history", args=[compact.pk, thanhhoa.pk, i1.pk])
    ).content.decode()
    assert "Đã chấp nhận điểm tự chấm, ghi đè điểm thẩm định đã sửa" in history


def test_a_stale_confirmation_changes_nothing_and_says_why(client, setup):
    compact, thanhhoa, i1 = setup
    score = Score.objects.get(compact=compact, unit=thanhhoa, criterion=i1)
    client.login(username="thuky", password=PASSWORD)
    before = verified(compact, thanhhoa)

    response = client.post(
        url(compact, thanhhoa), {"overwrite": i1.pk, f"ver-{i1.pk}": score.version - 1}
    )

    assert response.status_code == 200
    assert "Chưa có gì thay đổi: I.1 đã được sửa sau khi bạn mở trang này." in (
        response.content.decode()
    )
    assert verified(compact, thanhhoa) == before


def test_a_group_confirmation_lists_only_that_group(client, setup):
    compact, thanhhoa, _i1 = setup
    group = Criterion.objects.get(compact=compact, code="II")
    client.login(username="thuky", password=PASSWORD)

    content = client.get(url(compact, thanhhoa, group=group.pk)).content.decode()
    assert 'name="overwrite"' not in content  # I.1 is not in group II
    client.post(url(compact, thanhhoa), {"group": group.pk})

    after = verified(compact, thanhhoa)
    done = sorted(code for code, (points, _n) in after.items() if points is not None)
    group_ii = [
        c.code for c in Criterion.objects.filter(compact=compact).leaves() if c.code[:3] == "II."
    ]
    assert done == sorted(["I.1", *group_ii])


def test_leader_and_officer_cannot_open_or_apply_it(client, setup):
    compact, thanhhoa, _i1 = setup
    before = verified(compact, thanhhoa)
    client.login(username="lanhdao", password=PASSWORD)
    assert client.get(url(compact, thanhhoa)).status_code == 403
    assert client.post(url(compact, thanhhoa)).status_code == 403
    client.logout()
    client.login(username="pccc_thanhhoa", password=PASSWORD)
    assert client.get(url(compact, thanhhoa)).status_code == 404
    assert client.post(url(compact, thanhhoa)).status_code == 404
    assert verified(compact, thanhhoa) == before
