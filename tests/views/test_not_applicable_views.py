"""The marking page of criteria not applicable to a unit: who may read and change it, what it
says, its refusals, and its queries at two sizes."""

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion, NotApplicable
from scoring.not_applicable import NewMark, save_not_applicable
from tests.factories import (
    UserFactory,
    UserRoleFactory,
    build_compact,
)
from units.models import Unit

pytestmark = pytest.mark.django_db


def page(compact):
    return reverse("scoring:not_applicable", args=[compact.pk])


def login(client, django_user_model, username):
    client.force_login(django_user_model.objects.get(username=username))
    return client


def leaf(compact, code):
    return Criterion.objects.get(compact=compact, code=code)


@pytest.mark.usefixtures("template_contexts")
def test_secretariat_marks_a_group_for_a_unit(client, django_user_model, c2018):
    login(client, django_user_model, "thuky")
    quangngai = Unit.objects.get(code="pccc-quangngai")
    before = set(NotApplicable.objects.filter(compact=c2018).values_list("pk", flat=True))
    seen = client.get(page(c2018)).context["form"]["seen"].value()

    response = client.post(
        page(c2018),
        {
            "unit": quangngai.pk,
            "criterion": leaf(c2018, "IV").pk,
            "reason": "Thử nghiệm",
            "seen": seen,
        },
        follow=True,
    )

    added = NotApplicable.objects.filter(compact=c2018).exclude(pk__in=before)
    assert sorted(m.criterion.code for m in added) == ["IV.1", "IV.2", "IV.3", "IV.4"]
    assert {(m.unit_id, m.reason) for m in added} == {(quangngai.pk, "Thử nghiệm")}
    content = response.content.decode()
    assert "Đã lưu 4 thay đổi." in content
    assert "Thử nghiệm" in content


def test_a_scored_cell_is_refused_with_a_vietnamese_message(client, django_user_model, c2018):
    login(client, django_user_model, "thuky")
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")  # self-assessed in the demo

    response = client.post(
        page(c2018),
        {"unit": thanhhoa.pk, "criterion": leaf(c2018, "I.1").pk, "reason": "Không có"},
    )

    assert response.status_code == 200
    assert "Đơn vị đã có điểm ở I.1" in response.content.decode()
    assert not NotApplicable.objects.filter(compact=c2018, unit=thanhhoa).exists()


@pytest.mark.usefixtures("template_contexts")
def test_a_stale_page_is_refused_and_shows_the_other_change(client, django_user_model, c2018):
    login(client, django_user_model, "thuky")
    seen = client.get(page(c2018)).context["form"]["seen"].value()
    nghean = Unit.objects.get(code="pccc-nghean")
    save_not_applicable(
        compact=c2018,
        user=None,
        add=NewMark(nghean.pk, leaf(c2018, "I.4").pk, "Người khác đánh dấu"),
    )
    binhdinh = Unit.objects.get(code="pccc-binhdinh")

    response = client.post(
        page(c2018),
        {
            "unit": binhdinh.pk,
            "criterion": leaf(c2018, "I.4").pk,
            "reason": "Của tôi",
            "seen": seen,
        },
    )

    assert "Người khác đánh dấu" in response.content.decode()
    assert not NotApplicable.objects.filter(compact=c2018, unit=binhdinh).exists()


def test_leader_reads_but_may_not_post(client, django_user_model, c2018):
    login(client, django_user_model, "lanhdao")
    quangngai = Unit.objects.get(code="pccc-quangngai")
    marks = set(NotApplicable.objects.values_list("pk", "unit", "criterion", "reason"))

    content = client.get(page(c2018)).content.decode()
    response = client.post(
        page(c2018),
        {"unit": quangngai.pk, "criterion": leaf(c2018, "IV").pk, "reason": "Thử nghiệm"},
    )

    assert "Điểm tối đa của từng đơn vị" in content  # the units' maxima, read-only
    assert "Thư ký Cụm thay đổi được các đánh dấu" in content
    assert 'name="reason"' not in content
    assert response.status_code == 403
    assert set(NotApplicable.objects.values_list("pk", "unit", "criterion", "reason")) == marks


def test_unit_officer_and_outsider_get_404(client, django_user_model, c2018):
    login(client, django_user_model, "pccc_nghean")
    assert client.get(page(c2018)).status_code == 404

    client.force_login(UserFactory())
    assert client.get(page(c2018)).status_code == 404


def test_after_scoring_closed_the_page_reads_only(client, django_user_model, demo):
    compact = Compact.objects.get(year=2017)  # finalized
    login(client, django_user_model, "thuky")

    content = client.get(page(compact)).content.decode()
    assert "cho đến khi kết thúc chấm điểm" in content
    assert 'name="reason"' not in content
    client.post(page(compact), {"unit": "", "criterion": "", "reason": "x"})
    assert not NotApplicable.objects.filter(compact=compact).exists()


@pytest.mark.parametrize(("units", "per_group"), [(2, 2), (10, 12)])
def test_page_queries_do_not_grow(client, django_assert_max_num_queries, units, per_group):
    compact, members, cr = build_compact(units=units, criteria_per_group=per_group)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    for unit in members:
        save_not_applicable(
            compact=compact, user=user, add=NewMark(unit.pk, cr["G1.1"].pk, "Không có cảng")
        )
    client.force_login(user)

    with django_assert_max_num_queries(12):
        response = client.get(page(compact))

    assert response.content.decode().count("Không có cảng") == units


@pytest.mark.usefixtures("template_contexts")
def test_posting_unchanged_changes_nothing(client, django_user_model, c2018):
    login(client, django_user_model, "thuky")
    before = list(NotApplicable.objects.filter(compact=c2018).values())
    form = client.get(page(c2018)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}

    response = client.post(page(c2018), data, follow=True)

    assert "Không có thay đổi nào." in response.content.decode()
    assert list(NotApplicable.objects.filter(compact=c2018).values()) == before
