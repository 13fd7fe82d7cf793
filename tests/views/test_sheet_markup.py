"""The score sheet's markup, compared with a stored rendering (issue 18: the page is written
faster, the browser receives the same HTML).

A realistic sheet: a three-level scheme, every kind of criterion, targets, notes, a
not-applicable mark, evidence, values above a thousand, a refused save with its problems
and a reader's read-only view. Ids change from run to run and are replaced by names before
the comparison, and the whitespace between the table's cells and rows, which draws nothing.
After an intended change of the markup, write the stored renderings again:
    UPDATE_SHEET_SNAPSHOTS=1 pytest tests/views/test_sheet_markup.py
and review their diff.
"""

import os
import re
from decimal import Decimal as D
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from scoring.models import Assessment, Criterion, Evidence, NotApplicable, Score, Target
from scoring.ranking import Kind, Rule
from tests.factories import (
    CompactFactory,
    CriterionFactory,
    MembershipFactory,
    UnitFactory,
    UserFactory,
    UserRoleFactory,
    secretariat_for,
)
from units.models import Membership

pytestmark = pytest.mark.django_db

SNAPSHOTS = Path(__file__).parent / "snapshots"


QUANTITATIVE = {"kind": Kind.QUANTITATIVE, "max_points": D(5)}
DEDUCTION = {"kind": Kind.DEDUCTION, "max_points": None}
# (key of a leaf or "", parent's code, code, fields), in tree order: a three-level content
# scheme of 2,030 points, a bonus and a deduction section.
SCHEME = [
    ("", None, "I", {"max_points": D(2030), "title": "Nhóm <I> & “một”"}),
    ("", "I", "I.1", {"max_points": D(2010), "typed_code": "1."}),
    ("judged", "I.1", "I.1.a", {"max_points": D(2000), "guidance": "Đủ <hồ sơ>"}),
    ("target", "I.1", "I.1.b", {**QUANTITATIVE, "rule": Rule.PROPORTIONAL}),
    ("full", "I.1", "I.1.c", {**QUANTITATIVE, "rule": Rule.FULL_AT_TARGET}),
    ("pass", "I", "I.2", {"max_points": D(10), "kind": Kind.PASS_FAIL}),
    (
        "relative",
        "I",
        "I.3",
        {
            **QUANTITATIVE,
            "max_points": D(10),
            "rule": Rule.CLUSTER_RELATIVE,
            "lower_is_better": True,
        },
    ),
    ("count", "I", "I.4", {"kind": Kind.COUNT, "points_per_occurrence": D("0.5")}),
    ("", None, "B", {"kind": Kind.BONUS, "max_points": None}),
    ("bonus", "B", "B.1", {"kind": Kind.BONUS, "max_points": D(6), "points_per_occurrence": D(2)}),
    ("", None, "D", DEDUCTION),
    ("deduction", "D", "D.1", {**DEDUCTION, "points_per_occurrence": D("1.5")}),
    ("flag", "D", "D.2", {**DEDUCTION, "points_per_occurrence": D(1), "disqualifying": True}),
]


def _scheme(compact):
    """SCHEME's criteria; returns the leaves by key."""
    made, leaves = {}, {}
    for position, (key, parent, code, fields) in enumerate(SCHEME, 1):
        fields = {"title": f"Tiêu chí {code}", "max_points": D(5), **fields}
        made[code] = CriterionFactory(
            compact=compact, parent=made.get(parent), code=code, position=position, **fields
        )
        if key:
            leaves[key] = made[code]
    return leaves


def _units(compact):
    names = ["Hà Nội", "Huế", "Đà Nẵng"]
    roles = [Membership.Role.LEADER, Membership.Role.DEPUTY, Membership.Role.MEMBER]
    units = []
    for number, (name, role) in enumerate(zip(names, roles, strict=True)):
        unit = UnitFactory(code=f"markup-{number}", province=name, short_name=f"PC {name}")
        MembershipFactory(cluster=compact.cluster, year=compact.year, unit=unit, role=role)
        units.append(unit)
    return units


