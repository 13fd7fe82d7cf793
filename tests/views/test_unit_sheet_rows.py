"""A unit's own sheets (the self-assessment and the secretariat's verification) draw each
leaf and group row from the shared partials, and nothing of the partials' own notes."""

import pytest
from django.test import Client
from django.urls import reverse

from scoring.models import Compact, Criterion
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


@pytest.mark.parametrize(("username", "page"), [("pccc_nghean", "self"), ("thuky", "unit")])
def test_a_units_sheet_draws_every_row_and_no_template_notes(demo, username, page):
    compact = Compact.objects.get(year=2018)
    nghean = Unit.objects.get(code="pccc-nghean")
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    args = [compact.pk] if page == "self" else [compact.pk, nghean.pk]

    content = client.get(reverse(f"scoring:{page}", args=args)).content.decode()

    criteria = Criterion.objects.filter(compact=compact)
    leaves = criteria.leaves().count()
    assert content.count('<tr class="leaf lvl-') == leaves
    assert content.count('<tr class="group lvl-') == criteria.count() - leaves
    assert content.count('class="history-link"') == leaves
    assert "{#" not in content and "#}" not in content
    assert "{%" not in content
