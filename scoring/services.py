"""Writes. Each validates everything first and writes in one transaction, or writes nothing."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import ranking
from .models import NOTE_MAX_LENGTH, Assessment, Compact, Criterion, Evidence, Score, Target
from .numbers import parse_number

VERIFIED = "verified"
SELF = "self"


class ServiceError(Exception):
    """A refusal to show the user as it is; nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def _points_field(side):
    return (
        ("verified_value", "verified_points", "verified_note")
        if side == VERIFIED
        else ("self_value", "self_points", "self_note")
    )


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


@dataclass
class Change:
    """One cell a save would change: the score as it would be saved, and what it was."""

    score: Score
    old_value: Decimal | None
    new_value: Decimal | None
    created: bool


@dataclass
class ScorePlan:
    changes: list[Change] = field(default_factory=list)
    problems: dict[tuple[int, int], CellProblem] = field(default_factory=dict)


def plan_scores(
    *,
    compact: Compact,
    user,
    cells: list[CellInput],
    side: str,
    unit_id: int | None = None,
    lock: bool = False,
    appeal: bool = False,
) -> ScorePlan:
    """What saving these cells would do, and every problem, without writing anything.

    The rules are record_scores's: see there. With `lock`, the scores and the unit's
    self-assessment are locked for update (call inside a transaction).
    """
    if not (appeal and side == VERIFIED and compact.status == Compact.Status.SCORING_CLOSED):
        ensure_open(compact)
    value_field, points_field, note_field = _points_field(side)
    plan = ScorePlan()
    problems = plan.problems
    if side == SELF:
        # Locked, not created: a save that changes nothing leaves no draft behind.
        assessments = Assessment.objects.filter(compact=compact, unit_id=unit_id)
        _ensure_editable_by_unit((assessments.select_for_update() if lock else assessments).first())
    criteria = {c.id: c for c in Criterion.objects.filter(compact=compact)}
    parents = {c.parent_id for c in criteria.values() if c.parent_id}
    members = set(compact.memberships().values_list("unit_id", flat=True))
    unit_ids = {c.unit_id for c in cells}
    targets = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, unit_id__in=unit_ids)
    }
    scores = Score.objects.filter(compact=compact, unit_id__in=unit_ids).select_related(
        "updated_by"
    )
    if lock:
        scores = scores.select_for_update(of=("self",))
    existing = {(s.unit_id, s.criterion_id): s for s in scores}
    now = timezone.now()
    for cell in cells:
        key = (cell.unit_id, cell.criterion_id)
        criterion = criteria.get(cell.criterion_id)
        if cell.unit_id not in members or (side == SELF and cell.unit_id != unit_id):
            problems[key] = CellProblem(_("This unit is not part of this sheet."))
            continue
        if criterion is None:
            problems[key] = CellProblem(_("This criterion is not part of this scheme."))
            continue
        if criterion.id in parents:
            problems[key] = CellProblem(
                _("%(code)s is a group: score its criteria instead.") % {"code": criterion.code}
            )
            continue
        try:
            value = parse_number(cell.value)
        except ValueError as exc:
            problems[key] = CellProblem(str(exc))
            continue
        try:
            points = (
                None
                if value is None
                else ranking.points_for(
                    criterion=ranking.CriterionRule.of(criterion),
                    value=value,
                    target=targets.get(key),
                )
            )
        except ranking.InvalidScore as exc:
            problems[key] = CellProblem(exc.message)
            continue
        score = existing.get(key)
        old_value = getattr(score, value_field) if score else None
        old_note = getattr(score, note_field) if score else ""
        note = old_note if cell.note is None else cell.note.strip()
        if len(note) > NOTE_MAX_LENGTH:
            problems[key] = CellProblem(
                _("The note is %(length)s characters long; at most %(limit)s are allowed.")
                % {
                    "length": formats.number_format(len(note), force_grouping=True),
                    "limit": formats.number_format(NOTE_MAX_LENGTH, force_grouping=True),
                }
            )
            continue
        if old_value == value and old_note == note:
            continue
        current_version = score.version if score else 0
        if current_version != cell.version:
            problems[key] = _conflict(score, value_field, current_version)
            continue
        needs_reason = (
            side == VERIFIED
            and score is not None
            and score.self_points is not None
            and points is not None
            and points != score.self_points
            and not note
        )
        if needs_reason:
            problems[key] = CellProblem(
                _("The verified points differ from the self-assessed %(self)s: give a reason.")
                % {"self": ranking.format_points(score.self_points)}
            )
            continue
        created = score is None
        if created:
            score = Score(compact=compact, unit_id=cell.unit_id, criterion=criterion, version=0)
        setattr(score, value_field, value)
        setattr(score, points_field, points)
        setattr(score, note_field, note)
        score.version += 1
        score.updated_by = user
        score.updated_at = now
        plan.changes.append(
            Change(score=score, old_value=old_value, new_value=value, created=created)
        )
    return plan


