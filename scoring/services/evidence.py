"""Evidence files of a self-assessment: checking a file (type, size), attaching it, removing
it, and the self-assessment save that stores scores and files together. Called by the
self-assessment views and lifecycle (signed documents).
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Compact, Criterion, Evidence
from ..ranking import Side
from .common import CellInput, ServiceError, _assessment_for_update, ensure_open
from .scores import record_scores

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# Extension → (content type, accepted leading bytes). Office files are ZIP (OOXML, ODF) or OLE.
EVIDENCE_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}


def check_evidence_file(upload) -> str:
    """The content type of an acceptable evidence upload; ServiceError otherwise."""
    from pathlib import PurePath

    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ServiceError(
            _("%(name)s: only PDF, images (PNG, JPEG) and Office files are accepted.")
            % {"name": upload.name}
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ServiceError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ServiceError(_("%(name)s is empty.") % {"name": upload.name})
    content_type, signatures = EVIDENCE_TYPES[suffix]
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in signatures):
        raise ServiceError(
            _("%(name)s is not really a %(type)s file.")
            % {"name": upload.name, "type": suffix.lstrip(".").upper()}
        )
    return content_type


def attach_evidence(
    *, compact: Compact, unit_id: int, criterion_id: int, user, files
) -> list[Evidence]:
    """Stores evidence files for one criterion of the unit's self-assessment: all or none."""
    ensure_open(compact)
    criterion = Criterion.objects.filter(compact=compact, pk=criterion_id).first()
    if criterion is None:
        raise ServiceError(_("This criterion is not part of this scheme."))
    content_types = [check_evidence_file(f) for f in files]
    stored = []
    try:
        with transaction.atomic():
            assessment = _assessment_for_update(compact, unit_id)
            if not assessment.is_editable_by_unit:
                raise ServiceError(
                    _(
                        "The self-assessment has been submitted and can no longer be changed "
                        "unless the secretariat returns it."
                    )
                )
            for upload, content_type in zip(files, content_types, strict=True):
                evidence = Evidence(
                    compact=compact,
                    unit_id=unit_id,
                    criterion=criterion,
                    original_name=upload.name[:255],
                    size=upload.size,
                    content_type=content_type,
                    uploaded_by=user,
                )
                evidence.file.save(upload.name, upload, save=False)
                stored.append(evidence)
                evidence.save()
    except Exception:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    return stored


@transaction.atomic
def remove_evidence(*, evidence: Evidence, user) -> None:
    ensure_open(evidence.compact)
    assessment = _assessment_for_update(evidence.compact, evidence.unit_id)
    if not assessment.is_editable_by_unit:
        raise ServiceError(
            _(
                "The self-assessment has been submitted and can no longer be changed unless the "
                "secretariat returns it."
            )
        )
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


def save_self_assessment(
    *, compact: Compact, unit_id: int, user, cells: list[CellInput], evidence: dict[int, list]
) -> int:
    """A unit's self-assessment page saved at once: values, notes and new evidence files,
    all or nothing. Returns the number of scores written."""
    with transaction.atomic():
        written = record_scores(
            compact=compact, user=user, cells=cells, side=Side.SELF, unit_id=unit_id
        )
        for criterion_id, files in evidence.items():
            attach_evidence(
                compact=compact, unit_id=unit_id, criterion_id=criterion_id, user=user, files=files
            )
    return written
