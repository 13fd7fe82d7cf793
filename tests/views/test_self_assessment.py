"""A unit officer self-assesses its own unit with evidence, submits; the secretariat returns."""

import os
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from scoring import selectors
from scoring.models import Assessment, Criterion, Evidence, Score
from scoring.services import EVIDENCE_MAX_BYTES
from scoring.templatetags.points import points
from tests.demo_lookups import PASSWORD, PDF, crit, nghean, self_url
from units.models import Unit

pytestmark = pytest.mark.django_db


def fill_all_content(compact, unit):
    """A POST body self-assessing every content leaf at half its maximum (targets met)."""
    data = {}
    for c in Criterion.objects.filter(compact=compact).leaves():
        if c.section != "content":
            continue
        if c.kind == "quantitative":
            value = c.targets.get(unit=unit).value
        elif c.kind == "pass_fail":
            value = 1
        else:
            value = c.max_points / 2
        data[f"v-{unit.pk}-{c.pk}"] = str(value).replace(".", ",")
        data[f"ver-{unit.pk}-{c.pk}"] = "0"
    return data


def test_officer_sees_only_their_unit(officer, c2018):
    content = officer.get(self_url(c2018)).content.decode()
    assert "Tự chấm: Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An" in content
    assert "Quảng Ninh" not in content


def test_officer_saves_values_notes_and_evidence(officer, c2018):
    unit, i1 = nghean(), crit(c2018, "I.1")
    response = officer.post(
        self_url(c2018),
        {
            f"v-{unit.pk}-{i1.pk}": "38,5",
            f"n-{unit.pk}-{i1.pk}": "Đã ban hành 12 văn bản",
            f"ver-{unit.pk}-{i1.pk}": "0",
            f"f-{i1.pk}": SimpleUploadedFile("Kế hoạch.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302
    score = Score.objects.get(compact=c2018, unit=unit, criterion=i1)
    assert (score.self_points, score.self_note, score.verified_points) == (
        D("38.5"),
        "Đã ban hành 12 văn bản",
        None,
    )
    evidence = Evidence.objects.get(unit=unit, criterion=i1)
    assert evidence.original_name == "Kế hoạch.pdf"
    assert evidence.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "chỉ nhận tệp PDF, ảnh"),
        ("fake.pdf", b"<html>not a pdf</html>", "không phải tệp PDF thật"),
        ("empty.pdf", b"", "là tệp rỗng"),
        ("big.pdf", b"%PDF-" + b"0" * EVIDENCE_MAX_BYTES, "lớn hơn 10 MB"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(officer, c2018, name, content, message):
    unit, i1 = nghean(), crit(c2018, "I.1")
    response = officer.post(
        self_url(c2018),
        {
            f"v-{unit.pk}-{i1.pk}": "30",
            f"ver-{unit.pk}-{i1.pk}": "0",
            f"f-{i1.pk}": SimpleUploadedFile(name, content),
        },
    )

    assert message in response.content.decode()
    assert not Score.objects.filter(compact=c2018, unit=unit).exists()
    assert not Evidence.objects.exists()


def test_crafted_post_for_another_unit_is_refused(officer, c2018):
    quangninh, i1 = Unit.objects.get(code="pccc-quangninh"), crit(c2018, "I.1")
    before = Score.objects.get(compact=c2018, unit=quangninh, criterion=i1).self_points

    response = officer.post(
        self_url(c2018), {f"v-{quangninh.pk}-{i1.pk}": "1", f"ver-{quangninh.pk}-{i1.pk}": "1"}
    )

    assert "Chưa lưu gì" in response.content.decode()
    assert Score.objects.get(compact=c2018, unit=quangninh, criterion=i1).self_points == before


def test_submit_needs_every_content_criterion(officer, c2018):
    response = officer.post(reverse("scoring:submit", args=[c2018.pk]), follow=True)
    assert "Còn 23 tiêu chí chưa tự chấm" in response.content.decode()  # with III.1.c
    assert not Assessment.objects.filter(unit=nghean(), status="submitted").exists()


def test_submitted_self_assessment_is_locked_until_returned(client, officer, c2018):
    unit, i1 = nghean(), crit(c2018, "I.1")
    officer.post(self_url(c2018), fill_all_content(c2018, unit))
    officer.post(reverse("scoring:submit", args=[c2018.pk]))
    assert Assessment.objects.get(compact=c2018, unit=unit).status == "submitted"

    locked = officer.post(
        self_url(c2018), {f"v-{unit.pk}-{i1.pk}": "1", f"ver-{unit.pk}-{i1.pk}": "1"}
    )
    assert "Bản tự chấm đã nộp, không thể sửa" in locked.content.decode()
    assert Score.objects.get(unit=unit, criterion=i1).self_points == D(20)

    officer.logout()
    client.login(username="thuky", password=PASSWORD)
    client.post(
        reverse("scoring:return", args=[c2018.pk, unit.pk]),
        {"reason": "Bổ sung minh chứng mục I.1"},
    )
    client.logout()
    client.login(username="pccc_nghean", password=PASSWORD)

    page = client.get(self_url(c2018)).content.decode()
    assert "Bổ sung minh chứng mục I.1" in page
    client.post(self_url(c2018), {f"v-{unit.pk}-{i1.pk}": "25", f"ver-{unit.pk}-{i1.pk}": "1"})
    assert Score.objects.get(unit=unit, criterion=i1).self_points == D(25)


def test_leader_and_secretariat_cannot_self_assess(client, c2018):
    for username in ["lanhdao", "thuky"]:
        client.login(username=username, password=PASSWORD)
        assert client.get(self_url(c2018)).status_code == 404
        client.logout()


def test_evidence_download_is_limited_to_its_unit_and_cluster(client, officer, c2018):
    unit, i1 = nghean(), crit(c2018, "I.1")
    officer.post(self_url(c2018), {f"f-{i1.pk}": SimpleUploadedFile("a.pdf", PDF)})
    evidence = Evidence.objects.get(unit=unit)
    url = reverse("scoring:evidence", args=[evidence.pk])

    response = officer.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]

    for username, status in [("pccc_quangninh", 404), ("thuky", 200), ("lanhdao", 200)]:
        client.logout()
        client.login(username=username, password=PASSWORD)
        assert client.get(url).status_code == status, username
        delete = client.post(reverse("scoring:evidence_delete", args=[evidence.pk]))
        assert delete.status_code == 404, username
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_officer_removes_own_evidence(officer, c2018, django_capture_on_commit_callbacks):
    i1 = crit(c2018, "I.1")
    officer.post(self_url(c2018), {f"f-{i1.pk}": SimpleUploadedFile("a.pdf", PDF)})
    evidence = Evidence.objects.get()
    path = evidence.file.path

    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("scoring:evidence_delete", args=[evidence.pk]))

    assert not Evidence.objects.exists()
    assert not os.path.exists(path)  # the file goes once the deletion is committed


def test_self_assessed_totals_are_shown_not_the_verified_ones(officer, c2018):
    unit = nghean()
    officer.post(self_url(c2018), fill_all_content(c2018, unit))
    expected = dict(selectors.unit_totals(c2018, source="self"))
    expected = next(t for m, t in expected.items() if m.unit_id == unit.pk)
    assert expected.total > 0

    content = officer.get(self_url(c2018)).content.decode()

    with translation.override("vi"):
        shown = points(expected.total)
        group_i = points(expected.group_points[crit(c2018, "I").pk])
    assert f'data-total="total" data-unit="{unit.pk}">{shown}<' in content
    assert f'data-sub="{unit.pk}-{crit(c2018, "I").pk}">{group_i}<' in content
