"""The targets page as each role uses it: the registration's status and steps, the refusals
(another unit's officer, a leader, after approval, a stale page), the reason returned and
the history; its query count on two sizes."""

from decimal import Decimal as D

import pytest
from django.conf import settings
from django.urls import reverse

from scoring.models import Compact, Target, TargetRegistration
from tests.factories import build_compact, proportional_criterion
from tests.views.test_targets import inputs_of
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


@pytest.fixture
def year(demo):
    """2018 while its units register their targets: every registration a draft."""
    compact = Compact.objects.get(year=2018)
    TargetRegistration.objects.filter(compact=compact).update(status="draft")
    return compact, Unit.objects.get(code="pccc-nghean"), Unit.objects.get(code="pccc-quangninh")


def registration(compact, unit):
    return TargetRegistration.objects.get(compact=compact, unit=unit)


def step(client, name, compact, unit, **data):
    version = registration(compact, unit).version
    url = reverse(f"scoring:targets_{name}", args=[compact.pk, unit.pk])
    return client.post(url, {"version": version} | data, follow=True)


def page_of(client, compact):
    return client.get(reverse("scoring:targets", args=[compact.pk])).content.decode()


def test_the_demo_targets_are_approved_for_every_unit(demo):
    for compact in Compact.objects.all():
        statuses = set(
            TargetRegistration.objects.filter(compact=compact).values_list("status", flat=True)
        )
        assert statuses == {"approved"}
        assert TargetRegistration.objects.filter(compact=compact).count() == 8


def test_an_officer_submits_then_sees_the_reason_returned_and_resubmits(client, year):
    compact, nghean, _other = year
    officer = login(client.__class__(), "pccc_nghean")
    assert "Nộp chỉ tiêu" in page_of(officer, compact)

    page = step(officer, "submit", compact, nghean).content.decode()

    assert "Đã nộp chỉ tiêu của PCCC Nghệ An cho thư ký cụm." in page
    assert "Nộp chỉ tiêu" not in page
    assert 'name="o-' not in page  # submitted: the officer's inputs are read-only
    secretariat = login(client, "thuky")
    step(secretariat, "return", compact, nghean, reason="Thiếu chỉ tiêu kiểm tra cơ sở")
    page = page_of(officer, compact)
    assert "Thư ký cụm đã trả lại chỉ tiêu của PCCC Nghệ An:" in page
    assert "Thiếu chỉ tiêu kiểm tra cơ sở" in page
    step(officer, "submit", compact, nghean)
    assert registration(compact, nghean).status == "submitted"


def test_the_secretariat_sees_approve_and_return_for_submitted_units_only(client, year):
    compact, nghean, _other = year
    step(login(client.__class__(), "pccc_nghean"), "submit", compact, nghean)
    page = page_of(login(client, "thuky"), compact)
    assert page.count("data-approve>") == 1
    assert page.count("data-return>") == 1
    assert "Duyệt tất cả chỉ tiêu đã nộp (1 đơn vị)" in page

    page = step(client, "approve", compact, nghean).content.decode()

    assert "Đã duyệt chỉ tiêu của PCCC Nghệ An." in page
    assert registration(compact, nghean).approved_by.username == "thuky"


def test_approve_all_approves_what_the_page_showed(client, year):
    compact, nghean, quangninh = year
    for unit, username in ((nghean, "pccc_nghean"), (quangninh, "pccc_quangninh")):
        step(login(client.__class__(), username), "submit", compact, unit)
    page = page_of(login(client, "thuky"), compact)
    posted = {k: v for k, v in inputs_of(page).items() if k.startswith("v-")}
    assert len(posted) == 2

    client.post(reverse("scoring:targets_approve_all", args=[compact.pk]), posted)

    assert {registration(compact, u).status for u in (nghean, quangninh)} == {"approved"}


@pytest.mark.parametrize(("username", "name"), [("pccc_quangninh", "submit"), ("lanhdao", "submit"),
    ("pccc_nghean", "approve"), ("pccc_nghean", "return"), ("lanhdao", "approve")])  # fmt: skip
def test_a_step_by_the_wrong_person_is_forbidden(client, year, username, name):
    compact, nghean, _other = year
    if name != "submit":
        step(login(client.__class__(), "pccc_nghean"), "submit", compact, nghean)
    before = registration(compact, nghean).status
    response = step(login(client, username), name, compact, nghean, reason="x")
    assert response.status_code == 403
    assert registration(compact, nghean).status == before


@pytest.mark.parametrize(("username", "status"), [("pccc_nghean", 404), ("lanhdao", 403)])
def test_approve_all_is_the_secretariats(client, year, username, status):
    compact, nghean, _other = year
    step(login(client.__class__(), "pccc_nghean"), "submit", compact, nghean)
    url = reverse("scoring:targets_approve_all", args=[compact.pk])
    version = registration(compact, nghean).version
    assert login(client, username).post(url, {f"v-{nghean.pk}": version}).status_code == status
    assert registration(compact, nghean).status == "submitted"


