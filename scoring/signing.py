"""Signing a compact: each member's signature (the secretariat for anyone, an officer for its own
unit), the state of signatures shown on the signing page, and the signed documents (the
signed scan, the operating rules). Called by the signing and document views.
"""

import datetime

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .concurrency import Entry, State, entry, refuse_if_changed
from .lifecycle import S, record_event
from .models import Compact, CompactEvent, Signature
from .services import ServiceError, check_evidence_file


def signature_entry(unit, signature: Signature | None = None, **posted) -> Entry:
    """A unit's signature (stored, or as posted) as compared for a stale save."""
    values = posted or (
        {
            "representative": signature.representative,
            "title": signature.title,
            "signed_on": signature.signed_on,
        }
        if signature
        else None
    )
    if not values:
        return entry(unit, None, _("not signed yet"))
    shown = ", ".join(
        str(v)
        for v in (
            values["representative"],
            values["title"],
            date_format(values["signed_on"], "SHORT_DATE_FORMAT"),
        )
        if v
    )
    canonical = "|".join(
        [values["representative"], values["title"] or "", values["signed_on"].isoformat()]
    )
    return entry(unit, canonical, shown)


def signature_state(compact: Compact) -> State:
    """Every member's signature as the signing page shows it, keyed by unit."""
    signatures = {s.unit_id: s for s in compact.signatures.all()}
    return {
        f"unit-{m.unit_id}": signature_entry(m.unit, signatures.get(m.unit_id))
        for m in compact.memberships().select_related("unit")
    }


@transaction.atomic
def sign(
    *,
    compact: Compact,
    unit_id: int,
    user,
    representative: str,
    title: str,
    signed_on: datetime.date,
    seen: dict | None = None,
) -> Signature:
    """Records a member's signature, once; only while the compact is being signed.

    With `seen` (the signatures as the page showed them): StaleSave if this unit's signature
    changed since; a signature the page showed is replaced by this one (a deliberate
    correction); the same values again write nothing."""
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    if compact.status != S.SIGNING:
        raise ServiceError(
            _("Signatures are recorded while the compact is being signed (status now: %(status)s).")
            % {"status": compact.get_status_display()}
        )
    membership = compact.memberships().filter(unit_id=unit_id).select_related("unit").first()
    if membership is None:
        raise ServiceError(_("This unit is not a member of the cluster in that year."))
    representative = (representative or "").strip()[:200]
    title = (title or "").strip()[:200]
    existing = compact.signatures.filter(unit_id=unit_id).first()
    key = f"unit-{unit_id}"
    refuse_if_changed(
        seen=seen,
        now={key: signature_entry(membership.unit, existing)},
        yours={
            key: signature_entry(
                membership.unit,
                representative=representative,
                title=title,
                signed_on=signed_on,
            )
        },
    )
    if existing is not None and seen is None:
        raise ServiceError(_("This unit has already signed the compact."))
    if not representative:
        raise ServiceError(_("Give the name of the unit's representative."))
    values = {"representative": representative, "title": title, "signed_on": signed_on}
    return _write_signature(compact, unit_id, existing, values, user=user)


def _write_signature(compact, unit_id, existing, values: dict, *, user) -> Signature:
    """Creates the signature or replaces the one shown, recording the event; the same values
    again write nothing."""
    if existing is not None:
        if all(getattr(existing, name) == value for name, value in values.items()):
            return existing
        for name, value in values.items():
            setattr(existing, name, value)
        existing.recorded_by = user
        existing.save()
        signature = existing
    else:
        signature = Signature.objects.create(
            compact=compact, unit_id=unit_id, recorded_by=user, **values
        )
    record_event(
        compact,
        kind=CompactEvent.Kind.SIGNATURE,
        user=user,
        summary=f"{signature.unit} — {values['representative']}",
    )
    return signature


DOCUMENT_FIELDS = ("signed_scan", "operating_rules")


def documents_state(compact: Compact) -> State:
    """The compact's stored documents, as compared for a stale save."""
    return {
        name: entry(
            Compact._meta.get_field(name).verbose_name,
            getattr(compact, name).name or None,
            getattr(compact, name).name.rsplit("/", 1)[-1] or None,
        )
        for name in DOCUMENT_FIELDS
    }


@transaction.atomic
def attach_document(*, compact: Compact, field: str, upload, user, seen=None) -> None:
    """Stores the signed scan or the operating rules (PDF only), replacing an earlier one;
    StaleSave if that document changed since the page showed it (`seen`)."""
    if field not in DOCUMENT_FIELDS:
        raise ValueError(field)
    compact = Compact.objects.select_for_update().get(pk=compact.pk)
    refuse_if_changed(
        seen=seen,
        now={field: documents_state(compact)[field]},
        yours={field: entry("", upload.name)},
    )
    if not upload.name.lower().endswith(".pdf"):
        raise ServiceError(_("%(name)s: only PDF files are accepted here.") % {"name": upload.name})
    check_evidence_file(upload)
    old = getattr(compact, field)
    old_name = old.name if old else ""
    getattr(compact, field).save(upload.name, upload, save=False)
    compact.save(update_fields=[field, "updated_at"])
    if old_name:
        storage = old.storage
        transaction.on_commit(lambda: storage.delete(old_name))
