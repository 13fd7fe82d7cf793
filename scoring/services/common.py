"""What every write shares: the errors it raises (`ServiceError`, `SaveRefused` with its
`CellProblem`s), a posted cell (`CellInput`), and the checks it starts with (the compact is
open, the unit may still edit). Used by every other service module, and by lifecycle,
schemes, targets, review and forms.
"""

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from .. import ranking
from ..errors import Refusal
from ..models import Assessment, Compact, Criterion, NotApplicable, Score


class ServiceError(Refusal):
    """A refusal to show the user as it is; nothing was written."""


@dataclass(frozen=True)
class CellInput:
    """One cell as posted: raw text, note (None: not posted, keep it) and the version the
    page was loaded with (0: no score existed)."""

    unit_id: int
    criterion_id: int
    value: str
    note: str | None = None
    version: int = 0


@dataclass(frozen=True)
class CellProblem:
    message: str
    current_value: str | None = None  # for a conflict: what the other person saved
    current_version: int | None = None  # resubmitting with it overwrites deliberately


@dataclass
class SaveRefused(Exception):
    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)

    def __str__(self):
        return f"{len(self.problems)} cell(s) refused"

    @property
    def message(self) -> str:
        """What the page says above the cells marked in red."""
        return _("Nothing was saved: %(count)s cells need your attention (marked in red).") % {
            "count": formats.number_format(len(self.problems), force_grouping=True)
        }


def ensure_open(compact: Compact):
    if not compact.is_open_for_scoring:
        raise ServiceError(
            _("Scoring of this compact is not open (status: %(status)s).")
            % {"status": compact.get_status_display()}
        )


def _assessment_for_update(compact, unit_id):
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        compact=compact, unit_id=unit_id
    )
    return assessment


def _ensure_editable_by_unit(assessment):
    if assessment is not None and not assessment.is_editable_by_unit:
        raise ServiceError(
            _(
                "The self-assessment has been submitted and can no longer be changed unless "
                "the secretariat returns it."
            )
        )


def content_codes_without(*, compact: Compact, unit_id: int, field: str) -> list[str]:
    """The codes, in scheme order, of the content criteria on which the unit has no
    `field` ("self_value" or "verified_value"). Bonus and deduction items may stay empty,
    and criteria not applicable to the unit take no score."""
    done = set(
        Score.objects.filter(
            compact=compact, unit_id=unit_id, **{f"{field}__isnull": False}
        ).values_list("criterion_id", flat=True)
    ) | set(
        NotApplicable.objects.filter(compact=compact, unit_id=unit_id).values_list(
            "criterion_id", flat=True
        )
    )
    return [
        c.code
        for c in Criterion.objects.filter(compact=compact).leaves().order_by("position")
        if c.section == ranking.Section.CONTENT and c.id not in done
    ]
