"""Submitting a unit's targets posts the targets grid with it: what was typed and not yet
saved is saved first, in the same step; a refused save or a stale page submits nothing,
saves nothing and shows the typing again."""

from decimal import Decimal as D

import pytest
from django.db.models import F
from django.urls import reverse

from scoring.models import Target, TargetRegistration
from tests.views.test_target_registration import login, page_of, registration, year  # noqa: F401
from tests.views.test_targets import inputs_of

pytestmark = pytest.mark.django_db
SUBMITTED = "Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm."


def typed(client, compact, unit, text):
    """The page's grid as the officer posts it, one of its unit's targets typed as `text`;
    returns (the post, the target, its input's name)."""
    page = page_of(client, compact)
    target = Target.objects.filter(compact=compact, unit=unit).order_by("pk").first()
    name = f"t-{unit.pk}-{target.criterion_id}"
    return inputs_of(page) | {name: text}, target, name


def submit(client, compact, unit, posted, version):
    url = reverse("scoring:targets_submit", args=[compact.pk, unit.pk])
    return client.post(url, posted | {"version": version}, follow=True)


def test_the_submit_button_posts_the_targets_grid(client, year):  # noqa: F811
    compact, nghean, _other = year

    page = page_of(login(client, "pccc_nghean"), compact)

    url = reverse("scoring:targets_submit", args=[compact.pk, nghean.pk])
    assert f'<button form="targets-grid" formaction="{url}" name="version"' in page
    assert '<form method="post" novalidate id="targets-grid" data-unsaved-guard>' in page


def test_submit_saves_what_was_typed_then_submits(client, year):  # noqa: F811
    compact, nghean, _other = year
    officer = login(client, "pccc_nghean")
    posted, target, _name = typed(officer, compact, nghean, "1.300")

    response = submit(officer, compact, nghean, posted, registration(compact, nghean).version)

    content = response.content.decode()
    assert "Đã lưu 1 chỉ tiêu." in content
    assert SUBMITTED in content
    assert Target.objects.get(pk=target.pk).value == D(1300)
    assert registration(compact, nghean).status == "submitted"


def test_submit_with_nothing_typed_only_submits(client, year):  # noqa: F811
    compact, nghean, _other = year
    officer = login(client, "pccc_nghean")
    before = list(Target.objects.filter(compact=compact).values_list("pk", "value"))
    posted = inputs_of(page_of(officer, compact))

    content = submit(officer, compact, nghean, posted, registration(compact, nghean).version)

    assert SUBMITTED in content.content.decode()
    assert "Đã lưu" not in content.content.decode()
    assert list(Target.objects.filter(compact=compact).values_list("pk", "value")) == before


def test_a_bad_value_refuses_the_submit_and_shows_the_typing(client, year):  # noqa: F811
    compact, nghean, _other = year
    officer = login(client, "pccc_nghean")
    posted, target, name = typed(officer, compact, nghean, "-5")
    version = registration(compact, nghean).version

    response = submit(officer, compact, nghean, posted, version)

    content = response.content.decode()
    assert "Chỉ tiêu không được là số âm." in content
    assert inputs_of(content)[name] == "-5"
    assert SUBMITTED not in content
    assert (registration(compact, nghean).status, registration(compact, nghean).version) == (
        "draft",
        version,
    )
    assert Target.objects.get(pk=target.pk).value == target.value


def test_a_stale_page_submits_and_saves_nothing(client, year):  # noqa: F811
    compact, nghean, _other = year
    officer = login(client, "pccc_nghean")
    posted, target, name = typed(officer, compact, nghean, "1.300")
    version = registration(compact, nghean).version
    TargetRegistration.objects.filter(compact=compact, unit=nghean).update(
        version=F("version") + 1  # someone took a step since the page was opened
    )

    response = submit(officer, compact, nghean, posted, version)

    content = response.content.decode()
    assert "đã thay đổi sau khi bạn mở trang" in content
    assert inputs_of(content)[name] == "1.300"
    assert registration(compact, nghean).status == "draft"
    assert Target.objects.get(pk=target.pk).value == target.value
