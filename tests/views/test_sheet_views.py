"""The score sheet pages: who may see and save, what is saved, what is refused."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from scoring.models import Assessment, Compact, Criterion, Score
from tests.factories import ClusterFactory, UserFactory, UserRoleFactory, build_compact
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


@pytest.fixture
def c2017(demo):
    return Compact.objects.get(year=2017)


def unit(code):
    return Unit.objects.get(code=f"pccc-{code}")


def crit(compact, code):
    return Criterion.objects.get(compact=compact, code=code)


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def sheet_url(compact):
    return reverse("scoring:sheet", args=[compact.pk])


def test_home_offers_each_role_what_it_can_do(client, c2018):
    content = login(client, "thuky").get("/").content.decode()
    assert "Nhập và thẩm định điểm" in content
    client.logout()
    content = login(client, "pccc_nghean").get("/").content.decode()
    assert "Tự chấm của đơn vị" in content
    assert "Nhập và thẩm định điểm" not in content


def test_secretariat_sees_the_sheet_with_every_unit_and_criterion(client, c2018):
    response = login(client, "thuky").get(sheet_url(c2018))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('class="c-unit"') == 8
    assert content.count('class="leaf ') == Criterion.objects.filter(compact=c2018).leaves().count()
    assert "PC07 Quảng Ninh" in content


def test_secretariat_saves_cells_and_sees_totals(client, c2018):
    binhdinh = unit("binhdinh")
    i1, vi1 = crit(c2018, "I.1"), crit(c2018, "VI.1")

    response = login(client, "thuky").post(
        sheet_url(c2018),
        {
            f"v-{binhdinh.pk}-{i1.pk}": "37,5",
            f"ver-{binhdinh.pk}-{i1.pk}": "0",
            f"v-{binhdinh.pk}-{vi1.pk}": "2",
            f"ver-{binhdinh.pk}-{vi1.pk}": "0",
        },
    )

    assert response.status_code == 302
    scores = Score.objects.filter(compact=c2018, unit=binhdinh)
    assert {s.criterion.code: s.verified_points for s in scores} == {
        "I.1": D("37.5"),
        "VI.1": D(20),
    }
    page = client.get(sheet_url(c2018)).content.decode()
    assert "Đã lưu 2 ô điểm." in page
    assert f'data-total="total" data-unit="{binhdinh.pk}">57,5<' in page


def test_invalid_cell_is_refused_next_to_the_cell_and_nothing_is_saved(client, c2018):
    binhdinh = unit("binhdinh")
    i1, i2 = crit(c2018, "I.1"), crit(c2018, "I.2")

    response = login(client, "thuky").post(
        sheet_url(c2018),
        {
            f"v-{binhdinh.pk}-{i1.pk}": "30",
            f"ver-{binhdinh.pk}-{i1.pk}": "0",
            f"v-{binhdinh.pk}-{i2.pk}": "45",
            f"ver-{binhdinh.pk}-{i2.pk}": "0",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Chưa lưu gì: 1 ô cần xem lại" in content
    assert "45 lớn hơn điểm tối đa 40." in content
    assert f'name="v-{binhdinh.pk}-{i1.pk}" value="30"' in content  # typed values are kept
    assert not Score.objects.filter(compact=c2018, unit=binhdinh).exists()


def test_conflicting_save_shows_the_other_value(client, c2018):
    binhdinh = unit("binhdinh")
    i1 = crit(c2018, "I.1")
    Score.objects.create(
        compact=c2018,
        unit=binhdinh,
        criterion=i1,
        verified_value=D(33),
        verified_points=D(33),
        version=1,
    )

    response = login(client, "thuky").post(
        sheet_url(c2018), {f"v-{binhdinh.pk}-{i1.pk}": "35", f"ver-{binhdinh.pk}-{i1.pk}": "0"}
    )

    content = response.content.decode()
    assert "đã sửa ô này thành 33" in content
    assert f'name="ver-{binhdinh.pk}-{i1.pk}" value="1"' in content
    assert Score.objects.get(unit=binhdinh, criterion=i1).verified_points == D(33)


def test_leader_reads_the_sheet_but_cannot_save(client, c2018):
    login(client, "lanhdao")
    page = client.get(sheet_url(c2018))
    assert page.status_code == 200
    assert "Chỉ xem" in page.content.decode()

    binhdinh, i1 = unit("binhdinh"), crit(c2018, "I.1")
    response = client.post(sheet_url(c2018), {f"v-{binhdinh.pk}-{i1.pk}": "30"})

    assert response.status_code == 403
    assert not Score.objects.filter(compact=c2018, unit=binhdinh).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_unit_officer_cannot_open_the_cluster_sheet(client, c2018, method):
    response = getattr(login(client, "pccc_nghean"), method)(sheet_url(c2018))
    assert response.status_code == 404


def test_secretariat_of_another_cluster_gets_404(client, c2018):
    outsider = UserFactory(username="other_thuky")
    UserRoleFactory(user=outsider, role="secretariat", cluster=ClusterFactory())
    client.force_login(outsider)
    for url in [
        sheet_url(c2018),
        reverse("scoring:compact", args=[c2018.pk]),
        reverse("scoring:unit", args=[c2018.pk, unit("nghean").pk]),
    ]:
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, c2018):
    response = client.get(sheet_url(c2018))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_saving_into_a_finalized_compact_is_refused(client, c2017):
    thanhhoa, i1 = unit("thanhhoa"), crit(c2017, "I.1")
    before = Score.objects.get(compact=c2017, unit=thanhhoa, criterion=i1).verified_points

    response = login(client, "thuky").post(
        sheet_url(c2017), {f"v-{thanhhoa.pk}-{i1.pk}": "1", f"ver-{thanhhoa.pk}-{i1.pk}": "1"}
    )

    assert "không trong thời gian chấm điểm" in response.content.decode()
    assert Score.objects.get(compact=c2017, unit=thanhhoa, criterion=i1).verified_points == before
    assert "Chỉ xem" in response.content.decode()


def test_unit_page_of_another_units_officer_is_404(client, c2018):
    login(client, "pccc_nghean")
    url = reverse("scoring:unit", args=[c2018.pk, unit("quangninh").pk])
    assert client.get(url).status_code == 404


def test_unit_page_for_a_unit_outside_the_cluster_is_404(client, c2018):
    from tests.factories import UnitFactory

    login(client, "thuky")
    url = reverse("scoring:unit", args=[c2018.pk, UnitFactory().pk])
    assert client.get(url).status_code == 404


def test_accept_self_assessment_of_one_group_then_the_unit(client, c2018):
    thanhhoa = unit("thanhhoa")
    group_i = crit(c2018, "I")
    login(client, "thuky")

    client.post(reverse("scoring:accept", args=[c2018.pk, thanhhoa.pk]), {"group": group_i.pk})

    verified = Score.objects.filter(compact=c2018, unit=thanhhoa, verified_points__isnull=False)
    assert sorted(s.criterion.code for s in verified) == ["I.1", "I.2", "I.3", "I.4"]
    assert all(s.verified_points == s.self_points for s in verified)

    client.post(reverse("scoring:accept", args=[c2018.pk, thanhhoa.pk]))
    assert not Score.objects.filter(
        compact=c2018, unit=thanhhoa, self_value__isnull=False, verified_value__isnull=True
    ).exists()


def test_leader_cannot_accept_or_return(client, c2018):
    thanhhoa = unit("thanhhoa")
    login(client, "lanhdao")
    assert client.post(reverse("scoring:accept", args=[c2018.pk, thanhhoa.pk])).status_code == 403
    response = client.post(reverse("scoring:return", args=[c2018.pk, thanhhoa.pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Assessment.objects.get(compact=c2018, unit=thanhhoa).status == "submitted"


def test_return_needs_a_reason(client, c2018):
    thanhhoa = unit("thanhhoa")
    login(client, "thuky")
    response = client.post(
        reverse("scoring:return", args=[c2018.pk, thanhhoa.pk]), {"reason": "  "}, follow=True
    )
    assert "Cần ghi lý do trả lại bản tự chấm." in response.content.decode()
    assert Assessment.objects.get(compact=c2018, unit=thanhhoa).status == "submitted"


def test_mark_verified_needs_every_content_criterion(client, c2018):
    thanhhoa = unit("thanhhoa")
    login(client, "thuky")
    url = reverse("scoring:verified", args=[c2018.pk, thanhhoa.pk])

    response = client.post(url, follow=True)
    assert "Còn 23 tiêu chí chưa thẩm định" in response.content.decode()

    client.post(reverse("scoring:accept", args=[c2018.pk, thanhhoa.pk]))
    client.post(url)
    assert Assessment.objects.get(compact=c2018, unit=thanhhoa).status == "verified"


def test_progress_page_shows_status_and_counts(client, c2018):
    content = login(client, "thuky").get(reverse("scoring:compact", args=[c2018.pk])).content
    content = content.decode()
    assert "đã nộp" in content
    assert "31/31" in content  # Thanh Hóa self-assessed every leaf (III.1.c included)
    assert "0/31" in content


@pytest.mark.parametrize(
    "page", ["sheet", "unit", "self", "scheme", "unit_report", "print"], ids=str
)
def test_maximum_column_is_markup_not_text(client, c2018, page):
    nghean = unit("nghean")
    if page == "self":
        login(client, "pccc_nghean")
        url = reverse("scoring:self", args=[c2018.pk])
    else:
        login(client, "thuky")
        args = [c2018.pk, nghean.pk] if page in ("unit", "unit_report") else [c2018.pk]
        url = reverse(f"scoring:{page}", args=args)

    content = client.get(url).content.decode()

    assert "&lt;" not in content
    proportional = '<br><span class="small text-body-secondary">theo tỷ lệ CT</span>'
    per_time = (
        '<span class="text-nowrap">−8/lần</span>'
        '<br><span class="small text-body-secondary">≤ 8</span>'
    )
    assert proportional in content
    assert per_time in content


def test_sheet_script_numbers_are_plain_decimals(client, c2018):
    c2018.bonus_cap = D("12.5")
    c2018.deduction_cap = D("1050.25")
    c2018.save()

    content = login(client, "thuky").get(sheet_url(c2018)).content.decode()

    assert 'data-bonus-cap="12.5"' in content
    assert 'data-deduction-cap="1050.25"' in content
    assert 'data-decimal="," data-group="."' in content
    assert "data-editable" in content
    assert "(≤ 12,5)" in content and "(≤ 1.050,25)" in content  # what the user reads


def test_sheet_script_reads_english_separators_in_english(client, c2018):
    login(client, "thuky")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    content = client.get(sheet_url(c2018)).content.decode()

    assert 'data-decimal="." data-group=","' in content


def test_read_only_sheet_is_not_marked_editable(client, c2018, c2017):
    content = login(client, "lanhdao").get(sheet_url(c2018)).content.decode()
    assert "data-editable" not in content
    client.logout()
    content = login(client, "thuky").get(sheet_url(c2017)).content.decode()
    assert "data-editable" not in content


def test_saved_points_are_given_to_the_script_as_plain_decimals(client, c2018):
    binhdinh = unit("binhdinh")
    Score.objects.create(
        compact=c2018,
        unit=binhdinh,
        criterion=crit(c2018, "I.1"),
        verified_value=D("38.5"),
        verified_points=D("38.5"),
    )

    content = login(client, "thuky").get(sheet_url(c2018)).content.decode()

    assert f'name="v-{binhdinh.pk}-{crit(c2018, "I.1").pk}" value="38,5"' in content
    assert 'data-saved="38.5"' in content


def test_history_url_template_cannot_collide_with_ids(client, demo):
    compact, _members, _criteria = build_compact(pk=1111, year=2018, status="in_force")
    login(client, "admin")

    content = client.get(sheet_url(compact)).content.decode()

    assert 'data-history-url="/compacts/1111/units/{unit}/criteria/{criterion}/history/"' in (
        content
    )
