"""Ties in the ranking (`ranking.rank_units`): the sorted totals in runs of equal figures,
and a tied run split by the compact's tie-breakers, then by the review's acclamation vote.
Pure functions over `ranking.UnitTotal` values, no database."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from .ranking_terms import FEWER_DEDUCTIONS, VOTE, ZERO

if TYPE_CHECKING:  # (ranking imports this module)
    from .ranking import UnitTotal


def equal_runs(ordered: list[UnitTotal], figure) -> Iterator[list[UnitTotal]]:
    """The sorted totals in runs of equal figures."""
    index = 0
    while index < len(ordered):
        end = index
        while end < len(ordered) and figure(ordered[end]) == figure(ordered[index]):
            end += 1
        yield ordered[index:end]
        index = end


def breaker_keys(group_codes: Mapping[str, int], votes: Mapping[int, int]):
    """A tie-breaker's value for a unit: higher is better."""

    def key_of(breaker, total: UnitTotal):
        name, codes = breaker
        if name == FEWER_DEDUCTIONS:
            return -total.deductions
        if name == VOTE:
            return votes.get(total.unit_id, 0)
        return sum((total.group_points.get(group_codes.get(c), ZERO) for c in codes), ZERO)

    return key_of


def split_tie(tied: list[UnitTotal], remaining, key_of) -> list[tuple[list[UnitTotal], str]]:
    """Orders a tied block into sub-blocks, best first, with what separated them."""
    if len(tied) == 1 or not remaining:
        return [(tied, "")]
    breaker, rest = remaining[0], remaining[1:]
    keyed = sorted(tied, key=lambda t: (-key_of(breaker, t), t.unit_id))
    blocks: list[list[UnitTotal]] = []
    for total in keyed:
        if blocks and key_of(breaker, blocks[-1][0]) == key_of(breaker, total):
            blocks[-1].append(total)
        else:
            blocks.append([total])
    label = breaker[0] if len(blocks) > 1 else ""
    result = []
    for block in blocks:
        for sub, sub_label in split_tie(block, rest, key_of):
            result.append((sub, sub_label or label))
    return result
