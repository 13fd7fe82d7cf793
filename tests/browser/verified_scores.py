"""2018's scores verified for every unit, as a secretariat would type them: set-up shared by
the browser tests that need a complete ranking."""

from django.contrib.auth import get_user_model

from scoring import lifecycle, services
from scoring.models import Criterion, NotApplicable, Score
from scoring.ranking import Side


def verify_every_score(compact):
    """2018's verified scores: 2017's verified values, criterion by criterion, as the
    secretariat would type them (capped at 2018's maximum where 2018 lowered it; a criterion
    new in 2018 gets its maximum; cells marked not applicable stay empty)."""
    thuky = get_user_model().objects.get(username="thuky")
    last_year = {
        (s.unit_id, s.criterion.code): s.verified_value
        for s in Score.objects.filter(
            compact__year=2017, verified_value__isnull=False
        ).select_related("criterion")
    }
    criteria = {c.code: c for c in Criterion.objects.filter(compact=compact)}
    not_applicable = set(
        NotApplicable.objects.filter(compact=compact).values_list("unit_id", "criterion__code")
    )
    units = {unit_id for unit_id, _code in last_year}
    new_in_2018 = {
        (unit_id, code): criterion.max_points
        for unit_id in units
        for code, criterion in criteria.items()
        if criterion.section == "content"
        and not criterion.children.exists()
        and (unit_id, code) not in last_year
    }
    wanted = {
        key: value
        for key, value in (last_year | new_in_2018).items()
        if key not in not_applicable and key[1] in criteria
    }
    cells = [
        services.CellInput(
            unit_id=unit_id,
            criterion_id=criteria[code].pk,
            value=str(min(value, criteria[code].max_points or value)),
            note="Thẩm định theo hồ sơ",
            version=Score.objects.filter(compact=compact, unit_id=unit_id, criterion=criteria[code])
            .values_list("version", flat=True)
            .first()
            or 0,
        )
        for (unit_id, code), value in wanted.items()
    ]
    services.record_scores(compact=compact, user=thuky, cells=cells, side=Side.VERIFIED)
    assert lifecycle.missing_verified(compact) == 0
    return thuky