def record_scores(
    *,
    compact: Compact,
    user,
    cells: list[CellInput],
    side: str,
    unit_id: int | None = None,
    appeal: bool = False,
) -> int:
    """Validates and saves a batch of cells: all of them, or none (raises SaveRefused).

    side "verified" is the secretariat's verification; side "self" is a unit's
    self-assessment, allowed only for `unit_id` and while its assessment is editable.
    A cell whose value and note are unchanged is skipped; a changed cell whose score was
    saved by someone else since the page was loaded is refused as a conflict. A verified
    value whose points differ from the self-assessed points needs a reason.
    With `appeal`, an upheld appeal corrects verified scores after scoring closed.
    Returns the number of scores written.
    """
    value_field, points_field, note_field = _points_field(side)
    try:
        with transaction.atomic():
            plan = plan_scores(
                compact=compact,
                user=user,
                cells=cells,
                side=side,
                unit_id=unit_id,
                lock=True,
                appeal=appeal,
            )
            if plan.problems:
                raise SaveRefused(plan.problems)
            if side == SELF and plan.changes:
                # The unit's first save starts its draft; a submission made meanwhile wins.
                _ensure_editable_by_unit(_assessment_for_update(compact, unit_id))
            to_create = [c.score for c in plan.changes if c.created]
            to_update = [c.score for c in plan.changes if not c.created]
            # The history records the same moment as the scores' updated_at.
            now = plan.changes[0].score.updated_at if plan.changes else timezone.now()
            if to_create:
                bulk_create_with_history(to_create, Score, default_user=user, default_date=now)
            if to_update:
                bulk_update_with_history(
                    to_update,
                    Score,
                    [value_field, points_field, note_field, "version", "updated_by", "updated_at"],
                    default_user=user,
                    default_date=now,
                )
    except IntegrityError:
        # Two first saves of the same empty cell at once: the database's unique constraint
        # stopped the second. Nothing of this save was written.
        raise ServiceError(
            _("Someone else saved this sheet at the same moment. Reload the page and try again.")
        ) from None
    return len(plan.changes)


def _conflict(score, value_field, current_version):
    value = getattr(score, value_field) if score else None
    who = (
        (score.updated_by.get_full_name() or score.updated_by.get_username())
        if (score and score.updated_by)
        else _("someone else")
    )
    shown = ranking.format_points(value) if value is not None else _("(empty)")
    return CellProblem(
        _(
            "%(who)s changed this cell to %(value)s after you opened the page. Save again to "
            "replace it with yours."
        )
        % {"who": who, "value": shown},
        current_value=shown,
        current_version=current_version,
    )


def content_codes_without(*, compact: Compact, unit_id: int, field: str) -> list[str]:
    """The codes, in scheme order, of the content criteria on which the unit has no
    `field` ("self_value" or "verified_value"). Bonus and deduction items may stay empty."""
    done = set(
        Score.objects.filter(
            compact=compact, unit_id=unit_id, **{f"{field}__isnull": False}
        ).values_list("criterion_id", flat=True)
    )
    return [
        c.code
        for c in Criterion.objects.filter(compact=compact).leaves().order_by("position")
        if c.section == ranking.Section.CONTENT and c.id not in done
    ]


