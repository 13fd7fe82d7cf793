"""A merger closes its units once, and from its first year they are no longer offered as
members; the succession's "lock the accounts" is edited in the admin."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from scoring.forms import StartYearForm
from scoring.services.successions import close_due_mergers, first_year_after, record_merger
from tests.views.test_unit_lines import PASSWORD, _admin_form_data, login, unit
from units.models import Cluster, Unit, UnitSuccession

pytestmark = pytest.mark.django_db


def test_the_succession_inline_shows_and_saves_lock_accounts(client, demo):
    login(client, "admin")
    url = reverse("admin:units_unit_change", args=[unit("kontum").pk])
    page = client.get(url).content.decode()
    assert 'name="successions-0-lock_accounts"' in page
    assert "Khóa tài khoản" in page
    data = _admin_form_data(page)

    response = client.post(url, data | {"successions-0-lock_accounts": "on"})

    assert response.status_code == 302
    assert UnitSuccession.objects.get(predecessor=unit("kontum")).lock_accounts is True


def merge_quangninh_in_advance():
    """Quảng Ninh into Thanh Hóa on 1/7/2019, recorded on 20/5/2019."""
    record_merger(
        absorbing=unit("thanhhoa"),
        absorbed=[unit("quangninh")],
        effective_on=datetime.date(2019, 7, 1),
        today=datetime.date(2019, 5, 20),
    )


def test_a_unit_reactivated_after_its_merger_is_not_closed_again_at_sign_in(client, demo):
    merge_quangninh_in_advance()
    assert close_due_mergers(today=datetime.date(2019, 7, 1)) == 1
    Unit.objects.filter(code="pccc-quangninh").update(active=True)  # an administrator's choice

    assert close_due_mergers(today=datetime.date(2019, 7, 2)) == 0
    response = client.post(reverse("login"), {"username": "pccc_quangninh", "password": PASSWORD})

    assert response.status_code == 302
    assert unit("quangninh").active is True
    assert get_user_model().objects.get(username="pccc_quangninh").is_active is True


def test_a_merger_recorded_on_its_date_records_that_it_closed_the_unit(demo):
    record_merger(
        absorbing=unit("thanhhoa"),
        absorbed=[unit("quangninh")],
        effective_on=datetime.date(2019, 7, 1),
        today=datetime.date(2019, 7, 3),
    )

    assert UnitSuccession.objects.get(predecessor=unit("quangninh")).closed_on == (
        datetime.date(2019, 7, 3)
    )
    assert unit("quangninh").active is False


def _offered(year):
    form = StartYearForm(
        cluster=Cluster.objects.get(number=12),
        user=get_user_model().objects.get(username="admin"),
        initial={"year": year},
    )
    return {u.code for u in form.fields["units"].queryset}


def test_units_a_pending_merger_absorbs_are_not_offered_for_its_years(demo):
    effective_on = timezone.localdate() + datetime.timedelta(days=40)
    first_year = first_year_after(effective_on)
    record_merger(
        absorbing=unit("thanhhoa"), absorbed=[unit("quangninh")], effective_on=effective_on
    )
    assert unit("quangninh").active is True  # pending: it closes on the merger date

    assert "pccc-quangninh" in _offered(first_year - 1)
    assert "pccc-quangninh" not in _offered(first_year)
    assert "pccc-quangninh" not in _offered(first_year + 1)
    assert "pccc-thanhhoa" in _offered(first_year)


def test_a_unit_reactivated_after_its_merger_is_offered_again(demo):
    merge_quangninh_in_advance()
    close_due_mergers(today=datetime.date(2019, 7, 1))
    assert "pccc-quangninh" not in _offered(2020)
    Unit.objects.filter(code="pccc-quangninh").update(active=True)

    assert "pccc-quangninh" in _offered(2020)


def test_the_daily_command_closes_a_due_merger_once(demo):
    """`manage.py close_due_mergers`, the README's cron line: a merger recorded in advance
    whose date has passed closes its unit, and the next day's run finds nothing to close."""
    merge_quangninh_in_advance()  # 1/7/2019: long past by today
    first, second = io.StringIO(), io.StringIO()

    call_command("close_due_mergers", stdout=first)
    call_command("close_due_mergers", stdout=second)

    assert first.getvalue().strip() == "Số đơn vị đã chấm dứt hoạt động: 1."
    assert second.getvalue().strip() == "Số đơn vị đã chấm dứt hoạt động: 0."
    assert Unit.objects.get(code="pccc-quangninh").active is False
