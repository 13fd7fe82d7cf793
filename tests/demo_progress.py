"""The demo's 2018 half-way through verification, as a leader meets it in November."""

from scoring.models import Compact, Criterion, Score
from scoring.ranking import Section
from units.models import Unit


def verify_2018_partly(*, complete=("pccc-khanhhoa",), partial=("pccc-nghean",)):
    """Verifies every content criterion of the `complete` units at its maximum (pass/fail at
    1), and the first content criterion of the `partial` ones; the others stay unverified.
    Returns the 2018 compact."""
    compact = Compact.objects.get(year=2018)
    leaves = [
        c
        for c in Criterion.objects.filter(compact=compact).leaves().order_by("position", "id")
        if c.section == Section.CONTENT
    ]

    def verify(unit, criteria):
        for criterion in criteria:
            value = 1 if criterion.kind == "pass_fail" else criterion.max_points
            Score.objects.update_or_create(
                compact=compact,
                unit=unit,
                criterion=criterion,
                defaults={"verified_value": value, "verified_points": criterion.max_points},
            )

    for code in complete:
        verify(Unit.objects.get(code=code), leaves)
    for code in partial:
        verify(Unit.objects.get(code=code), leaves[:1])
    return compact
