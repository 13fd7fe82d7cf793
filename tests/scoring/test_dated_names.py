"""The one rule for the day whose names a view shows (`scoring.dated_names`), at each side of
each boundary, and units printing the names of that day."""

import datetime

import pytest

from scoring.dated_names import Shows, names_day, show_names
from scoring.demo_data import RENAMED_ON
from tests.factories import CompactFactory, UnitFactory
from units.models import Unit
from units.names import show_annotated_names, show_names_on, with_names_on

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def renamed_unit(province="Nghệ An"):
    """A unit named as the demo's: its department name until the day before RENAMED_ON."""
    unit = UnitFactory(
        full_name=f"Phòng Cảnh sát PCCC và CNCH, Công an tỉnh {province}",
        short_name=f"PC07 {province}",
    )
    unit.former_names.create(
        full_name=f"Cảnh sát PCCC tỉnh {province}",
        short_name=f"PCCC {province}",
        valid_from=datetime.date(2000, 1, 1),
        valid_until=RENAMED_ON - DAY,
    )
    return unit


def printed(unit, day):
    fresh = Unit.objects.get(pk=unit.pk)  # no former names prefetched: one query reads them
    show_names_on([fresh], day)
    return str(fresh), fresh.shown_full_name


def test_unit_prints_the_old_name_the_day_before_the_renaming_and_the_new_one_on_it():
    unit = renamed_unit()

    assert printed(unit, RENAMED_ON - DAY) == ("PCCC Nghệ An", "Cảnh sát PCCC tỉnh Nghệ An")
    assert printed(unit, RENAMED_ON) == (
        "PC07 Nghệ An",
        "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An",
    )


def test_the_three_ways_to_date_names_agree_on_each_side_of_the_renaming(
    django_assert_num_queries,
):
    unit = renamed_unit()
    for day, expected in [(RENAMED_ON - DAY, "PCCC Nghệ An"), (RENAMED_ON, "PC07 Nghệ An")]:
        prefetched = Unit.objects.prefetch_related("former_names").get(pk=unit.pk)
        with django_assert_num_queries(0):
            show_names_on([prefetched], day)
        with django_assert_num_queries(1):
            queried = Unit.objects.named_on(day).get(pk=unit.pk)

        assert [str(prefetched), str(queried)] == [expected, expected]


def test_membership_rows_print_their_units_names_of_the_day(demo):
    from units.models import Membership

    rows = with_names_on(
        Membership.objects.filter(year=2017, unit__code="pccc-nghean").select_related("unit"),
        RENAMED_ON - DAY,
    )
    assert [str(show_annotated_names(m)) for m in rows] == ["PCCC Nghệ An"]


def test_a_unit_not_dated_prints_its_current_name():
    unit = renamed_unit()

    assert str(Unit.objects.get(pk=unit.pk)) == "PC07 Nghệ An"


def test_signing_pages_use_the_signing_day_on_each_side_of_the_renaming():
    unit = renamed_unit()
    before = CompactFactory.build(year=RENAMED_ON.year, signed_on=RENAMED_ON - DAY)
    on = CompactFactory.build(year=RENAMED_ON.year, signed_on=RENAMED_ON)

    assert names_day(before, Shows.SIGNING) == RENAMED_ON - DAY
    assert names_day(on, Shows.SIGNING) == RENAMED_ON
    show_names(before, Shows.SIGNING, [unit])
    assert str(unit) == "PCCC Nghệ An"
    show_names(on, Shows.SIGNING, [unit])
    assert str(unit) == "PC07 Nghệ An"


def test_results_of_the_renaming_year_signed_before_it_print_the_new_names():
    """2018 was signed in March under the old names; its results, on 31/12/2018, under the
    new ones."""
    unit = renamed_unit()
    compact = CompactFactory.build(year=2018, signed_on=datetime.date(2018, 3, 9))

    assert names_day(compact, Shows.SIGNING) == datetime.date(2018, 3, 9)
    assert names_day(compact, Shows.RESULTS) == datetime.date(2018, 12, 31)
    show_names(compact, Shows.SIGNING, [unit])
    assert unit.shown_full_name == "Cảnh sát PCCC tỉnh Nghệ An"
    show_names(compact, Shows.RESULTS, [unit])
    assert unit.shown_full_name == "Phòng Cảnh sát PCCC và CNCH, Công an tỉnh Nghệ An"


def test_results_finalized_before_the_years_end_use_the_finalization_day():
    unit = renamed_unit()
    year = RENAMED_ON.year
    before = CompactFactory.build(year=year, finalized_on=RENAMED_ON - DAY)
    on = CompactFactory.build(year=year, finalized_on=RENAMED_ON)
    # Another cluster's, finalized only in the next year: the year's last day still counts.
    late = CompactFactory.build(year=year, finalized_on=datetime.date(year + 1, 2, 1))

    assert names_day(before, Shows.RESULTS) == RENAMED_ON - DAY
    assert names_day(on, Shows.RESULTS) == RENAMED_ON
    assert names_day(late, Shows.RESULTS) == datetime.date(year, 12, 31)
    show_names(before, Shows.RESULTS, [unit])
    assert str(unit) == "PCCC Nghệ An"
    show_names(on, Shows.RESULTS, [unit])
    assert str(unit) == "PC07 Nghệ An"


def test_results_of_a_year_not_finalized_use_its_last_day():
    compact = CompactFactory.build(year=2017)

    assert names_day(compact, Shows.RESULTS) == datetime.date(2017, 12, 31)


def test_the_meeting_uses_its_own_day_and_the_results_day_until_one_is_held():
    compact = CompactFactory.build(year=2017, finalized_on=datetime.date(2017, 12, 20))

    assert names_day(compact, Shows.MEETING, meeting_on=datetime.date(2017, 12, 5)) == (
        datetime.date(2017, 12, 5)
    )
    assert names_day(compact, Shows.MEETING) == datetime.date(2017, 12, 20)


def test_an_unsigned_compact_uses_today_kept_within_its_year(settings):
    past = CompactFactory.build(year=2017, signed_on=None)
    future = CompactFactory.build(year=2200, signed_on=None)

    assert names_day(past, Shows.SIGNING) == datetime.date(2017, 12, 31)
    assert names_day(future, Shows.SIGNING) == datetime.date(2200, 1, 1)
