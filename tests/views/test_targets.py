"""The targets page: read back what it shows, refuse bad input next to the cell, refuse a
stale save with the other person's value."""

import re
from decimal import Decimal as D
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from scoring.models import Compact, Criterion, Score, Target, TargetRegistration
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"
AWKWARD = [D(1050), D("1234567.5"), D("12.5"), D("0.125"), D("1.25"), D(1)]


class FormInputs(HTMLParser):
    """The name → value of every input of the page's form, as a browser would post them."""

    def __init__(self):
        super().__init__()
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") and attrs.get("name") != "csrfmiddlewaretoken":
            self.values[attrs["name"]] = attrs.get("value") or ""


def inputs_of(page: str) -> dict[str, str]:
    parser = FormInputs()
    parser.feed(page)
    return parser.values


def login(client, username, language="vi"):
    assert client.login(username=username, password=PASSWORD)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def all_targets(compact):
    return {(t.unit_id, t.criterion_id): t.value for t in Target.objects.filter(compact=compact)}


@pytest.fixture
def awkward(demo):
    """The 2018 compact with targets whose shown text is easy to misread, and one removed,
    while its units are still registering them (drafts)."""
    compact = Compact.objects.get(year=2018)
    TargetRegistration.objects.filter(compact=compact).update(status="draft")
    targets = list(Target.objects.filter(compact=compact).order_by("criterion__position", "pk"))
    assert len(targets) > len(AWKWARD)
    for target, value in zip(targets, AWKWARD, strict=False):
        target.value = value
        target.save(update_fields=["value"])
    targets[len(AWKWARD)].delete()
    return compact


def url_of(compact):
    return reverse("scoring:targets", args=[compact.pk])


def cell(unit, criterion):
    return f"{unit.pk}-{criterion.pk}"


def quantitative(compact):
    return Criterion.objects.filter(compact=compact, kind="quantitative").order_by("position")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("username", ["thuky", "pccc_nghean"])
def test_submitting_the_page_unchanged_changes_nothing(client, awkward, username, language):
    compact = awkward
    before = all_targets(compact)
    points_before = list(Score.objects.filter(compact=compact).values_list("pk", "verified_points"))
    login(client, username, language)
    page = client.get(url_of(compact)).content.decode()
    posted = inputs_of(page)
    assert any(name.startswith("t-") for name in posted)

    response = client.post(url_of(compact), posted, follow=True)

    assert "alert-danger" not in response.content.decode()
    assert all_targets(compact) == before
    assert (
        list(Score.objects.filter(compact=compact).values_list("pk", "verified_points"))
        == points_before
    )


