"""The rows of an audit table, written in Python (scoring/templatetags/audit.py) as the
template wrote them: the local time, the author or a dash, what changed from what to what,
the reason, every value escaped."""

import datetime
from decimal import Decimal

from django.utils import timezone

from scoring.audit import UNKNOWN, AuditEntry, Change
from scoring.templatetags.audit import audit_rows

AT = datetime.datetime(2018, 3, 1, 17, 5, 9, tzinfo=datetime.UTC)  # 2/3 00:05:09 in Hà Nội


def entry(**fields):
    values = {
        "at": AT,
        "user": "Nguyễn Văn A",
        "kind": "điểm",
        "action": "~",
        "subject": "PCCC Nghệ An — I.1",
        "changes": [Change("điểm thẩm định", Decimal("10.5"), Decimal("12.25"))],
        "reason": "Đối chiếu <hồ sơ>",
    }
    return AuditEntry(**(values | fields))


def test_a_change_shows_when_who_what_from_what_to_what_and_why():
    assert audit_rows([entry()]) == (
        '<tr><td class="text-nowrap">02/03/2018 00:05:09</td><td>Nguyễn Văn A</td>'
        '<td><span class="text-body-secondary">điểm</span> · PCCC Nghệ An — I.1</td>'
        '<td><span class="badge text-bg-light">sửa</span>'
        '<div><span class="text-body-secondary">điểm thẩm định:</span> '
        "<del>10,5</del> → <strong>12,25</strong></div></td>"
        "<td>Đối chiếu &lt;hồ sơ&gt;</td></tr>"
    )


def test_a_creation_shows_the_new_values_only_and_an_unknown_author_as_a_dash():
    row = audit_rows([entry(action="+", user="", changes=[Change("ghi chú", None, "<b>")])])
    assert "<td>—</td>" in row
    assert "<del>" not in row
    assert '<span class="text-body-secondary">ghi chú:</span> <strong>&lt;b&gt;</strong>' in row


def test_every_value_is_escaped_and_the_time_is_the_current_time_zones():
    row = audit_rows(
        [
            entry(
                user="<u>",
                kind="<k>",
                subject="<s>",
                changes=[Change("<f>", "<old>", "<new>")],
                reason="<r>",
            )
        ]
    )
    for value in ("u", "k", "s", "f", "old", "new", "r"):
        assert f"&lt;{value}&gt;" in row
    assert "<u>" not in row and "<old>" not in row
    with timezone.override("America/New_York"):
        assert "01/03/2018 12:05:09" in audit_rows([entry()])


def test_entries_given_as_a_generator_are_shown_and_an_empty_one_says_so():
    assert "PCCC Nghệ An" in audit_rows(e for e in [entry()])
    assert "Chưa có gì." in audit_rows(e for e in [])


def test_one_objects_history_leaves_out_what_changed_and_an_unrecorded_value_is_unknown():
    row = audit_rows([entry(changes=[Change("ghi chú", UNKNOWN, "")])], one_object=True)
    assert "PCCC Nghệ An" not in row
    assert row.count("<td") == 4
    assert "<del>?</del> → <strong>—</strong>" in row


def test_rows_come_newest_first_as_given_and_nothing_recorded_says_so():
    rows = audit_rows([entry(subject="thứ nhất"), entry(subject="thứ hai")])
    assert rows.index("thứ nhất") < rows.index("thứ hai")
    assert audit_rows([]) == '<tr><td colspan="5" class="text-body-secondary">Chưa có gì.</td></tr>'