def _scores(compact, units, leaves):
    first, second, third = units
    rows = [  # unit, leaf, self value, self points, verified value, verified points, note
        (first, "judged", "1100", "1100", "1050.5", "1050.5", 'Thiếu "biên bản" <số 2>'),
        (second, "judged", "12.25", "12.25", "12.25", "12.25", ""),
        (first, "target", "8", "4", "8", "4", ""),
        (second, "target", None, None, "3", "1.5", ""),
        (first, "pass", "1", "10", "0", "0", "Chưa đạt"),
        (first, "count", "4", "2", "4", "2", ""),
        (first, "bonus", "2", "4", "2", "4", ""),
        (second, "deduction", "1", "1.5", "2", "3", ""),
        (third, "relative", "5", None, "5", None, ""),
    ]
    for unit, key, sv, sp, vv, vp, note in rows:
        Score.objects.create(
            compact=compact,
            unit=unit,
            criterion=leaves[key],
            self_value=None if sv is None else D(sv),
            self_points=None if sp is None else D(sp),
            verified_value=D(vv),
            verified_points=None if vp is None else D(vp),
            verified_note=note,
            version=2,
        )
    for unit, key, value in [
        (first, "target", "10"),
        (first, "full", "1250.5"),
        (second, "target", "6"),
    ]:
        Target.objects.create(compact=compact, unit=unit, criterion=leaves[key], value=D(value))
    NotApplicable.objects.create(
        compact=compact,
        unit=third,
        criterion=leaves["full"],
        reason="Không có <cảng> biển",
        marked_at=timezone.now(),
    )
    for name in ["a.pdf", "b.pdf"]:
        Evidence.objects.create(
            compact=compact,
            unit=first,
            criterion=leaves["judged"],
            file=name,
            original_name=name,
            size=1,
            content_type="application/pdf",
        )
    Assessment.objects.create(compact=compact, unit=first, status=Assessment.Status.SUBMITTED)


@pytest.fixture
def sheet_compact():
    compact = CompactFactory(content_max=D(2030), bonus_cap=D(5), deduction_cap=D(10))
    leaves = _scheme(compact)
    units = _units(compact)
    _scores(compact, units, leaves)
    return compact, units, leaves


def _normalized(html, compact, units):
    """The sheet's tables with every id replaced by a name: units U1…, criteria by code."""
    table = html[html.index('<table class="sheet') : html.rindex("</table>") + len("</table>")]
    # Whitespace before the table's own tags draws nothing: one line per row.
    table = re.sub(r"\s+<(/?(?:tr|td|th|thead|tbody|tfoot|table)\b)", r"<\1", table)
    table = table.replace("<tr", "\n<tr")
    unit = {str(u.pk): f"U{n}" for n, u in enumerate(units, 1)}
    crit = {str(c.pk): f"C[{c.code}]" for c in Criterion.objects.filter(compact=compact)}

    def ids(names, text):
        return " ".join(names[pk] for pk in text.split())

    table = re.sub(r'(data-(?:crit|group)=")(\d+)', lambda m: m[1] + crit[m[2]], table)
    table = re.sub(r'(data-anc=")([\d ]*)', lambda m: m[1] + ids(crit, m[2]), table)
    table = re.sub(r'(data-(?:unit|count)=")(\d+)', lambda m: m[1] + unit[m[2]], table)
    table = re.sub(
        r'((?:data-sub|name)="(?:[a-z]+-)?)(\d+)-(\d+)',
        lambda m: f"{m[1]}{unit[m[2]]}-{crit[m[3]]}",
        table,
    )
    table = table.replace(f"/compacts/{compact.pk}/", "/compacts/K/")
    return re.sub(r"/units/(\d+)/", lambda m: f"/units/{unit[m[1]]}/", table)


