"""After a refused save (the form post, without the script's JSON save), a reason typed alone
in a cell is shown again as a change still to be saved: the stored reason is its original,
so the script sends it with the next save instead of taking it for what is stored."""

import html
import re

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion, Score
from tests.views.test_targets import inputs_of
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


def reason_input(content, unit, criterion):
    match = re.search(rf'<input class="reason[^>]*name="n-{unit.pk}-{criterion.pk}"[^>]*>', content)
    assert match, "the reason input is drawn"
    return match[0]


def test_a_reason_typed_alone_stays_a_change_after_a_refused_save(client, demo):
    compact = Compact.objects.get(year=2018)
    quangninh = Unit.objects.get(code="pccc-quangninh")  # self-assessed by the demo
    binhdinh = Unit.objects.get(code="pccc-binhdinh")
    i1, i2 = (Criterion.objects.get(compact=compact, code=c) for c in ("I.1", "I.2"))
    assert client.login(username="thuky", password=PASSWORD)
    url = reverse("scoring:sheet", args=[compact.pk])
    posted = inputs_of(client.get(url).content.decode())
    posted[f"n-{quangninh.pk}-{i1.pk}"] = 'Theo biên bản "số 12" <đã đối chiếu>'
    posted[f"v-{binhdinh.pk}-{i2.pk}"] = "45"  # over the maximum: the whole save is refused
    stored = Score.objects.filter(compact=compact, unit=quangninh, criterion=i1).first()

    content = client.post(url, posted).content.decode()

    assert "45 lớn hơn điểm tối đa 40." in content
    shown = reason_input(content, quangninh, i1)
    assert 'value="Theo biên bản &quot;số 12&quot; &lt;đã đối chiếu&gt;"' in shown
    original = re.search(r'data-original="([^"]*)"', shown)
    assert original, "the stored reason is the input's original"
    assert html.unescape(original[1]) == (stored.verified_note if stored else "")
    after = Score.objects.filter(compact=compact, unit=quangninh, criterion=i1).first()
    assert (after and after.verified_note) == (stored and stored.verified_note)
