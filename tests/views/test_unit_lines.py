"""Units through time: the merger form and its service, a unit's line page, the successions
in the admin, and the year-on-year comparison across a merger."""

import datetime
import io
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from scoring import selectors
from scoring.models import Compact, FinalResult, NotApplicable, Target, TargetRegistration
from scoring.ranking import Kind
from scoring.services.successions import close_due_mergers, first_year_after, record_merger
from scoring.templatetags.points import points
from tests.factories import (
    ClusterFactory,
    CriterionFactory,
    UnitFactory,
    UserFactory,
    UserRoleFactory,
)
from tests.views.test_dashboard import build_years
from units.models import Membership, Unit, UnitSuccession

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def unit(code):
    return Unit.objects.get(code=f"pccc-{code}")


def start_2019(units):
    """A 2019 draft compact of cluster 12 with the given members (no scores yet)."""
    compact_2018 = Compact.objects.get(cluster__number=12, year=2018)
    compact = Compact.objects.create(
        cluster=compact_2018.cluster,
        year=2019,
        status=Compact.Status.DRAFT,
        content_max=compact_2018.content_max,
        bonus_cap=compact_2018.bonus_cap,
    )
    for member in units:
        Membership.objects.create(cluster=compact.cluster, unit=member, year=2019)
    return compact


def export_parts(client, compact, report):
    """The export's files, with the workbook's creation time (its one timestamp) fixed."""
    response = client.get(reverse("scoring:export", args=[compact.pk, report]))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)[^>]*>[^<]*<", b"<fixed><", parts["docProps/core.xml"]
    )
    return parts


MERGER = {
    "effective_on": "2019-01-01",
    "decision": "QĐ 99/QĐ-BCA",
    "decision_date": "2018-12-20",
    "issuing_body": "Bộ Công an",
}


def test_first_year_after_a_merger_date():
    assert first_year_after(datetime.date(2026, 1, 1)) == 2026
    assert first_year_after(datetime.date(2025, 7, 1)) == 2026
    assert first_year_after(datetime.date(2025, 12, 31)) == 2026


