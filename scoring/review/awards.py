"""Award proposals (propose, withdraw) and an award's standard and quota."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..lifecycle import record_event
from ..models import AwardKind, AwardProposal, Compact, CompactEvent
from ..services import ServiceError
from .common import HUNDRED, check_review_open, quota_of, quota_text
from .state import review_state


@transaction.atomic
def propose_award(
    *, compact: Compact, user, award_kind_id: int, unit_id: int, override_reason: str = ""
) -> AwardProposal:
    """Proposes a member unit for an award. Eligibility problems refuse it unless overridden
    with a reason; the quota always refuses."""
    compact = check_review_open(compact)
    kind = AwardKind.objects.select_for_update().filter(compact=compact, pk=award_kind_id).first()
    if kind is None:
        raise ServiceError(_("Choose the award."))
    state = review_state(compact)
    award = next(a for a in state.awards if a.kind.pk == kind.pk)
    entry = next((e for e in award.units if e.unit.pk == unit_id), None)
    if entry is None:
        raise ServiceError(_("This unit is not a member of the cluster in that year."))
    if entry.proposal is not None:
        raise ServiceError(_("This unit is already proposed for this award."))
    if award.quota is not None and len(award.proposals) >= award.quota:
        raise ServiceError(
            _(
                "The quota of %(award)s is reached: %(quota)s; %(count)s already proposed. "
                "Withdraw a proposal first."
            )
            % {"award": kind.name, "quota": award.quota_text, "count": len(award.proposals)}
        )
    reason = (override_reason or "").strip()
    if entry.problems and not reason:
        raise ServiceError(
            _(
                "%(unit)s is not eligible for %(award)s: %(problems)s Give a reason to propose "
                "it anyway."
            )
            % {"unit": entry.name, "award": kind.name, "problems": " ".join(entry.problems)}
        )
    proposal = AwardProposal(
        award_kind=kind,
        unit_id=unit_id,
        overridden=" ".join(entry.problems) if reason and entry.problems else "",
        override_reason=reason if entry.problems else "",
        position=len(award.proposals) + 1,
        created_by=user,
    )
    proposal._change_reason = proposal.override_reason
    proposal.save()
    summary = _("Proposed for %(award)s: %(unit)s") % {"award": kind.name, "unit": entry.name}
    if proposal.overridden:
        summary += " — " + _("eligibility overridden")
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=summary,
        reason=(proposal.overridden + "\n" + proposal.override_reason).strip()
        if proposal.overridden
        else "",
    )
    return proposal


@transaction.atomic
def withdraw_proposal(*, compact: Compact, user, proposal_id: int, reason: str = "") -> None:
    compact = check_review_open(compact)
    proposal = (
        AwardProposal.objects.select_related("award_kind", "unit")
        .filter(award_kind__compact=compact, pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise ServiceError(_("This proposal does not exist."))
    summary = _("Proposal withdrawn: %(award)s, %(unit)s") % {
        "award": proposal.award_kind.name,
        "unit": proposal.unit,
    }
    proposal._change_reason = (reason or "").strip()
    proposal.delete()
    record_event(
        compact, kind=CompactEvent.Kind.REVIEW, user=user, summary=summary, reason=reason or ""
    )


@transaction.atomic
def save_award_kind(
    *,
    compact: Compact,
    user,
    award_kind_id: int,
    name: str,
    required_band: str,
    leader_only: bool,
    quota_count: int | None,
    quota_percent: Decimal | None,
) -> AwardKind:
    """Changes an award's standard and quota; refused if it would leave more proposals than
    the new quota allows."""
    compact = check_review_open(compact)
    kind = AwardKind.objects.select_for_update().filter(compact=compact, pk=award_kind_id).first()
    if kind is None:
        raise ServiceError(_("Choose the award."))
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the award's name."))
    if quota_count is not None and quota_percent is not None:
        raise ServiceError(_("Give the quota as a number of units or a percentage, not both."))
    if quota_count is not None and quota_count < 0:
        raise ServiceError(_("The quota cannot be negative."))
    if quota_percent is not None and not (Decimal(0) <= quota_percent <= HUNDRED):
        raise ServiceError(_("The quota is a percentage between 0 and 100."))
    wanted = {
        "name": name[:200],
        "required_band": (required_band or "").strip(),
        "leader_only": leader_only,
        "quota_count": quota_count,
        "quota_percent": quota_percent,
    }
    if all(getattr(kind, attr) == value for attr, value in wanted.items()):
        return kind  # submitted unchanged: nothing to write, nothing to record
    for attr, value in wanted.items():
        setattr(kind, attr, value)
    members = compact.memberships().count()
    allowed = quota_of(kind, members)
    proposed = kind.proposals.count()
    if allowed is not None and proposed > allowed:
        raise ServiceError(
            _("%(count)s units are already proposed for %(award)s, more than %(quota)s.")
            % {"count": proposed, "award": name, "quota": quota_text(kind, members)}
        )
    kind.full_clean()
    kind.save()
    record_event(
        compact,
        kind=CompactEvent.Kind.REVIEW,
        user=user,
        summary=_("Award standard changed: %(award)s (%(quota)s)")
        % {"award": kind.name, "quota": quota_text(kind, members)},
    )
    return kind