def test_a_stale_step_is_refused(client, year):
    compact, nghean, _other = year
    officer = login(client.__class__(), "pccc_nghean")
    step(officer, "submit", compact, nghean)
    shown = registration(compact, nghean).version
    secretariat = login(client, "thuky")
    step(secretariat, "return", compact, nghean, reason="Thiếu")
    step(officer, "submit", compact, nghean)

    url = reverse("scoring:targets_approve", args=[compact.pk, nghean.pk])
    page = secretariat.post(url, {"version": shown}, follow=True).content.decode()

    assert "đã thay đổi sau khi bạn mở trang" in page
    assert registration(compact, nghean).status == "submitted"


def test_a_leader_reads_every_units_targets_and_changes_nothing(client, demo):
    compact = Compact.objects.get(year=2018)
    page = page_of(login(client, "lanhdao"), compact)
    inputs = inputs_of(page)
    assert (
        len([k for k in inputs if k.startswith("t-")])
        == Target.objects.filter(compact=compact).count()
    )
    assert not any(k.startswith("o-") for k in inputs)
    for word in ("Nộp chỉ tiêu", "data-approve", "data-return", "data-save"):
        assert word not in page


def test_approved_targets_are_frozen_for_the_officer(client, demo):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    target = Target.objects.filter(compact=compact, unit=nghean).first()
    officer = login(client, "pccc_nghean")
    assert 'name="o-' not in page_of(officer, compact)

    officer.post(
        reverse("scoring:targets", args=[compact.pk]),
        {f"t-{nghean.pk}-{target.criterion_id}": "500", f"o-{nghean.pk}-{target.criterion_id}": ""},
    )

    assert Target.objects.get(pk=target.pk).value == target.value


def test_the_secretariat_changes_an_approved_target_with_a_reason_seen_in_the_audit(client, demo):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    target = Target.objects.filter(compact=compact, unit=nghean).first()
    secretariat = login(client, "thuky")
    posted = inputs_of(page_of(secretariat, compact))
    posted[f"t-{nghean.pk}-{target.criterion_id}"] = "500"
    url = reverse("scoring:targets", args=[compact.pk])

    refused = secretariat.post(url, posted).content.decode()
    assert "Cần ghi lý do sửa chỉ tiêu đã duyệt." in refused
    assert Target.objects.get(pk=target.pk).value == target.value
    secretariat.post(url, posted | {"reason": "Điều chỉnh theo Kế hoạch 15 của Bộ"})

    assert Target.objects.get(pk=target.pk).value == 500
    audit = secretariat.get(reverse("scoring:audit", args=[compact.pk])).content.decode()
    assert "Điều chỉnh theo Kế hoạch 15 của Bộ" in audit
    assert "Điều chỉnh theo Kế hoạch 15 của Bộ" in page_of(secretariat, compact)


def test_a_target_of_zero_is_saved_and_shown_as_zero(client, year):
    compact, nghean, _other = year
    target = Target.objects.filter(compact=compact, unit=nghean).first()
    officer = login(client, "pccc_nghean")
    posted = inputs_of(page_of(officer, compact))
    name = f"t-{nghean.pk}-{target.criterion_id}"
    posted[name] = "0"

    officer.post(reverse("scoring:targets", args=[compact.pk]), posted)

    assert Target.objects.get(pk=target.pk).value == 0
    assert inputs_of(page_of(officer, compact))[name] == "0"


def _compact_of(units):
    compact, members, cr = build_compact(units=units, status=Compact.Status.IN_FORCE)
    for n in range(3):
        criterion = proportional_criterion(
            compact, cr["G2"], code=f"G2.{9 + n}", max_points=D(5), position=900 + n
        )
        for unit in members:
            Target.objects.create(compact=compact, unit=unit, criterion=criterion, value=D(10))
    for unit in members[::2]:
        TargetRegistration.objects.create(compact=compact, unit=unit, status="submitted")
    return compact


@pytest.mark.parametrize("units", [2, 12])
def test_the_page_reads_in_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, units
):
    compact = _compact_of(units)
    with django_assert_max_num_queries(14):
        response = admin_client.get(reverse("scoring:targets", args=[compact.pk]))
    assert response.content.decode().count("data-approve>") == (units + 1) // 2


def test_a_refused_save_marks_the_grid_as_holding_unsaved_typing(client, year):
    """After a refused save the grid shows typing that is not stored: the page tells the
    script so (another button of the page then asks before dropping it); drawn afresh, it
    holds none."""
    compact, nghean, _other = year
    officer = login(client, "pccc_nghean")
    page = page_of(officer, compact)
    assert 'id="targets-grid" data-unsaved-guard>' in page
    posted = inputs_of(page)
    name = next(key for key in posted if key.startswith(f"t-{nghean.pk}-"))
    posted[name] = "không phải số"

    refused = officer.post(reverse("scoring:targets", args=[compact.pk]), posted)

    assert refused.status_code == 200
    assert 'id="targets-grid" data-unsaved-guard="pending">' in refused.content.decode()
    assert 'data-unsaved-guard="pending"' not in page_of(officer, compact)

    # A refusal with nothing typed (a submission by a stale page) holds no unsaved typing.
    unchanged = inputs_of(page_of(officer, compact))
    submit = reverse("scoring:targets_submit", args=[compact.pk, nghean.pk])
    stale = officer.post(submit, unchanged | {"version": registration(compact, nghean).version - 1})
    assert stale.status_code == 200  # refused: the page again, the grid as posted
    assert 'id="targets-grid" data-unsaved-guard>' in stale.content.decode()
    assert registration(compact, nghean).status == "draft"