def test_merger_through_the_form_moves_later_memberships_and_keeps_earlier_years(client, demo):
    thanhhoa, quangninh = unit("thanhhoa"), unit("quangninh")
    others = [m.unit for m in Membership.objects.filter(year=2018).exclude(unit=thanhhoa)]
    start_2019([thanhhoa, *others])
    login(client, "admin")
    compacts = Compact.objects.filter(cluster__number=12, year__in=[2017, 2018]).order_by("year")
    before = {
        (c.year, r): export_parts(client, c, r) for c in compacts for r in ("ranking", "matrix")
    }
    memberships_before = list(Membership.objects.filter(year__lte=2018).values())

    response = client.post(
        reverse("scoring:merger_new"),
        {"absorbing": thanhhoa.pk, "absorbed": [quangninh.pk], **MERGER},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:unit_line", args=[thanhhoa.pk])
    assert not Membership.objects.filter(unit=quangninh, year=2019).exists()
    assert Membership.objects.filter(unit=thanhhoa, year=2019).count() == 1
    assert Membership.objects.filter(unit=quangninh, year__in=[2017, 2018]).count() == 2
    assert list(Membership.objects.filter(year__lte=2018).values()) == memberships_before
    quangninh.refresh_from_db()
    assert quangninh.active is False
    succession = UnitSuccession.objects.get(predecessor=quangninh)
    assert (succession.successor, succession.kind, succession.decision) == (
        thanhhoa,
        UnitSuccession.Kind.MERGED,
        "QĐ 99/QĐ-BCA",
    )
    assert succession.decision_date == datetime.date(2018, 12, 20)
    after = {
        (c.year, r): export_parts(client, c, r) for c in compacts for r in ("ranking", "matrix")
    }
    assert after == before


def test_merger_moves_a_membership_to_an_absorbing_unit_outside_the_cluster(demo):
    quangninh, newcomer = unit("quangninh"), UnitFactory()
    start_2019([quangninh])

    result = record_merger(
        absorbing=newcomer, absorbed=[quangninh], effective_on=datetime.date(2018, 9, 1)
    )

    assert (result.first_year, result.moved) == (2019, 1)
    assert Membership.objects.get(year=2019).unit == newcomer


def test_merger_can_lock_the_absorbed_units_accounts(demo):
    record_merger(
        absorbing=unit("thanhhoa"),
        absorbed=[unit("quangninh")],
        effective_on=datetime.date(2019, 1, 1),
        lock_accounts=True,
    )

    users = get_user_model().objects
    assert users.get(username="pccc_quangninh").is_active is False
    assert users.get(username="pccc_thanhhoa").is_active is True
    assert users.get(username="thuky").is_active is True


@pytest.mark.parametrize(
    ("absorbed", "effective_on", "message"),
    [
        ("binhdinh", "2026-01-01", "đã sáp nhập vào"),  # merged into Gia Lai in the demo
        ("quangninh", "2017-01-01", "đã khóa sổ"),  # 2017 is finalized
        ("quangninh", "2018-01-01", "Năm 2018 đã bắt đầu chấm điểm"),  # 2018 has scores
        ("thanhhoa", "2019-01-01", "không thể sáp nhập vào chính nó"),
    ],
)
def test_merger_refusals_say_why_and_change_nothing(client, demo, absorbed, effective_on, message):
    login(client, "admin")
    before = (
        list(Membership.objects.values()),
        list(UnitSuccession.objects.values()),
        list(Unit.objects.values()),
    )

    response = client.post(
        reverse("scoring:merger_new"),
        {
            "absorbing": unit("thanhhoa").pk,
            "absorbed": [unit(absorbed).pk],
            **MERGER,
            "effective_on": effective_on,
            "decision_date": "",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    after = (
        list(Membership.objects.values()),
        list(UnitSuccession.objects.values()),
        list(Unit.objects.values()),
    )
    assert after == before


@pytest.mark.parametrize("username", ["thuky", "lanhdao", "pccc_thanhhoa"])
def test_only_administrators_record_mergers(client, demo, username):
    login(client, username)

    assert client.get(reverse("scoring:merger_new")).status_code == 403
    response = client.post(
        reverse("scoring:merger_new"),
        {"absorbing": unit("thanhhoa").pk, "absorbed": [unit("quangninh").pk], **MERGER},
    )
    assert response.status_code == 403
    assert not UnitSuccession.objects.filter(predecessor=unit("quangninh")).exists()


def test_admin_list_action_leads_to_the_merger_form(client, demo):
    login(client, "admin")
    chosen = [unit("quangninh").pk]

    response = client.post(
        reverse("admin:units_unit_changelist"),
        {"action": "record_merger", "_selected_action": chosen},
    )

    assert response.status_code == 302
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{chosen[0]}" selected>' in form


def test_gia_lais_line_shows_bình_định_and_its_2017_result(client, demo):
    login(client, "lanhdao")
    gialai = unit("gialai")
    final = FinalResult.objects.get(compact__year=2017, unit=unit("binhdinh"))

    content = client.get(reverse("scoring:unit_line", args=[gialai.pk])).content.decode()

    predecessors = content.split('id="line-predecessors"')[1].split("</ul>")[0]
    assert "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Bình Định" in predecessors
    assert "sáp nhập vào" in predecessors
    assert "1/7/2025" in predecessors
    assert "NQ 202/2025/QH15" in predecessors
    results = content.split('id="line-results"')[1].split("</table>")[0]
    row_2017 = results.split("<tr>")[2]
    assert ">2017<" in row_2017
    assert "Cảnh sát PCCC tỉnh Bình Định" in row_2017
    assert f'<td class="text-end">{points(final.total)}</td>' in row_2017
    assert f'<td class="text-end">{final.rank}</td>' in row_2017


def test_the_line_of_a_merged_unit_shows_both_predecessors_results(client, demo):
    newcomer = UnitFactory(full_name="Phòng PC07 hợp nhất", short_name="PC07 hợp nhất")
    for code in ("nghean", "quangninh"):
        record_merger(
            absorbing=newcomer, absorbed=[unit(code)], effective_on=datetime.date(2019, 1, 1)
        )
    login(client, "thuky")

    content = client.get(reverse("scoring:unit_line", args=[newcomer.pk])).content.decode()

    results = content.split('id="line-results"')[1].split("</table>")[0]
    for province in ("Nghệ An", "Quảng Ninh"):
        # 2017 and 2018, each under the name of that year.
        assert results.count(f">Cảnh sát PCCC tỉnh {province}<") == 1
        assert results.count(f">Phòng Cảnh sát PCCC và CNCH, Công an tỉnh {province}<") == 1
    assert results.count("<tr>") == 1 + 4


def test_hue_line_shows_its_three_names(client, demo):
    login(client, "lanhdao")
    hue = unit("thuathienhue")

    content = client.get(reverse("scoring:unit_line", args=[hue.pk])).content.decode()

    names = content.split('id="line-names"')[1].split("</table>")[0]
    assert (
        names.index("Cảnh sát PCCC tỉnh Thừa Thiên Huế")
        < names.index("Công an tỉnh Thừa Thiên Huế")
        < names.index("Công an thành phố Huế")
    )
    assert "8/8/2018" in names and "9/8/2018" in names and "1/1/2025" in names


def test_unit_report_links_to_the_line(client, demo):
    login(client, "lanhdao")
    compact = Compact.objects.get(cluster__number=12, year=2017)
    binhdinh = unit("binhdinh")

    content = client.get(
        reverse("scoring:unit_report", args=[compact.pk, binhdinh.pk])
    ).content.decode()

    assert reverse("scoring:unit_line", args=[binhdinh.pk]) in content


def test_line_is_hidden_from_other_clusters_and_unrelated_officers(client, demo):
    outsider = UserFactory()
    UserRoleFactory(user=outsider, role="viewer", cluster=ClusterFactory())
    client.force_login(outsider)
    url = reverse("scoring:unit_line", args=[unit("gialai").pk])

    assert client.get(url).status_code == 404
    login(client, "pccc_thanhhoa")
    assert client.get(url).status_code == 404
    login(client, "pccc_binhdinh")
    assert client.get(url).status_code == 200


def test_admin_edits_a_succession_from_either_side(client, demo):
    login(client, "admin")
    succession = UnitSuccession.objects.get(predecessor=unit("kontum"))
    page = client.get(reverse("admin:units_unit_change", args=[unit("quangngai").pk]))
    content = page.content.decode()
    assert "NQ 202/2025/QH15" in content  # as a predecessor of Quảng Ngãi
    page = client.get(reverse("admin:units_unit_change", args=[unit("kontum").pk]))
    assert "NQ 202/2025/QH15" in page.content.decode()  # as the successor of Kon Tum

    succession.decision = "NQ 202/2025/QH15 (sửa)"
    succession.full_clean()
    succession.save()
    data = _admin_form_data(page.content.decode())
    prefix = "successions"
    data[f"{prefix}-0-issuing_body"] = "Quốc hội khóa XV"
    response = client.post(reverse("admin:units_unit_change", args=[unit("kontum").pk]), data)

    assert response.status_code == 302
    succession.refresh_from_db()
    assert succession.issuing_body == "Quốc hội khóa XV"


def _admin_form_data(html):
    """The admin change form's fields as rendered (inputs, selected options, textareas)."""
    from tests.test_forms_unchanged import FormReader

    reader = FormReader()
    reader.feed(html)
    form = next(f for f in reader.forms if any(n == "code" for n, _v in f["fields"]))
    data = {}
    for name, value in form["fields"]:
        data[name] = value
    return data


def test_a_dissolved_unit_has_no_successor(demo):
    from django.core.exceptions import ValidationError

    dissolved = UnitSuccession(
        predecessor=unit("kontum"),
        successor=unit("quangngai"),
        kind=UnitSuccession.Kind.DISSOLVED,
        effective_on=datetime.date(2025, 7, 1),
    )
    with pytest.raises(ValidationError):
        dissolved.full_clean()
    dissolved.successor = None
    dissolved.full_clean()


def test_year_on_year_comparison_follows_a_merger_between_the_years(client, demo):
    binhdinh, newcomer = unit("binhdinh"), UnitFactory(short_name="PC07 Mới")
    UnitSuccession.objects.create(
        predecessor=binhdinh,
        successor=newcomer,
        kind=UnitSuccession.Kind.MERGED,
        effective_on=datetime.date(2018, 1, 1),
    )
    Membership.objects.filter(unit=binhdinh, year=2018).update(unit=newcomer)
    compact = Compact.objects.get(cluster__number=12, year=2018)
    final = FinalResult.objects.get(compact__year=2017, unit=binhdinh)

    ranking = selectors.ranking_for(compact)

    row = next(r for r in ranking.rows if r.unit == newcomer)
    assert (row.previous_rank, row.merged_from) == (final.rank, ["PCCC Bình Định"])
    assert ranking.crosses_merger
    login(client, "lanhdao")
    content = client.get(reverse("scoring:dashboard", args=[compact.pk])).content.decode()
    assert "Có sáp nhập giữa năm 2017 và năm 2018" in content
    assert "PCCC Bình Định" in content
    data = client.get(reverse("scoring:ranking_json", args=[compact.pk])).json()
    assert data["crosses_merger"] is True
    assert next(r for r in data["ranking"] if r["unit"]["code"] == newcomer.code)[
        "merged_from"
    ] == ["PCCC Bình Định"]


@pytest.mark.parametrize(("units", "per_group", "years"), [(2, 2, 1), (5, 6, 3)])
def test_unit_line_queries_do_not_grow(
    client, django_assert_max_num_queries, units, per_group, years
):
    cluster, members, _compacts = build_years(units, per_group, years)
    successor = UnitFactory()
    for member in members[:2]:
        UnitSuccession.objects.create(
            predecessor=member,
            successor=successor,
            kind=UnitSuccession.Kind.MERGED,
            effective_on=datetime.date(2030, 1, 1),
        )
    user = UserFactory()
    UserRoleFactory(user=user, role="viewer", cluster=cluster)
    client.force_login(user)

    # 15: the rankings read the not-applicable marks in one more query.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("scoring:unit_line", args=[successor.pk]))

    assert response.content.decode().count("text-bg-light border") == 2 * years


def test_a_merger_recorded_in_advance_closes_the_units_on_its_date(demo):
    users = get_user_model().objects
    quangninh = unit("quangninh")

    result = record_merger(
        absorbing=unit("thanhhoa"),
        absorbed=[quangninh],
        effective_on=datetime.date(2019, 7, 1),
        lock_accounts=True,
        today=datetime.date(2019, 5, 20),
    )

    assert (result.pending, result.locked) == (True, 0)
    quangninh.refresh_from_db()
    assert quangninh.active is True
    assert users.get(username="pccc_quangninh").is_active is True
    assert close_due_mergers(today=datetime.date(2019, 6, 30)) == 0
    assert Unit.objects.get(pk=quangninh.pk).active is True

    assert close_due_mergers(today=datetime.date(2019, 7, 1)) == 1

    assert Unit.objects.get(pk=quangninh.pk).active is False
    assert users.get(username="pccc_quangninh").is_active is False
    assert users.get(username="pccc_thanhhoa").is_active is True
    assert close_due_mergers(today=datetime.date(2019, 7, 2)) == 0


def test_an_absorbed_officer_cannot_sign_in_from_the_merger_date(client, demo):
    today = timezone.localdate()
    record_merger(
        absorbing=unit("thanhhoa"),
        absorbed=[unit("quangninh")],
        effective_on=today,
        lock_accounts=True,
        today=today - datetime.timedelta(days=1),  # recorded the day before
    )
    assert unit("quangninh").active is True

    response = client.post(reverse("login"), {"username": "pccc_quangninh", "password": PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert unit("quangninh").active is False
    assert get_user_model().objects.get(username="pccc_quangninh").is_active is False


def test_a_future_merger_through_the_form_says_when_it_takes_effect(client, demo):
    login(client, "admin")
    effective_on = timezone.localdate() + datetime.timedelta(days=40)

    response = client.post(
        reverse("scoring:merger_new"),
        {
            "absorbing": unit("thanhhoa").pk,
            "absorbed": [unit("quangninh").pk],
            **MERGER,
            "effective_on": effective_on.isoformat(),
            "decision_date": "",
            "lock_accounts": "on",
        },
        follow=True,
    )

    content = response.content.decode()
    assert f"có hiệu lực từ ngày {effective_on:%d/%m/%Y}" in content
    assert f"Tài khoản của các đơn vị này sẽ bị khóa vào ngày {effective_on:%d/%m/%Y}." in content
    assert unit("quangninh").active is True
    assert get_user_model().objects.get(username="pccc_quangninh").is_active is True
    assert UnitSuccession.objects.get(predecessor=unit("quangninh")).lock_accounts is True


def test_a_merger_removes_what_the_absorbed_unit_registered_for_the_years_that_pass(client, demo):
    thanhhoa, quangninh = unit("thanhhoa"), unit("quangninh")
    compact = start_2019([thanhhoa, quangninh])
    criterion = CriterionFactory(compact=compact, kind=Kind.QUANTITATIVE)
    other = CriterionFactory(compact=compact)
    for member in (thanhhoa, quangninh):
        Target.objects.create(compact=compact, unit=member, criterion=criterion, value=10)
        TargetRegistration.objects.create(compact=compact, unit=member)
        NotApplicable.objects.create(
            compact=compact,
            unit=member,
            criterion=other,
            reason="Không có cảng biển",
            marked_at=timezone.now(),
        )
    earlier = [
        list(model.objects.filter(compact__year__lt=2019).values())
        for model in (Target, TargetRegistration, NotApplicable)
    ]
    login(client, "admin")

    response = client.post(
        reverse("scoring:merger_new"),
        {"absorbing": thanhhoa.pk, "absorbed": [quangninh.pk], **MERGER},
        follow=True,
    )

    assert (
        "Đã xóa những gì các đơn vị bị sáp nhập đã đăng ký từ năm 2019: 1 chỉ tiêu, "
        "1 bản đăng ký chỉ tiêu, 1 tiêu chí không áp dụng."
    ) in response.content.decode()
    for model in (Target, TargetRegistration, NotApplicable):
        assert list(model.objects.filter(compact=compact).values_list("unit", flat=True)) == [
            thanhhoa.pk
        ]
        assert model.history.filter(unit_id=quangninh.pk, history_type="-").count() == 1
    assert [
        list(model.objects.filter(compact__year__lt=2019).values())
        for model in (Target, TargetRegistration, NotApplicable)
    ] == earlier


def test_a_merger_of_the_leader_and_the_deputy_says_which_role_is_left_vacant(client, demo):
    leader, deputy = unit("quangninh"), unit("nghean")
    compact = start_2019([])
    Membership.objects.create(
        cluster=compact.cluster, unit=leader, year=2019, role=Membership.Role.LEADER
    )
    Membership.objects.create(
        cluster=compact.cluster, unit=deputy, year=2019, role=Membership.Role.DEPUTY
    )
    newcomer = UnitFactory(short_name="PC07 hợp nhất")
    login(client, "admin")

    response = client.post(
        reverse("scoring:merger_new"),
        {"absorbing": newcomer.pk, "absorbed": [leader.pk, deputy.pk], **MERGER},
        follow=True,
    )

    kept = Membership.objects.get(year=2019, unit=newcomer).role
    vacant = ({"leader", "deputy"} - {kept}).pop()
    assert Membership.objects.filter(year=2019, cluster=compact.cluster).count() == 1
    held_by = leader if vacant == "leader" else deputy
    role = {"leader": "cụm trưởng", "deputy": "cụm phó"}[vacant]
    assert (
        f"{compact.cluster} không còn {role} trong năm 2019: {held_by} giữ vai trò này "
        f"và PC07 hợp nhất không thể đảm nhận thay."
    ) in response.content.decode()
