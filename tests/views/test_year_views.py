"""The compact's year in the browser's terms: who may do what on which page."""

import datetime

import pytest
from django.urls import reverse

from scoring.models import Compact, CompactEvent, Criterion, Signature, Target, TargetRegistration
from tests.factories import (
    ClusterFactory,
    CriterionFactory,
    UserFactory,
    UserRoleFactory,
    build_compact,
)
from units.models import Cluster, Membership, Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def test_secretariat_starts_a_year_from_the_last_one(client, demo):
    cluster = Cluster.objects.get(number=12)
    login(client, "thuky")
    page = client.get(reverse("scoring:start_year", args=[cluster.pk])).content.decode()
    assert 'value="2019"' in page
    assert "Cụm trưởng, cụm phó các năm trước" in page

    units = list(Unit.objects.filter(memberships__year=2017))  # the eight members
    nghean = Unit.objects.get(code="pccc-nghean")
    quangninh = Unit.objects.get(code="pccc-quangninh")
    response = client.post(
        reverse("scoring:start_year", args=[cluster.pk]),
        {
            "year": 2019,
            "source": Compact.objects.get(year=2018).pk,
            "units": [u.pk for u in units],
            "leader": nghean.pk,
            "deputy": quangninh.pk,
            "confirm_unfinished": "1",  # 2018 is still being scored
        },
    )

    compact = Compact.objects.get(year=2019)
    assert response["Location"] == reverse("scoring:compact", args=[compact.pk])
    assert compact.status == "draft"
    assert Membership.objects.get(year=2019, role="leader").unit == nghean
    assert Criterion.objects.filter(compact=compact).count() == (
        Criterion.objects.filter(compact__year=2018).count()
    )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("lanhdao", 403),  # the leader reads the cluster's years; it may not add one
        ("pccc_nghean", 404),  # an officer's scope is its unit, not the cluster's years
    ],
)
def test_others_cannot_start_a_year(client, demo, username, status):
    cluster = Cluster.objects.get(number=12)
    response = login(client, username).post(
        reverse("scoring:start_year", args=[cluster.pk]), {"year": 2019}
    )
    assert response.status_code == status
    assert not Compact.objects.filter(year=2019).exists()


def test_refused_transition_shows_its_message_and_changes_nothing(client, demo):
    compact = Compact.objects.get(year=2018)
    response = login(client, "thuky").post(
        reverse("scoring:status", args=[compact.pk]), {"target": "finalized"}, follow=True
    )
    assert "không thể chuyển từ" in response.content.decode()
    compact.refresh_from_db()
    assert compact.status == "in_force"


def test_leader_cannot_change_status(client, demo):
    compact = Compact.objects.get(year=2018)
    response = login(client, "lanhdao").post(
        reverse("scoring:status", args=[compact.pk]), {"target": "scoring_closed"}
    )
    assert response.status_code == 403
    compact.refresh_from_db()
    assert compact.status == "in_force"


def signing_compact():
    compact, units, _cr = build_compact(status=Compact.Status.SIGNING)
    officer = UserFactory()
    UserRoleFactory(user=officer, role="officer", unit=units[0])
    secretariat = UserFactory()
    UserRoleFactory(user=secretariat, role="secretariat", cluster=compact.cluster)
    return compact, units, officer, secretariat


def sign_data(unit):
    return {
        "unit": unit.pk,
        "representative": "Đại tá Lê Văn A",
        "title": "Trưởng phòng",
        "signed_on": "09/03/2018",
    }


def test_officer_signs_for_their_own_unit_only(client):
    compact, (own, other, _c), officer, _secretariat = signing_compact()
    client.force_login(officer)
    url = reverse("scoring:signing", args=[compact.pk])

    client.post(url, sign_data(other))
    assert not Signature.objects.exists()
    client.post(url, sign_data(own))
    signature = Signature.objects.get()
    assert (signature.unit, signature.signed_on, signature.recorded_by) == (
        own,
        datetime.date(2018, 3, 9),
        officer,
    )


def test_secretariat_records_every_signature_and_a_second_is_refused(client):
    compact, units, _officer, secretariat = signing_compact()
    client.force_login(secretariat)
    url = reverse("scoring:signing", args=[compact.pk])
    for unit in units:
        client.post(url, sign_data(unit))
    assert Signature.objects.filter(compact=compact).count() == 3
    response = client.post(url, sign_data(units[0]))
    assert response.status_code == 200
    assert Signature.objects.filter(compact=compact).count() == 3
    assert "8 of 8" not in response.content.decode()


