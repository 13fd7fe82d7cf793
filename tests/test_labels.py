"""Every form page of the demo, in Vietnamese, shows no English left over: no untranslated
empty choice, no "Title" translated as a person's position, no raw choice values."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from scoring.models import Compact, Criterion
from scoring.ranking import Kind
from units.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "demo-pass-123"


class Visible(HTMLParser):
    """The text a person reads on a page: text nodes (not scripts or styles), the options
    of selects, labels, placeholders and button values."""

    def __init__(self):
        super().__init__()
        self.texts, self.skip, self.labels, self.label_for = [], 0, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "label":
            self.label_for = attrs.get("for")
            self.labels[self.label_for] = ""

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "label":
            self.label_for = None

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())
            if self.label_for is not None:
                self.labels[self.label_for] += data.strip()


def visible(content):
    parser = Visible()
    parser.feed(content)
    return parser


def form_pages():
    """(user, url) of every page of the demo with a form, the secretariat's and the unit's."""
    c2018 = Compact.objects.get(year=2018)
    c2017 = Compact.objects.get(year=2017)
    criterion = Criterion.objects.get(compact=c2018, code="II.1")
    thanhhoa = Unit.objects.get(code="pccc-thanhhoa")
    pages = [
        ("thuky", reverse("scoring:start_year", args=[c2018.cluster_id])),
        ("thuky", reverse("scoring:members", args=[c2018.pk])),
        ("thuky", reverse("scoring:settings", args=[c2018.pk])),
        ("thuky", reverse("scoring:scheme", args=[c2018.pk])),
        ("thuky", reverse("scoring:criterion", args=[c2018.pk, criterion.pk])),
        ("thuky", reverse("scoring:scheme_import", args=[c2018.pk])),
        ("thuky", reverse("scoring:targets", args=[c2018.pk])),
        ("thuky", reverse("scoring:signing", args=[c2018.pk])),
        ("thuky", reverse("scoring:template_import", args=[c2018.pk])),
        ("thuky", reverse("scoring:compact", args=[c2018.pk])),
        ("thuky", reverse("scoring:sheet", args=[c2018.pk])),
        ("thuky", reverse("scoring:unit", args=[c2018.pk, thanhhoa.pk])),
        ("thuky", reverse("scoring:accept", args=[c2018.pk, thanhhoa.pk])),
        ("thuky", reverse("scoring:audit", args=[c2017.pk])),
        ("thuky", reverse("password_change")),
        ("pccc_nghean", reverse("scoring:self", args=[c2018.pk])),
        ("pccc_nghean", reverse("scoring:targets", args=[c2018.pk])),
        ("pccc_nghean", reverse("scoring:signing", args=[c2018.pk])),
        (None, reverse("login")),
    ]
    return pages


# Texts a Vietnamese page must never show. Raw choice values are matched as whole texts
# (an option or cell reading exactly "judged"), not inside words.
ENGLISH = ["Select an option", "Title", "Chức vụ*", "---------", "breadcrumb"]
RAW_CHOICES = sorted({value for value, _label in Kind.choices} | {"in_force", "draft"})


def test_each_form_page_in_vietnamese_has_no_english_left(client, demo):
    checked = {}
    for user, url in form_pages():
        client.logout()
        if user:
            assert client.login(username=user, password=PASSWORD)
        response = client.get(url)
        assert response.status_code == 200, url
        page = visible(response.content.decode())
        assert len(page.texts) >= 8, url  # a real page was read
        leftovers = [
            text
            for text in page.texts
            if any(word in text for word in ENGLISH) or text in RAW_CHOICES
        ]
        checked[url] = leftovers
    assert {url: found for url, found in checked.items() if found} == {}


def test_the_criterion_title_is_labelled_as_its_content(client, demo):
    c2018 = Compact.objects.get(year=2018)
    criterion = Criterion.objects.get(compact=c2018, code="II.1")
    client.login(username="thuky", password=PASSWORD)

    page = visible(
        client.get(reverse("scoring:criterion", args=[c2018.pk, criterion.pk])).content.decode()
    )

    assert re.sub(r"\*$", "", page.labels["id_title"]) == "Nội dung tiêu chí"
    assert page.labels["id_kind"].rstrip("*") == "Loại"


def test_scheme_import_preview_shows_the_kinds_by_their_names(client):
    from tests.factories import UserFactory, UserRoleFactory, build_compact
    from tests.scoring.test_scheme_import import STANDARD, workbook_file

    compact, _units, _cr = build_compact(status=Compact.Status.DRAFT)
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    client.force_login(user)

    content = client.post(
        reverse("scoring:scheme_import", args=[compact.pk]), {"file": workbook_file(STANDARD)}
    ).content.decode()

    kinds = re.findall(r'<td class="small">([^<]*)</td>', content)
    assert len(kinds) == 11  # one per criterion of the preview
    assert set(kinds) == {"chấm điểm", "điểm thưởng", "điểm trừ"}
    assert not set(RAW_CHOICES) & set(visible(content).texts)


def test_template_import_page_explains_the_template_not_the_scheme(client, demo):
    c2018 = Compact.objects.get(year=2018)
    client.login(username="thuky", password=PASSWORD)

    content = client.get(reverse("scoring:template_import", args=[c2018.pk])).content.decode()

    assert "Mẫu tự chấm xuất từ ứng dụng này, đã điền điểm và ghi chú." in content
    assert "Bảng tiêu chí: các cột STT" not in content


def test_empty_choices_read_in_vietnamese(client, demo):
    c2018 = Compact.objects.get(year=2018)
    client.login(username="thuky", password=PASSWORD)

    content = client.get(reverse("scoring:members", args=[c2018.pk])).content.decode()

    assert content.count('<option value="">- Chọn -</option>') == 2
