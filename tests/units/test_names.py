"""A unit's former names: their periods never overlap, and every way of reading the name
valid on a day agrees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UnitFactory
from units.models import Unit, UnitName
from units.names import show_names_on

pytestmark = pytest.mark.django_db
OVERLAP = (
    "Giai đoạn này trùng với tên cũ “PC07 cũ” (01/01/2018–31/12/2019) của cùng đơn vị; "
    "các giai đoạn tên của một đơn vị không được chồng lên nhau."
)


def name(unit, short, start, end):
    return UnitName(
        unit=unit,
        full_name=f"Phòng {short}",
        short_name=short,
        valid_from=datetime.date(*start),
        valid_until=datetime.date(*end),
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [((2019, 12, 31), (2020, 6, 30)), ((2017, 1, 1), (2018, 1, 1)), ((2018, 3, 1), (2018, 4, 1))],
)
def test_an_overlapping_period_is_refused_in_vietnamese(start, end):
    unit = UnitFactory()
    name(unit, "PC07 cũ", (2018, 1, 1), (2019, 12, 31)).save()

    with pytest.raises(ValidationError) as refused:
        name(unit, "PC07 mới", start, end).full_clean()

    assert refused.value.messages == [OVERLAP]


def test_adjacent_periods_and_other_units_names_are_allowed():
    unit = UnitFactory()
    first = name(unit, "PC07 cũ", (2018, 1, 1), (2019, 12, 31))
    first.save()

    name(unit, "PC07 mới", (2020, 1, 1), (2020, 12, 31)).full_clean()
    name(UnitFactory(), "Khác", (2018, 1, 1), (2019, 12, 31)).full_clean()
    first.short_name = "PC07 cũ (sửa)"
    first.full_clean()  # a name does not overlap itself


def _unit_form(unit, names):
    data = {
        "code": unit.code,
        "full_name": unit.full_name,
        "short_name": unit.short_name,
        "province": unit.province,
        "active": "on",
        "former_names-TOTAL_FORMS": str(len(names)),
        "former_names-INITIAL_FORMS": "0",
    }
    for prefix in ("successions", "predecessions"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    for i, (short, start, end) in enumerate(names):
        data |= {
            f"former_names-{i}-full_name": f"Phòng {short}",
            f"former_names-{i}-short_name": short,
            f"former_names-{i}-valid_from": start,
            f"former_names-{i}-valid_until": end,
        }
    return data


def test_the_admin_refuses_two_new_overlapping_names_and_saves_nothing(admin_client):
    unit = UnitFactory()
    data = _unit_form(
        unit,
        [("PC07 cũ", "01/01/2018", "31/12/2019"), ("PC07 mới", "01/06/2019", "31/12/2020")],
    )

    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)

    assert response.status_code == 200
    assert (
        "Hai tên cũ của đơn vị có giai đoạn chồng lên nhau: “PC07 cũ” và “PC07 mới”."
        in response.content.decode()
    )
    assert not UnitName.objects.exists()


def test_names_already_overlapping_read_the_same_whichever_way(django_assert_num_queries):
    # Rows written before the check existed: every reader takes the latest-starting name.
    unit = UnitFactory()
    UnitName.objects.bulk_create(
        [
            name(unit, "Tên B", (2018, 6, 1), (2019, 12, 31)),
            name(unit, "Tên A", (2018, 1, 1), (2019, 12, 31)),
        ]
    )
    day = datetime.date(2019, 1, 1)

    loaded = Unit.objects.get(pk=unit.pk)
    show_names_on([loaded], day)
    prefetched = Unit.objects.prefetch_related("former_names").get(pk=unit.pk)
    annotated = Unit.objects.named_on(day).get(pk=unit.pk)

    assert [
        loaded.shown_short_name,
        prefetched.names_on(day)[1],
        annotated.shown_short_name,
    ] == ["Tên B", "Tên B", "Tên B"]
