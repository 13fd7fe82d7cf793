"""Excel out and back: the reports and the template, the filled template's import with its
preview, the audit log (page and workbook) and one score's history. Routed by
`scoring.urls`.
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .. import audit as audit_module
from .. import excel, reports, selectors, services
from ..access import (
    get_compact_for_member,
    get_compact_for_user,
    get_member_unit,
    may_fill_any,
    may_fill_for,
    may_read_unit,
    scope_of,
)
from ..excel import WorkbookError, read_filled_template
from ..forms import (
    TemplateImportForm,
)
from ..models import Criterion
from ..numbers import count_text
from ..params import int_param

IMPORT_KEY = "template-import-{pk}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def export(request, pk, report):
    """The Excel reports: ranking and matrix for the cluster's readers; a unit's sheet and
    template also for that unit's officer (the template for whoever may fill it)."""
    if report not in reports.REPORTS:
        raise Http404
    compact, own, can_write = get_compact_for_member(request, pk)
    unit = None
    if report in reports.UNIT_REPORTS:
        unit_pk = int_param(request.GET.get("unit", ""))
        if unit_pk is not None:
            unit = get_member_unit(compact, unit_pk)
        elif own is not None:
            unit = own
        else:
            raise Http404
        if not may_read_unit(request.user, compact, unit, own=own):
            raise Http404  # an officer sees only their own unit's sheets
        if report == "template" and not may_fill_for(unit, own=own, can_write=can_write):
            raise PermissionDenied
    elif not scope_of(request.user).can_read_compact(compact):
        raise Http404
    # Written into a temporary file, then streamed from it: the matrix (every criterion ×
    # every unit) never holds its cells in memory, nor the finished workbook.
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    try:
        filename = reports.write_report(compact, report, file=file, unit=unit)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX)


@require_http_methods(["GET", "POST"])
def template_import(request, pk):
    """Upload a filled template → every change (old → new) and every problem → confirm."""
    compact, own, can_write = get_compact_for_member(request, pk)
    if not may_fill_any(own=own, can_write=can_write):
        raise PermissionDenied
    key = IMPORT_KEY.format(pk=compact.pk)
    if request.method == "POST" and "confirm" in request.POST:
        _confirm_import(request, compact, request.session.pop(key, None), own, can_write)
        return redirect("scoring:template_import", pk=compact.pk)
    form = TemplateImportForm()
    preview = None
    if request.method == "POST":
        form = TemplateImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                filled = read_filled_template(
                    form.cleaned_data["file"], criteria=compact.criteria.count()
                )
            except WorkbookError as error:
                form.add_error("file", error.message)
            else:
                preview = services.preview_template_import(
                    compact=compact,
                    filled=filled,
                    user=request.user,
                    allowed_unit_ids=None if can_write else {own.pk},
                )
                if not preview.problems and preview.changes:
                    request.session[key] = {
                        "unit": preview.unit.pk,
                        "cells": [
                            [c.unit_id, c.criterion_id, c.value, c.note, c.version]
                            for c in preview.cells
                        ],
                    }
    return render(
        request,
        "scoring/template_import.html",
        {"compact": compact, "form": form, "preview": preview, "own": own},
    )


def _confirm_import(request, compact, stored, own, can_write) -> None:
    """Applies the preview kept in the session and says what happened."""
    if not stored:
        messages.error(request, _("Upload the file again: the preview has expired."))
        return
    preview = services.ImportPreview(
        unit=get_member_unit(compact, stored["unit"]),
        cells=[services.CellInput(*cell) for cell in stored["cells"]],
    )
    if not may_fill_for(preview.unit, own=own, can_write=can_write):
        raise PermissionDenied
    try:
        count = services.apply_template_import(compact=compact, preview=preview, user=request.user)
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Imported %(count)s scores for %(unit)s.")
            % {"count": count_text(count), "unit": preview.unit},
        )


@require_safe
def audit(request, pk):
    """The compact's audit trail: every change of its year, who, when, old → new, why."""
    compact = get_compact_for_user(request, pk)
    kind = request.GET.get("kind", "")
    entries = audit_module.audit_log(compact, kinds=[kind] if kind in audit_module.KINDS else None)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/audit.html",
        {
            "compact": compact,
            "page": page,
            "kind": kind,
            "total": len(entries),
            "kinds": [
                (m._meta.model_name, m._meta.verbose_name_plural)
                for m, _f, _h in audit_module.TRACKED
            ],
        },
    )


@require_safe
def audit_export(request, pk):
    compact = get_compact_for_user(request, pk)
    leader = next((m for m in selectors.members_of(compact) if m.role == "leader"), None)
    content = excel.audit_workbook(
        compact,
        audit_module.audit_log(compact),
        day=timezone.localdate(),
        place=leader.unit.province if leader else "",
    )
    response = HttpResponse(
        content,
        content_type=XLSX,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="cum{compact.cluster.number}-{compact.year}-nhat-ky.xlsx"'
    )
    return response


@require_safe
def score_history(request, pk, unit_pk, criterion_pk):
    """One cell's history, for the cluster's readers and the unit's own officer."""
    compact, own, _can_write = get_compact_for_member(request, pk)
    unit = get_member_unit(compact, unit_pk)
    if not may_read_unit(request.user, compact, unit, own=own):
        raise Http404
    criterion = get_object_or_404(Criterion, compact=compact, pk=criterion_pk)
    return render(
        request,
        "scoring/score_history.html",
        {
            "compact": compact,
            "unit": unit,
            "criterion": criterion,
            "entries": audit_module.score_history(
                compact, unit_id=unit.pk, criterion_id=criterion.pk
            ),
        },
    )