def test_signed_scan_is_stored_and_served_to_members_only(client):
    compact, _units, officer, secretariat = signing_compact()
    client.force_login(secretariat)
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        reverse("scoring:document_upload", args=[compact.pk]),
        {"field": "signed_scan", "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")},
    )
    compact.refresh_from_db()
    assert compact.signed_scan
    url = reverse("scoring:document", args=[compact.pk, "signed_scan"])
    client.force_login(officer)
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 scan"
    outsider = UserFactory()
    UserRoleFactory(user=outsider, role="secretariat", cluster=ClusterFactory())
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_non_pdf_document_is_refused(client):
    compact, _units, _officer, secretariat = signing_compact()
    client.force_login(secretariat)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("scoring:document_upload", args=[compact.pk]),
        {"field": "operating_rules", "file": SimpleUploadedFile("rules.docx", b"PK\x03\x04")},
        follow=True,
    )
    assert "chỉ nhận tệp PDF" in response.content.decode()
    compact.refresh_from_db()
    assert not compact.operating_rules


def test_officer_registers_own_targets_only(client, demo):
    compact = Compact.objects.get(year=2018)
    TargetRegistration.objects.filter(compact=compact).update(status="draft")
    nghean = Unit.objects.get(code="pccc-nghean")
    quangninh = Unit.objects.get(code="pccc-quangninh")
    criterion = Criterion.objects.get(compact=compact, code="II.1")
    login(client, "pccc_nghean")
    url = reverse("scoring:targets", args=[compact.pk])
    page = client.get(url).content.decode()
    assert f'name="t-{nghean.pk}-{criterion.pk}"' in page
    assert f'name="t-{quangninh.pk}-{criterion.pk}"' not in page

    client.post(url, {f"t-{nghean.pk}-{criterion.pk}": "1.250".replace(".", "")})
    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == 1250
    before = Target.objects.get(compact=compact, unit=quangninh, criterion=criterion).value
    client.post(url, {f"t-{quangninh.pk}-{criterion.pk}": "1"})
    assert Target.objects.get(compact=compact, unit=quangninh, criterion=criterion).value == before


def test_scheme_edit_shows_the_checks_after_a_change(client):
    compact, _units, cr = build_compact(status=Compact.Status.DRAFT)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    criterion = cr["G1.1"]
    client.post(
        reverse("scoring:criterion", args=[compact.pk, criterion.pk]),
        {
            "parent": cr["G1"].pk,
            "code": "G1.1",
            "title": criterion.title,
            "kind": "judged",
            "max_points": "12,5",
            "rule": "",
            "guidance": "",
        },
    )
    criterion.refresh_from_db()
    assert str(criterion.max_points) == "12.50"
    page = client.get(reverse("scoring:scheme", args=[compact.pk])).content.decode()
    assert "G1: tổng điểm các tiêu chí con là 22,5, không phải 20." in page


def test_frozen_scheme_edit_without_reason_is_refused_on_the_page(client, demo):
    compact = Compact.objects.get(year=2018)
    criterion = Criterion.objects.get(compact=compact, code="I.1")
    login(client, "thuky")
    response = client.post(
        reverse("scoring:criterion", args=[compact.pk, criterion.pk]),
        {
            "parent": criterion.parent_id,
            "code": "I.1",
            "title": "Tên mới",
            "kind": "judged",
            "max_points": "40",
            "rule": "",
            "guidance": "",
        },
    )
    assert "cần ghi lý do sửa đổi" in response.content.decode()
    criterion.refresh_from_db()
    assert criterion.title != "Tên mới"
    assert not CompactEvent.objects.filter(compact=compact, kind="amendment").exists()


@pytest.mark.parametrize("size", [3, 40])
def test_scheme_pages_queries_do_not_grow(client, django_assert_max_num_queries, size):
    compact, _units, cr = build_compact(status=Compact.Status.DRAFT, criteria_per_group=size)
    for i in range(size):
        CriterionFactory(compact=compact, parent=cr["G1.1"], code=f"G1.1.{i}", max_points=1)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)
    for name, limit in [
        ("scoring:scheme", 9),
        ("scoring:compact", 20),
        ("scoring:print", 9),
        ("scoring:signing", 10),
        ("scoring:targets", 14),  # with the registrations and their history
        ("scoring:settings", 8),
    ]:
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(name, args=[compact.pk]))
        assert response.status_code == 200, name


@pytest.mark.parametrize("name", ["scoring:scheme", "scoring:settings", "scoring:members"])
def test_leader_reads_the_year_pages_without_editing_controls(client, demo, name):
    compact = Compact.objects.get(year=2018)
    content = login(client, "lanhdao").get(reverse(name, args=[compact.pk])).content.decode()
    assert f"{compact.year}" in content.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert 'class="btn btn-primary">Lưu<' not in content
    assert "Thêm tiêu chí" not in content
    assert ">sửa<" not in content


def test_criterion_page_offers_saving_to_the_secretariat_only(client, demo):
    compact = Compact.objects.get(year=2018)
    criterion = Criterion.objects.get(compact=compact, code="I.1")
    url = reverse("scoring:criterion", args=[compact.pk, criterion.pk])
    assert 'class="btn btn-primary">Lưu<' in login(client, "thuky").get(url).content.decode()
    client.logout()
    assert 'class="btn btn-primary">Lưu<' not in login(client, "lanhdao").get(url).content.decode()