def test_targets_show_in_the_users_format(client, awkward):
    compact = awkward
    target = Target.objects.get(compact=compact, value=D("1234567.5"))
    name = f"t-{cell(target.unit, target.criterion)}"
    login(client, "thuky")
    assert inputs_of(client.get(url_of(compact)).content.decode())[name] == "1.234.567,5"
    login(client, "thuky", "en")
    english = inputs_of(client.get(url_of(compact)).content.decode())
    assert english[name] == "1,234,567.5"
    assert english[f"o-{cell(target.unit, target.criterion)}"] == "1234567.5"


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("vi", "1.050", D(1050)),
        ("vi", "1.234.567,5", D("1234567.5")),
        ("vi", "12,5", D("12.5")),
        ("vi", "1050.5", D("1050.5")),
        ("en", "1,050", D(1050)),
        ("en", "1,234,567.5", D("1234567.5")),
    ],
)
def test_a_typed_target_is_read_as_shown(client, awkward, language, typed, expected):
    compact = awkward
    nghean = Unit.objects.get(code="pccc-nghean")
    criterion = quantitative(compact).first()
    login(client, "thuky", language)
    posted = inputs_of(client.get(url_of(compact)).content.decode())
    posted[f"t-{cell(nghean, criterion)}"] = typed

    client.post(url_of(compact), posted)

    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == expected


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("vi", "abc", "“abc” không phải là một số."),
        ("vi", "1.234.56", "“1.234.56” không phải là một số."),
        ("vi", "1,050.5", "“1,050.5” không phải là một số."),
        ("en", "1.234.567,5", "“1.234.567,5” is not a number."),
        ("vi", "-5", "Chỉ tiêu không được là số âm."),
        ("vi", "12,345", "Hãy chắc chắn rằng không có nhiều hơn 2 chữ số thập phân."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_changes(
    client, awkward, language, typed, message
):
    compact = awkward
    before = all_targets(compact)
    nghean = Unit.objects.get(code="pccc-nghean")
    first, second = quantitative(compact)[:2]
    login(client, "thuky", language)
    posted = inputs_of(client.get(url_of(compact)).content.decode())
    posted[f"t-{cell(nghean, first)}"] = "999"  # a good change, refused with the bad one
    posted[f"t-{cell(nghean, second)}"] = typed

    response = client.post(url_of(compact), posted)

    page = response.content.decode()
    assert response.status_code == 200
    key = cell(nghean, second)
    field = re.search(
        rf'<input[^>]*name="t-{key}"[^>]*>\s*(?:<input[^>]*>\s*)?<div[^>]*>([^<]*)<', page
    )
    assert field is not None
    assert "is-invalid" in field.group(0)
    assert f'value="{typed}"' in field.group(0)
    assert field.group(1).strip() == message
    assert inputs_of(page)[f"t-{cell(nghean, first)}"] == "999"
    assert all_targets(compact) == before


def test_a_leader_cannot_register_targets(client, awkward):
    compact = awkward
    before = all_targets(compact)
    login(client, "lanhdao")
    page = client.get(url_of(compact)).content.decode()
    assert 'name="o-' not in page
    posted = {f"t-{key[0]}-{key[1]}": "5" for key in before}
    assert client.post(url_of(compact), posted).status_code == 403
    assert all_targets(compact) == before


def test_a_stale_target_is_refused_with_the_other_persons_value(client, awkward):
    compact = awkward
    nghean = Unit.objects.get(code="pccc-nghean")
    criterion = quantitative(compact).first()
    name = f"t-{cell(nghean, criterion)}"
    login(client, "thuky")
    opened = inputs_of(client.get(url_of(compact)).content.decode())
    officer = client.__class__()
    login(officer, "pccc_nghean")
    theirs = inputs_of(officer.get(url_of(compact)).content.decode())
    theirs[name] = "2.500"
    officer.post(url_of(compact), theirs)
    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == 2500

    opened[name] = "3.000"
    page = client.post(url_of(compact), opened).content.decode()

    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == 2500
    name_shown = User.objects.get(username="pccc_nghean").get_full_name()
    assert f"{name_shown} đã sửa ô này thành 2.500 sau khi bạn mở trang." in page
    again = inputs_of(page)
    assert again[name] == "3.000"
    assert again[f"o-{cell(nghean, criterion)}"] == "2500"

    client.post(url_of(compact), again)  # saving again replaces it deliberately
    assert Target.objects.get(compact=compact, unit=nghean, criterion=criterion).value == 3000


def test_a_target_changed_by_someone_else_survives_a_save_that_left_it_alone(client, awkward):
    compact = awkward
    nghean = Unit.objects.get(code="pccc-nghean")
    first, second = quantitative(compact)[:2]
    login(client, "thuky")
    opened = inputs_of(client.get(url_of(compact)).content.decode())
    Target.objects.filter(compact=compact, unit=nghean, criterion=first).update(value=D(777))

    opened[f"t-{cell(nghean, second)}"] = "4.321"
    client.post(url_of(compact), opened)

    assert Target.objects.get(compact=compact, unit=nghean, criterion=first).value == 777
    assert Target.objects.get(compact=compact, unit=nghean, criterion=second).value == 4321


def test_a_refused_english_page_does_not_crash(client, awkward):
    compact = awkward
    nghean = Unit.objects.get(code="pccc-nghean")
    criterion = quantitative(compact).first()
    login(client, "thuky", "en")
    posted = inputs_of(client.get(url_of(compact)).content.decode())
    posted[f"t-{cell(nghean, criterion)}"] = "1.234.567,5"
    response = client.post(url_of(compact), posted)
    assert response.status_code == 200
    assert 'value="1.234.567,5"' in response.content.decode()
