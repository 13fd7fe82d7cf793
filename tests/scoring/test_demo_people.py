"""The demo's people: representatives entered as roles under the unit's name of the signing
day, titled for that day, and the one named guest of the 2017 signing conference."""

import datetime

import pytest
from django.urls import reverse

from scoring.demo_data import RENAMED_ON
from scoring.demo_people import SIGNING_GUESTS_2017, signatory
from scoring.models import Compact, Signature
from units.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_signatories_are_roles_under_the_names_of_the_signing_day(demo):
    signatures = Signature.objects.select_related("unit", "compact").order_by("compact__year")

    assert [
        (s.compact.year, s.representative, s.title)
        for s in signatures
        if s.unit.code == "pccc-nghean"
    ] == [
        (2017, "Lãnh đạo Cảnh sát PCCC tỉnh Nghệ An", "Giám đốc"),
        (2018, "Lãnh đạo Cảnh sát PCCC tỉnh Nghệ An", "Giám đốc"),  # signed 9/3/2018
    ]
    assert {s.representative.removeprefix("Lãnh đạo ").split(" tỉnh ")[0] for s in signatures} == {
        "Cảnh sát PCCC"
    }
    assert signatures.count() == 16


def test_a_signatory_is_a_giam_doc_before_the_reorganisation_and_a_truong_phong_from_it(demo):
    unit = Unit.objects.get(code="pccc-nghean")

    assert signatory(unit, RENAMED_ON - datetime.timedelta(days=1)) == {
        "representative": "Lãnh đạo Cảnh sát PCCC tỉnh Nghệ An",
        "title": "Giám đốc",
    }
    assert signatory(unit, RENAMED_ON) == {
        "representative": "Lãnh đạo Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An",
        "title": "Trưởng phòng",
    }


def test_the_2017_signing_conference_records_its_named_guest(client, demo):
    compact = Compact.objects.get(cluster__number=12, year=2017)
    assert compact.signing_guests == SIGNING_GUESTS_2017
    assert Compact.objects.get(cluster__number=12, year=2018).signing_guests == ""
    assert client.login(username="lanhdao", password="demo-pass-123")

    signing = client.get(reverse("scoring:signing", args=[compact.pk])).content.decode()
    printed = client.get(reverse("scoring:print", args=[compact.pk])).content.decode()

    assert "<li>Thiếu tướng Đỗ Ngọc Cẩn, Phó Tổng cục trưởng Tổng cục Chính trị CAND</li>" in (
        signing
    )
    assert (
        "Hội nghị ký kết có sự tham dự của Thiếu tướng Đỗ Ngọc Cẩn, Phó Tổng cục trưởng "
        "Tổng cục Chính trị CAND." in printed
    )
