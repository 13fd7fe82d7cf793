"""The demo's criteria compared within the cluster (so sánh trong cụm), in 2018 only:

- II.2, the "whole people" PCCC models against the registered target, higher is better:
  at target a unit earns half of 60, the unit furthest above its target all of it;
- III.1.a becomes "Kiềm chế số vụ cháy…", the number of fires against the registered target,
  lower is better: no fire at all earns the maximum; Quảng Ngãi registered 0 ("không để xảy
  ra cháy"), a real target.

Every unit has a target on both; the three units that self-assessed get a fire count, and
every unit's points on both criteria are computed together (services.relative). Run after
the compacts are built; on a later run the scheme is converted again and the scores and
targets already there are left alone, as everywhere in the demo.
"""

import random
from decimal import Decimal

from . import ranking
from .models import Compact, Criterion, Score, Target
from .services.relative import recompute_relative

MODELS = "II.2"
FIRES = "III.1.a"
FIRES_TITLE = "Kiềm chế số vụ cháy, số người chết và thiệt hại do cháy (số vụ cháy so với chỉ tiêu)"
FIRES_GUIDANCE = (
    "So sánh trong cụm, càng thấp càng tốt: đạt chỉ tiêu (số vụ cháy bằng chỉ tiêu đăng ký) "
    "được 20 điểm; đơn vị giảm nhiều nhất so với chỉ tiêu, hoặc không để xảy ra cháy, được "
    "40 điểm; chỉ tiêu 0 vụ mà để xảy ra cháy: 0 điểm."
)
MODELS_GUIDANCE = (
    "So sánh trong cụm: đạt chỉ tiêu được 30 điểm; đơn vị vượt chỉ tiêu nhiều nhất được 60 "
    "điểm, các đơn vị khác vượt chỉ tiêu được điểm theo tỷ lệ; dưới chỉ tiêu: 30 × tỷ lệ đạt."
)
ZERO_TARGET_UNIT = "quangngai"
# The fires the self-assessed units reported (their targets are drawn below).
FIRES_REPORTED = {"thanhhoa": 9, "khanhhoa": 15, "quangninh": 0}


def relative_rules_2018(units: dict) -> None:
    """Makes II.2 and III.1.a of the 2018 compact cluster-relative (see the module)."""
    compact = Compact.objects.get(cluster__number=12, year=2018)
    criteria = {
        c.code: c for c in Criterion.objects.filter(compact=compact, code__in=[MODELS, FIRES])
    }
    models, fires = criteria[MODELS], criteria[FIRES]
    models.rule, models.guidance = ranking.Rule.CLUSTER_RELATIVE, MODELS_GUIDANCE
    models.save(update_fields=["rule", "guidance"])
    first_run = not Target.objects.filter(compact=compact, criterion=fires).exists()
    fires.title, fires.guidance = FIRES_TITLE, FIRES_GUIDANCE
    fires.kind, fires.rule = ranking.Kind.QUANTITATIVE, ranking.Rule.CLUSTER_RELATIVE
    fires.lower_is_better = True
    fires.save(update_fields=["title", "guidance", "kind", "rule", "lower_is_better"])
    if first_run:
        _fire_targets_and_counts(compact, units, fires)
    recompute_relative(compact=compact, criterion_ids=[models.pk, fires.pk])


def _fire_targets_and_counts(compact, units, fires) -> None:
    rng = random.Random("fires-2018")
    for code, unit in units.items():
        target = 0 if code == ZERO_TARGET_UNIT else rng.randint(8, 16)
        Target.objects.get_or_create(
            compact=compact, unit=unit, criterion=fires, defaults={"value": Decimal(target)}
        )
    for code, count in FIRES_REPORTED.items():
        Score.objects.filter(compact=compact, unit=units[code], criterion=fires).update(
            self_value=Decimal(count)
        )
