"""The sheet's group sums (`_summed_up`, one step per node) agree with `ranking.roll_up`."""

import random
from decimal import Decimal as D

from scoring import ranking
from scoring.selectors.sheet import _summed_up


def _tree(seed):
    """A random scheme of up to four levels, depth first, with some top-level leaves."""
    rng = random.Random(seed)
    nodes, next_id = [], [1]

    def add(parent_id, depth):
        pk = next_id[0]
        next_id[0] += 1
        nodes.append((pk, parent_id))
        if depth < 4 and rng.random() < 0.6:
            for _ in range(rng.randint(1, 4)):
                add(pk, depth + 1)

    for _ in range(6):
        add(None, 1)
    return nodes


def test_group_sums_agree_with_the_roll_up():
    for seed in range(30):
        nodes = _tree(seed)
        rng = random.Random(seed)
        parents = {parent for _pk, parent in nodes}
        leaves = [pk for pk, _parent in nodes if pk not in parents]
        points = {pk: rng.choice([None, D("0"), D("1.5"), D("-2.25"), D(7)]) for pk in leaves}
        points = {pk: value for pk, value in points.items() if rng.random() < 0.8}
        parent_of = dict(nodes)
        expected = ranking.roll_up(parent_of=parent_of, leaf_points=points)
        kept = {pk for pk in expected if pk in parents or parent_of[pk] is None}

        sums = _summed_up(
            {pk: parent_of[pk] for pk in leaves},
            [(pk, parent) for pk, parent in reversed(nodes) if pk in parents and parent],
            points,
        )

        assert sums == {pk: expected[pk] for pk in kept}
