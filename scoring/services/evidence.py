"""Evidence files of a self-assessment: checking a file (type, size), attaching it, removing
it, and the self-assessment save that stores scores and files together. Called by the
self-assessment views and lifecycle (signed documents).
"""

from pathlib import PurePath

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from ..models import Compact, Criterion, Evidence
from ..ranking import Side
from .common import CellInput, ServiceError, _assessment_for_update, ensure_open
from .scores import record_scores

# The default; settings.EVIDENCE_MAX_FILE_BYTES (from EVIDENCE_MAX_FILE_MB) is what holds.
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
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise ServiceError(
            _("%(name)s: only PDF, images (PNG, JPEG) and Office files are accepted.")
            % {"name": upload.name}
        )
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if upload.size > limit:
        raise ServiceError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": _megabytes(limit)}
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


def _megabytes(size):
    return formats.number_format(size / (1024 * 1024), decimal_pos=0, force_grouping=True)


def check_evidence_quota(*, compact: Compact, unit_id: int, evidence: dict[int, list]) -> None:
    """ServiceError unless adding these files ({criterion id: [files]}) keeps the unit within
    EVIDENCE_MAX_FILES_PER_CRITERION, EVIDENCE_MAX_FILES_PER_UNIT and EVIDENCE_MAX_UNIT_BYTES
    (per compact). Call with the unit's self-assessment locked, so two uploads queue."""
    stored = Evidence.objects.filter(compact=compact, unit_id=unit_id)
    per_criterion = dict(
        stored.values("criterion_id").annotate(n=Count("pk")).values_list("criterion_id", "n")
    )
    totals = stored.aggregate(n=Count("pk"), size=Sum("size"))
    criteria = dict(
        Criterion.objects.filter(compact=compact, pk__in=evidence).values_list("pk", "code")
    )
    limit = settings.EVIDENCE_MAX_FILES_PER_CRITERION
    for criterion_id, files in evidence.items():
        already = per_criterion.get(criterion_id, 0)
        if already + len(files) > limit:
            raise ServiceError(
                _(
                    "Criterion %(code)s already has %(count)s evidence files; each criterion "
                    "takes at most %(limit)s."
                )
                % {"code": criteria.get(criterion_id, "?"), "count": already, "limit": limit}
            )
    new_files = [f for files in evidence.values() for f in files]
    limit = settings.EVIDENCE_MAX_FILES_PER_UNIT
    if totals["n"] + len(new_files) > limit:
        raise ServiceError(
            _("The unit already has %(count)s evidence files this year; the limit is %(limit)s.")
            % {"count": totals["n"], "limit": limit}
        )
    limit = settings.EVIDENCE_MAX_UNIT_BYTES
    used = totals["size"] or 0
    if used + sum(f.size for f in new_files) > limit:
        raise ServiceError(
            _(
                "The unit's evidence this year would exceed %(limit)s MB (%(used)s MB already "
                "stored): remove files that are no longer needed, or send smaller ones."
            )
            % {"limit": _megabytes(limit), "used": _megabytes(used)}
        )


def attach_evidence(
    *, compact: Compact, unit_id: int, criterion_id: int, user, files
) -> list[Evidence]:
    """Stores evidence files for one criterion of the unit's self-assessment: all or none,
    within the limits of check_evidence_file and check_evidence_quota."""
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
            check_evidence_quota(
                compact=compact, unit_id=unit_id, evidence={criterion_id: list(files)}
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
        if evidence:
            # All the page's files at once, before any is stored.
            _assessment_for_update(compact, unit_id)
            check_evidence_quota(compact=compact, unit_id=unit_id, evidence=evidence)
        for criterion_id, files in evidence.items():
            attach_evidence(
                compact=compact, unit_id=unit_id, criterion_id=criterion_id, user=user, files=files
            )
    return written
