"""A criterion's own rules (Criterion.clean()): what the admin and the scheme editor refuse,
each with its Vietnamese message on the field it concerns."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from scoring.models import Criterion
from scoring.ranking import Kind, Rule
from tests.factories import CriterionFactory, build_compact, score

pytestmark = pytest.mark.django_db


def refusal(criterion) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        criterion.clean()
    return refused.value.message_dict


@pytest.fixture
def compact():
    return build_compact()[0]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (dict(kind=Kind.QUANTITATIVE, rule=""), "rule", "phải có cách tính điểm"),
        (dict(lower_is_better=True), "lower_is_better", "càng thấp càng tốt"),
        (dict(kind=Kind.COUNT, points_per_occurrence=None), "points_per_occurrence", "mỗi lần"),
        (dict(max_points=None), "max_points", "phải có điểm tối đa"),
    ],
)
def test_a_criterion_missing_what_its_kind_needs_is_refused(compact, fields, field, message):
    criterion = Criterion(compact=compact, code="X", title="Tiêu chí", **{"max_points": D(5)})
    for name, value in fields.items():
        setattr(criterion, name, value)

    assert message in " ".join(refusal(criterion)[field])


def test_a_bonus_item_needs_its_points_but_the_bonus_part_does_not(compact):
    part = CriterionFactory(compact=compact, code="B9", kind=Kind.BONUS, max_points=None)
    part.clean()
    item = Criterion(compact=compact, parent=part, code="B9.1", title="Mục", kind=Kind.BONUS)

    assert "mỗi lần" in " ".join(refusal(item)["points_per_occurrence"])


def test_a_lower_is_better_criterion_compared_within_the_cluster_is_allowed(compact):
    Criterion(
        compact=compact,
        code="X",
        title="Số vụ cháy",
        kind=Kind.QUANTITATIVE,
        rule=Rule.CLUSTER_RELATIVE,
        lower_is_better=True,
        max_points=D(5),
    ).clean()


def test_a_parent_of_another_compact_or_already_scored_is_refused(compact):
    other = build_compact(year=2019)[0]
    foreign = CriterionFactory(compact=other, code="Z")
    assert "giao ước khác" in " ".join(
        refusal(Criterion(compact=compact, parent=foreign, code="Z.1", title="x", max_points=D(1)))[
            "parent"
        ]
    )
    leaf = Criterion.objects.get(compact=compact, code="G1.1")
    score(compact, compact.memberships().first().unit, leaf, 1)
    child = Criterion(compact=compact, parent=leaf, code="G1.1.a", title="x", max_points=D(1))
    assert "đã có điểm" in " ".join(refusal(child)["parent"])