@transaction.atomic
def submit_self_assessment(*, compact: Compact, unit_id: int, user) -> Assessment:
    """Hands the self-assessment to the secretariat. Every content criterion must be
    self-assessed; bonus and deduction items left empty count as none."""
    ensure_open(compact)
    assessment = _assessment_for_update(compact, unit_id)
    if not assessment.is_editable_by_unit:
        raise ServiceError(_("The self-assessment has already been submitted."))
    missing = content_codes_without(compact=compact, unit_id=unit_id, field="self_value")
    if missing:
        raise ServiceError(
            _("%(count)s criteria are not self-assessed yet: %(codes)s.")
            % {"count": len(missing), "codes": ", ".join(missing)}
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = user
    assessment.return_reason = ""
    assessment.save()
    return assessment


@transaction.atomic
def return_self_assessment(*, compact: Compact, unit_id: int, user, reason: str) -> Assessment:
    """The secretariat sends a submitted self-assessment back to the unit, with a reason."""
    ensure_open(compact)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give the reason for returning the self-assessment."))
    assessment = _assessment_for_update(compact, unit_id)
    if assessment.status not in (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED):
        raise ServiceError(_("Only a submitted self-assessment can be returned."))
    assessment.status = Assessment.Status.RETURNED
    assessment.return_reason = reason
    assessment._change_reason = reason
    assessment.save()
    return assessment


@dataclass
class AcceptancePlan:
    """What accepting a unit's self-assessment would do. `fills` are the scores with no
    verified value yet: they take the self-assessed one. `corrections` are the scores whose
    verified value differs from the self-assessed one (the secretariat corrected them,
    normally with a reason): they are kept unless the user chooses to overwrite them."""

    fills: list[Score] = field(default_factory=list)
    corrections: list[Score] = field(default_factory=list)


@dataclass(frozen=True)
class Acceptance:
    filled: int
    overwritten: int
    kept: int

    @property
    def changed(self) -> int:
        return self.filled + self.overwritten


def plan_self_acceptance(
    *, compact: Compact, unit_id: int, group_id: int | None = None, lock: bool = False
) -> AcceptancePlan:
    """Reads what accept_self_assessment would change, in scheme order, without writing.
    With `lock`, the scores are locked for update (call inside a transaction)."""
    ensure_open(compact)
    scores = Score.objects.filter(compact=compact, unit_id=unit_id, self_value__isnull=False)
    if lock:
        scores = scores.select_for_update(of=("self",))
    if group_id is not None:
        scores = scores.filter(_in_group(group_id))
    plan = AcceptancePlan()
    for score in scores.select_related("criterion").order_by("criterion__position"):
        if score.verified_value is None:
            plan.fills.append(score)
        elif (score.verified_value, score.verified_points) != (score.self_value, score.self_points):
            plan.corrections.append(score)
    return plan


# django-simple-history keeps at most 100 characters of a change reason.
ACCEPTED = gettext_lazy("Self-assessment accepted")
ACCEPTED_OVERWRITING = gettext_lazy("Self-assessment accepted, overwriting the verified correction")
ACCEPTED_KEEPING = gettext_lazy("Self-assessment accepted, the verified correction kept")


@transaction.atomic
def accept_self_assessment(
    *,
    compact: Compact,
    unit_id: int,
    user,
    group_id: int | None = None,
    overwrite: dict[int, int] | None = None,
) -> Acceptance:
    """Copies the self-assessed values into the verified ones, for the whole unit or one
    group, in one transaction or not at all.

    Empty verified cells take the self-assessed value. A verified value that differs from
    the self-assessed one (a correction) is kept, unless its criterion id is in `overwrite`,
    mapped to the score's version the user saw: if that score changed since (another
    version, or no longer a correction), nothing is written. Every score touched gets a
    history record with its reason, the kept corrections too.
    """
    overwrite = overwrite or {}
    plan = plan_self_acceptance(compact=compact, unit_id=unit_id, group_id=group_id, lock=True)
    corrections = {score.criterion_id: score for score in plan.corrections}
    stale = [
        criterion_id
        for criterion_id, version in overwrite.items()
        if criterion_id not in corrections or corrections[criterion_id].version != version
    ]
    if stale:
        codes = Criterion.objects.filter(compact=compact, pk__in=stale).order_by("position")
        raise ServiceError(
            _(
                "Nothing was changed: %(codes)s changed since you opened this page. "
                "Review the list again."
            )
            % {"codes": ", ".join(c.code for c in codes) or "?"}
        )
    now = timezone.now()
    changed, kept = [], []
    for score in plan.fills:
        score._change_reason = str(ACCEPTED)
        changed.append(score)
    for score in plan.corrections:
        if score.criterion_id in overwrite:
            score._change_reason = str(ACCEPTED_OVERWRITING)
            changed.append(score)
        else:
            kept.append(score)
    for score in changed:
        score.verified_value = score.self_value
        score.verified_points = score.self_points
        score.verified_note = ""
        score.version += 1
        score.updated_by = user
        score.updated_at = now
    if changed:
        bulk_update_with_history(
            changed,
            Score,
            [
                "verified_value",
                "verified_points",
                "verified_note",
                "version",
                "updated_by",
                "updated_at",
            ],
            default_user=user,
            default_date=now,
        )
    if kept:
        # The scores do not change, but the trail says that the acceptance left them be.
        Score.history.bulk_history_create(
            kept,
            update=True,
            default_user=user,
            default_date=now,
            default_change_reason=str(ACCEPTED_KEEPING),
        )
    return Acceptance(
        filled=len(plan.fills), overwritten=len(changed) - len(plan.fills), kept=len(kept)
    )


def _in_group(group_id):
    """Scores on the leaves below a node (the scheme is at most three levels deep)."""
    return (
        Q(criterion_id=group_id)
        | Q(criterion__parent_id=group_id)
        | Q(criterion__parent__parent_id=group_id)
    )


@transaction.atomic
def mark_verified(*, compact: Compact, unit_id: int, user) -> Assessment:
    """Closes a unit's verification: every content criterion must have verified points."""
    ensure_open(compact)
    missing = content_codes_without(compact=compact, unit_id=unit_id, field="verified_value")
    if missing:
        raise ServiceError(
            _("%(count)s criteria are not verified yet: %(codes)s.")
            % {"count": len(missing), "codes": ", ".join(missing)}
        )
    assessment = _assessment_for_update(compact, unit_id)
    assessment.status = Assessment.Status.VERIFIED
    assessment.save()
    return assessment


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
    from pathlib import PurePath

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
        written = record_scores(compact=compact, user=user, cells=cells, side=SELF, unit_id=unit_id)
        if evidence:
            # All the page's files at once, before any is stored.
            _assessment_for_update(compact, unit_id)
            check_evidence_quota(compact=compact, unit_id=unit_id, evidence=evidence)
        for criterion_id, files in evidence.items():
            attach_evidence(
                compact=compact, unit_id=unit_id, criterion_id=criterion_id, user=user, files=files
            )
    return written


@dataclass
class ImportPreview:
    """What importing a filled template would change (old → new), or why it cannot."""

    unit: object | None = None
    cells: list[CellInput] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def preview_template_import(
    *, compact: Compact, filled, user, allowed_unit_ids=None
) -> ImportPreview:
    """Checks a filled template against the compact and plans its changes, writing nothing.

    The template must be this cluster's and year's, of a member unit the user may import
    for (`allowed_unit_ids`, None for any). Every problem is reported with its sheet and cell.
    """
    from units.models import Unit

    from .excel import cell_problem

    preview = ImportPreview(problems=list(filled.problems))
    if filled.cluster_number != compact.cluster.number or filled.year != compact.year:
        preview.problems.insert(
            0,
            _("This template is for cluster %(cluster)s, year %(year)s, not for %(compact)s.")
            % {"cluster": filled.cluster_number, "year": filled.year, "compact": compact},
        )
        return preview
    unit = Unit.objects.filter(code=filled.unit_code).first()
    members = set(compact.memberships().values_list("unit_id", flat=True))
    if unit is None or unit.pk not in members:
        preview.problems.insert(
            0,
            _("This template is for a unit (%(code)s) that is not a member of %(compact)s.")
            % {"code": filled.unit_code, "compact": compact},
        )
        return preview
    if allowed_unit_ids is not None and unit.pk not in allowed_unit_ids:
        preview.problems.insert(
            0,
            _("This template is %(unit)s's; you can import only your own unit's.") % {"unit": unit},
        )
        return preview
    preview.unit = unit
    criteria = {c.code: c for c in Criterion.objects.filter(compact=compact)}
    rows_by_key = {}
    for row in filled.rows:
        criterion = criteria.get(row.code)
        if criterion is None:
            preview.problems.append(
                cell_problem(
                    row.sheet,
                    f"A{row.row}",
                    _("the criterion code %(code)s is not in the scheme") % {"code": row.code},
                )
            )
            continue
        preview.cells.append(CellInput(unit.pk, criterion.pk, row.value, row.note, row.version))
        rows_by_key[(unit.pk, criterion.pk)] = row
    try:
        plan = plan_scores(
            compact=compact, user=user, cells=preview.cells, side=SELF, unit_id=unit.pk
        )
    except ServiceError as error:
        preview.problems.append(error.message)
        return preview
    for key, problem in plan.problems.items():
        row = rows_by_key[key]
        preview.problems.append(cell_problem(row.sheet, row.cell, problem.message))
    titles = {c.pk: c for c in criteria.values()}
    for change in plan.changes:
        criterion = titles[change.score.criterion_id]
        preview.changes.append(
            {
                "code": criterion.code,
                "title": criterion.title,
                "old": change.old_value,
                "new": change.new_value,
                "points": change.score.self_points,
                "note": change.score.self_note,
            }
        )
    return preview


def apply_template_import(*, compact: Compact, preview: ImportPreview, user) -> int:
    """Writes a previewed import in one transaction; the same checks run again, so a change
    made since the preview (or since the template was exported) is refused, not lost."""
    if preview.problems or preview.unit is None:
        raise ServiceError(_("The file has problems; nothing was imported."))
    return record_scores(
        compact=compact, user=user, cells=preview.cells, side=SELF, unit_id=preview.unit.pk
    )
