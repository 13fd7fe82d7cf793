from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from scoring.models import (
    AwardKind,
    AwardProposal,
    Compact,
    Criterion,
    ReviewMeeting,
    Score,
    Target,
)
from scoring.ranking import Kind, Rule
from units.models import Cluster, Membership, Unit, UserRole


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-for-tests")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.LazyAttribute(lambda o: f"Cụm thi đua số {o.number}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"unit-{n}")
    province = factory.Sequence(lambda n: f"Tỉnh {n}")
    short_name = factory.LazyAttribute(lambda o: f"PCCC {o.province}")
    full_name = factory.LazyAttribute(lambda o: f"Cảnh sát PCCC {o.province}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cluster = factory.SubFactory(ClusterFactory)
    unit = factory.SubFactory(UnitFactory)
    year = 2017


class CompactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compact

    cluster = factory.SubFactory(ClusterFactory)
    year = 2017
    status = Compact.Status.IN_FORCE
    content_max = Decimal(100)
    bonus_cap = Decimal(10)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    compact = factory.SubFactory(CompactFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Tiêu chí {n}")
    kind = Kind.JUDGED
    max_points = Decimal(10)
    position = factory.Sequence(lambda n: n)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score


class UserRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserRole

    user = factory.SubFactory(UserFactory)


def build_compact(*, units=3, groups=2, criteria_per_group=2, year=2017, **compact_kwargs):
    """A compact with `units` members and a content scheme of `groups` groups, each with
    `criteria_per_group` judged leaves of 10 points, plus a bonus and a deduction section.

    Returns (compact, member units, {code: criterion}).
    """
    compact = CompactFactory(
        year=year, content_max=Decimal(10 * groups * criteria_per_group), **compact_kwargs
    )
    members = [
        MembershipFactory(cluster=compact.cluster, year=year, unit=UnitFactory()).unit
        for _ in range(units)
    ]
    # Built in the scheme's order (positions follow it), written in two statements with their
    # history rows: the groups and sections, then the leaves under them (a save apiece was
    # half of this function's time, and it builds the data of about 350 tests). So ids are
    # not in the scheme's order (roots first): order by position, never by id.
    criteria = {}
    for g in range(1, groups + 1):
        group = CriterionFactory.build(
            compact=compact, code=f"G{g}", max_points=Decimal(10 * criteria_per_group)
        )
        criteria[group.code] = group
        for c in range(1, criteria_per_group + 1):
            leaf = CriterionFactory.build(compact=compact, parent=group, code=f"G{g}.{c}")
            criteria[leaf.code] = leaf
    # A bonus item of 5 points and a deduction item of 2 points an occurrence, uncapped.
    for code, kind, per_occurrence in (("B", Kind.BONUS, 5), ("D", Kind.DEDUCTION, 2)):
        section = CriterionFactory.build(compact=compact, code=code, kind=kind, max_points=None)
        criteria[code] = section
        criteria[f"{code}.1"] = CriterionFactory.build(
            compact=compact,
            parent=section,
            code=f"{code}.1",
            kind=kind,
            max_points=None,
            points_per_occurrence=Decimal(per_occurrence),
        )
    roots = [c for c in criteria.values() if c.parent is None]
    bulk_create_with_history(roots, Criterion)
    bulk_create_with_history([c for c in criteria.values() if c.parent is not None], Criterion)
    return compact, members, criteria


def build_scored_compact(*, units=2, groups=2, criteria_per_group=2, self_assessed=False):
    """`build_compact` with every leaf scored for every unit: verified at 1, worth 1 point
    (the bonus and the deduction cancel), version 1; with `self_assessed`, self-assessed the
    same. Returns (compact, member units, {code: criterion}, the leaves by id)."""
    compact, members, criteria = build_compact(
        units=units, groups=groups, criteria_per_group=criteria_per_group
    )
    leaves = list(Criterion.objects.filter(compact=compact).leaves().order_by("id"))
    values = {"verified_value": Decimal(1), "verified_points": Decimal(1), "version": 1}
    if self_assessed:
        values |= {"self_value": Decimal(1), "self_points": Decimal(1)}
    Score.objects.bulk_create(
        Score(compact=compact, unit=unit, criterion=leaf, **values)
        for unit in members
        for leaf in leaves
    )
    return compact, members, criteria, leaves


def proportional_criterion(compact, parent, code="G2.9", **kwargs):
    """A quantitative criterion under `parent`, scored in proportion to each unit's target
    (worth 20 points unless `max_points` says otherwise)."""
    fields = {"title": "Q", "max_points": Decimal(20), **kwargs}
    return CriterionFactory(
        compact=compact,
        parent=parent,
        code=code,
        kind=Kind.QUANTITATIVE,
        rule=Rule.PROPORTIONAL,
        **fields,
    )


def secretariat_for(compact):
    """A new user who is the compact's cluster's secretariat."""
    user = UserFactory()
    UserRoleFactory(user=user, role="secretariat", cluster=compact.cluster)
    return user


def score(compact, unit, criterion, verified, self_value=None):
    """Saves a verified score (points equal to value, as for judged and count-free items)."""
    value = Decimal(str(verified))
    points = value * (criterion.points_per_occurrence or 1)
    return ScoreFactory(
        compact=compact,
        unit=unit,
        criterion=criterion,
        verified_value=value,
        verified_points=points,
        self_value=None if self_value is None else Decimal(str(self_value)),
        self_points=None if self_value is None else Decimal(str(self_value)),
    )


def set_aside_review(compact):
    """Removes a compact's year-end review (meeting, votes, awards): for tests that record
    the demo's 2017 review afresh."""
    AwardProposal.objects.filter(award_kind__compact=compact).delete()
    ReviewMeeting.objects.filter(compact=compact).delete()
    AwardKind.objects.filter(compact=compact).delete()
