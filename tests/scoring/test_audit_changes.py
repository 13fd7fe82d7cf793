"""Whether a field's change shows in the audit trail: the values are printed only when shown
(scoring/audit.py), and the answer is the one the printed values give."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring import audit

SCALARS = st.one_of(
    st.none(),
    st.sampled_from(["", "—", "Thiếu minh chứng", "Tốt"]),
    st.text(max_size=4),
    st.booleans(),
    st.decimals(min_value=-1000, max_value=1000, places=2).filter(lambda d: not d.is_zero())
    | st.just(Decimal("0.00"))
    | st.just(Decimal("5"))
    | st.just(Decimal("5.0")),
    st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2026, 12, 31)),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(st.integers(0, 2) | st.floats(0, 2, allow_nan=False), max_size=2),
    st.dictionaries(st.sampled_from(["min", "label"]), st.integers(0, 20), max_size=2),
)


@given(VALUES, VALUES)
def test_a_change_shows_exactly_when_its_printed_values_differ(old, new):
    assert audit._differs(old, new) == (audit._shown(old) != audit._shown(new))


def test_an_unrecorded_old_value_always_shows_as_unknown():
    change = audit.Change("ghi chú", audit.UNKNOWN, None)
    assert audit._differs(audit.UNKNOWN, None)
    assert (change.old, change.new) == ("?", "—")