def _check(name, html, compact, units):
    rendered = _normalized(html, compact, units)
    path = SNAPSHOTS / f"{name}.html"
    if os.environ.get("UPDATE_SHEET_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert rendered == path.read_text(encoding="utf-8")


def test_the_secretariats_sheet_keeps_its_markup(client, sheet_compact):
    compact, units, _leaves = sheet_compact
    client.force_login(secretariat_for(compact))

    response = client.get(reverse("scoring:sheet", args=[compact.pk]))

    assert 'value="1050,5" inputmode' in response.content.decode()
    _check("sheet_secretariat", response.content.decode(), compact, units)


def test_a_readers_sheet_keeps_its_markup(client, sheet_compact):
    compact, units, _leaves = sheet_compact
    reader = UserFactory()
    UserRoleFactory(user=reader, role="viewer", cluster=None)
    client.force_login(reader)

    response = client.get(reverse("scoring:sheet", args=[compact.pk]))

    assert " readonly>" in response.content.decode()
    _check("sheet_reader", response.content.decode(), compact, units)


def test_a_refused_save_keeps_its_markup(client, sheet_compact):
    compact, units, leaves = sheet_compact
    first, second, _third = units
    client.force_login(secretariat_for(compact))
    judged, target = leaves["judged"].pk, leaves["target"].pk
    posted = {
        f"v-{first.pk}-{judged}": "abc",
        f"ver-{first.pk}-{judged}": "2",
        f"n-{first.pk}-{judged}": "Ghi chú <mới>",
        f"v-{second.pk}-{target}": "4",
        f"ver-{second.pk}-{target}": "1",  # stale: a conflict
        f"v-{first.pk}-{leaves['count'].pk}": "3",
        f"ver-{first.pk}-{leaves['count'].pk}": "2",
    }

    response = client.post(reverse("scoring:sheet", args=[compact.pk]), posted)

    assert response.status_code == 200
    assert 'class="problem" data-problem' in response.content.decode()
    _check("sheet_refused", response.content.decode(), compact, units)


class _Tables(HTMLParser):
    """A page's tables as rows of cells, each cell a dict: tag, attributes, the columns it
    covers, its text, whether it is in a thead, and the text of its link."""

    def __init__(self):
        super().__init__()
        self.tables, self.in_thead, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append({"class": attrs.get("class", ""), "rows": []})
        elif tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            row = self.tables[-1]["rows"][-1]
            start = row[-1]["columns"].stop if row else 0
            span = int(attrs.get("colspan", 1))
            self.cell = {"tag": tag, "attrs": attrs, "columns": range(start, start + span)}
            self.cell |= {"text": "", "link": "", "head": self.in_thead, "in_link": False}
            row.append(self.cell)
        elif tag == "a" and self.cell:
            self.cell["in_link"] = True

    def handle_endtag(self, tag):
        if tag == "thead":
            self.in_thead = False
        elif tag == "a" and self.cell:
            self.cell["in_link"] = False
        elif tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            self.cell["text"] += data
            if self.cell["in_link"]:
                self.cell["link"] += data


def test_every_subtotal_and_total_has_its_units_column_header(client, sheet_compact):
    """The sheet is cut into tables (the header's, one per top-level criterion, the totals'),
    and a cell takes its column headers from its own table: each part's and the totals' table
    holds the units' column headers too (for screen readers), so that a subtotal or a total
    is announced with its unit."""
    compact, units, _leaves = sheet_compact
    client.force_login(secretariat_for(compact))
    parser = _Tables()

    parser.feed(client.get(reverse("scoring:sheet", args=[compact.pk])).content.decode())

    head, *others = [t for t in parser.tables if "sheet" in t["class"].split()]
    assert "sheet-head" in head["class"]
    unit_of_column = {
        cell["columns"][0]: cell["link"].strip()
        for cell in head["rows"][0]
        if "c-unit" in cell["attrs"].get("class", "")
    }
    name = {str(unit.pk): str(unit) for unit in units}
    assert sorted(unit_of_column.values()) == sorted(name.values())
    named = []
    for table in others:
        column_headers = {
            cell["columns"][0]: cell["text"].strip()
            for row in table["rows"]
            for cell in row
            if cell["head"] and cell["attrs"].get("scope") == "col"
        }
        for row in table["rows"]:
            for cell in row:
                attrs = cell["attrs"]
                if "data-sub" not in attrs and "data-total" not in attrs:
                    continue
                unit = attrs.get("data-unit") or attrs["data-sub"].split("-")[0]
                column = cell["columns"][0]
                assert unit_of_column[column] == name[unit]  # the head's column of its unit
                named.append((column_headers.get(column), name[unit]))

    # Subtotals of I, I.1, B and D, and six totals, for each of the three units.
    assert len(named) == 3 * (4 + 6)
    assert [header for header, _unit in named] == [unit for _header, unit in named]
