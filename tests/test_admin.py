"""The administration: every model listed, the demo visible, bad input refused in Vietnamese."""

import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from scoring.models import Compact, Criterion, Score
from tests.factories import CompactFactory, CriterionFactory
from tests.test_forms_unchanged import FormReader
from units.models import Membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "units/cluster",
        "units/unit",
        "units/membership",
        "units/userrole",
        "scoring/compact",
        "scoring/criterion",
        "scoring/score",
        "scoring/target",
    ],
)
@pytest.mark.usefixtures("template_contexts")
def test_admin_changelists_list_every_row(admin_client, demo, model):
    listed = apps.get_model(*model.split("/")).objects.order_by("pk")

    response = admin_client.get(f"/admin/{model}/")

    assert response.context["cl"].result_count == listed.count() > 0
    assert escape(str(listed.last())) in response.content.decode()


def test_admin_lists_the_eight_members_with_their_roles(admin_client, demo):
    response = admin_client.get(reverse("admin:units_membership_changelist") + "?year=2017")
    content = response.content.decode()
    for province in [
        "Thanh Hóa",
        "Khánh Hòa",
        "Nghệ An",
        "Quảng Ninh",
        "Bình Định",
        "Quảng Ngãi",
        "Huế",  # Thừa Thiên Huế's division, named after the city since 1/1/2025
        "Bà Rịa - Vũng Tàu",
    ]:
        assert f"PC07 {province}" in content
    assert content.count('field-role">cụm trưởng<') == 1
    assert content.count('field-role">cụm phó<') == 1
    assert content.count('field-role">thành viên<') == 6


def test_admin_compact_shows_its_scheme(admin_client, demo):
    compact = Compact.objects.get(year=2017)
    response = admin_client.get(reverse("admin:scoring_compact_change", args=[compact.pk]))
    content = response.content.decode()
    assert "Đoàn kết, đổi mới" in content
    assert "Tuyên truyền, phổ biến kiến thức PCCC" in content
    assert "Điểm thưởng (tối đa 50 điểm)" in content


@pytest.mark.parametrize("size", [20, 160])
def test_admin_compact_lists_its_scheme_read_only_in_the_same_queries_whatever_its_size(
    admin_client, django_assert_max_num_queries, size
):
    """The scheme is edited on the application's scheme page: here each criterion is a line
    with a link to its own page, not a form offering every criterion as its parent."""
    compact = CompactFactory()
    root = CriterionFactory(compact=compact, code="I", title="Phần I")
    Criterion.objects.bulk_create(
        Criterion(
            compact=compact,
            parent=root,
            code=f"I.{n}",
            title=f"Tiêu chí số {n}",
            kind="judged",
            max_points=Decimal("1.5"),
            position=n + 1,
        )
        for n in range(1, size)
    )
    last = Criterion.objects.get(compact=compact, code=f"I.{size - 1}")

    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:scoring_compact_change", args=[compact.pk]))

    content = response.content.decode()
    assert f"Tiêu chí số {size - 1}" in content
    assert reverse("admin:scoring_criterion_change", args=[last.pk]) in content
    assert ">1,50<" in content  # the points in Vietnamese
    # (each row's hidden id and compact, as for any inline: nothing to edit)
    assert not re.search(r'name="criteria-\d+-(?!id"|compact")', content)
    assert content.count("<option") < 60  # the compact's own fields' choices, not the scheme


def test_admin_saves_a_compact_but_no_criterion_through_its_list(admin_client, demo):
    """The compact's own fields save; criteria posted with the page (edited, deleted, one
    added) are ignored: they change on the scheme page, with its rules."""
    compact = Compact.objects.get(year=2018)
    url = reverse("admin:scoring_compact_change", args=[compact.pk])
    criteria = list(Criterion.objects.filter(compact=compact).order_by("pk").values())
    reader = FormReader()
    reader.feed(admin_client.get(url).content.decode())
    (form,) = [f for f in reader.forms if "slogan" in dict(f["fields"])]
    data = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    data["slogan"] = ["Khẩu hiệu mới"]
    data |= {"criteria-0-title": ["Giả mạo"], "criteria-0-max_points": ["999"]}
    data |= {"criteria-1-DELETE": ["on"], "criteria-TOTAL_FORMS": [str(len(criteria) + 1)]}
    data |= {f"criteria-{len(criteria)}-code": ["X"], f"criteria-{len(criteria)}-title": ["X"]}

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Compact.objects.get(pk=compact.pk).slogan == "Khẩu hiệu mới"
    assert list(Criterion.objects.filter(compact=compact).order_by("pk").values()) == criteria


def test_admin_refuses_a_second_leader_in_vietnamese(admin_client, demo):
    nghean = Membership.objects.get(year=2017, unit__code="pccc-nghean")
    url = reverse("admin:units_membership_change", args=[nghean.pk])

    response = admin_client.post(
        url, {"cluster": nghean.cluster_id, "unit": nghean.unit_id, "year": 2017, "role": "leader"}
    )

    assert response.status_code == 200
    assert "Cụm đã có đơn vị cụm trưởng trong năm này." in response.content.decode()
    nghean.refresh_from_db()
    assert nghean.role == "member"


def test_admin_refuses_a_score_above_the_maximum(admin_client, demo):
    score = Score.objects.filter(compact__year=2018, criterion__code="I.1").first()
    before = (score.self_value, score.self_points)
    url = reverse("admin:scoring_score_change", args=[score.pk])

    response = admin_client.post(
        url,
        {
            "compact": score.compact_id,
            "unit": score.unit_id,
            "criterion": score.criterion_id,
            "self_value": "45",
            "self_note": "",
            "verified_value": "",
            "verified_note": "",
        },
    )

    assert response.status_code == 200
    assert "45 lớn hơn điểm tối đa 40." in response.content.decode()
    score.refresh_from_db()
    assert (score.self_value, score.self_points) == before


def test_admin_score_saves_points_from_a_comma_value(admin_client, demo):
    score = Score.objects.filter(compact__year=2018, criterion__code="I.1").first()
    url = reverse("admin:scoring_score_change", args=[score.pk])

    response = admin_client.post(
        url,
        {
            "compact": score.compact_id,
            "unit": score.unit_id,
            "criterion": score.criterion_id,
            "self_value": "37,5",
            "self_note": "",
            "verified_value": "",
            "verified_note": "",
        },
    )

    assert response.status_code == 302
    score.refresh_from_db()
    assert str(score.self_points) == "37.50"
    assert score.version == 2


def test_admin_is_closed_to_non_staff(client, demo):
    client.login(username="thuky", password="demo-pass-123")
    response = client.get("/admin/scoring/score/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
