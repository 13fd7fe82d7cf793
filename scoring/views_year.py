"""The compact's year: starting it, members, settings, the scheme editor and import,
targets, signing, documents and status transitions."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from units.models import Membership, Unit

from . import audit as audit_module
from . import excel, handover, lifecycle, reports, schemes, selectors, services
from . import targets as target_rules
from .access import (
    get_cluster_for_user,
    get_compact_for_member,
    get_compact_for_user,
    get_member_unit,
    scope_of,
)
from .concurrency import StaleSave, dump_state, load_state
from .excel import ParsedScheme, WorkbookError, parse_scheme_workbook, read_filled_template
from .forms import (
    CriterionForm,
    DocumentForm,
    ImportForm,
    SettingsForm,
    SignatureForm,
    StartYearForm,
    TemplateImportForm,
    TransitionForm,
)
from .models import MAX_DEPTH, Compact, Criterion, Target
from .params import int_param
from .ranking import format_points
from .templatetags.points import plain

IMPORT_SESSION_KEY = "scheme-import-{pk}"


def _members_choice(data) -> dict:
    """The chosen members and roles of a StartYearForm, as the lifecycle services take them."""
    return {
        "unit_ids": [u.pk for u in data["units"]],
        "leader_id": data["leader"].pk if data["leader"] else None,
        "deputy_id": data["deputy"].pk if data["deputy"] else None,
    }


@require_http_methods(["GET", "POST"])
def start_year(request, cluster_pk):
    cluster = get_cluster_for_user(request, cluster_pk, write=True)
    latest = cluster.compacts.order_by("-year").first()
    initial = {"year": (latest.year + 1) if latest else datetime.date.today().year}
    elected = handover.elected_for_next_year(latest)
    if latest:
        members = Membership.objects.of_cluster(cluster.pk, latest.year)
        initial |= {"source": latest, "units": [m.unit_id for m in members]}
        initial |= {"leader": elected[0], "deputy": elected[1]}
    form = StartYearForm(request.POST or None, cluster=cluster, user=request.user, initial=initial)
    # A year still being scored: starting the next one needs an explicit confirmation.
    unfinished = None
    if latest and latest.status in (Compact.Status.IN_FORCE, Compact.Status.SCORING_CLOSED):
        unfinished = selectors.ranking_for(latest)
    confirmed = request.POST.get("confirm_unfinished") == "1"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if unfinished is not None and not confirmed:
            form.add_error(
                None,
                _(
                    "%(year)s is still being scored: tick the confirmation below to start "
                    "a new year anyway."
                )
                % {"year": latest.year},
            )
        else:
            try:
                compact = handover.start_year(
                    cluster=cluster,
                    year=data["year"],
                    user=request.user,
                    source=data["source"],
                    **_members_choice(data),
                )
            except services.ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("The %(year)s compact was created as a draft.") % {"year": compact.year},
                )
                return redirect("scoring:compact", pk=compact.pk)
    return render(
        request,
        "scoring/start_year.html",
        {
            "cluster": cluster,
            "form": form,
            "rotation": lifecycle.leaders_by_year(cluster.pk),
            "unfinished": unfinished,
            "confirmed": confirmed,
            "elected": elected if any(elected) else None,
        },
    )


@require_http_methods(["GET", "POST"])
def members(request, pk):
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    current = list(compact.memberships())
    roles = {m.role: m.unit_id for m in current}
    form = StartYearForm(
        request.POST or None,
        cluster=compact.cluster,
        user=request.user,
        year=compact.year,
        with_year=False,
        initial={
            "units": [m.unit_id for m in current],
            "leader": roles.get("leader"),
            "deputy": roles.get("deputy"),
        },
        seen_state=lifecycle.current_members_state(compact.cluster_id, compact.year),
    )
    if request.method == "POST" and form.is_valid():
        if compact.scheme_is_frozen:
            form.add_error(None, _("Members can change only while the compact is a draft."))
        else:
            data = form.cleaned_data
            try:
                lifecycle.set_members(
                    cluster_id=compact.cluster_id,
                    year=compact.year,
                    user=request.user,
                    seen=data["seen"],
                    **_members_choice(data),
                )
            except StaleSave as error:
                form.refuse_stale(
                    error, lifecycle.current_members_state(compact.cluster_id, compact.year)
                )
            except services.ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The members were saved."))
                return redirect("scoring:compact", pk=compact.pk)
    return render(
        request,
        "scoring/members.html",
        {
            "compact": compact,
            "form": form,
            "rotation": lifecycle.leaders_by_year(compact.cluster_id),
        },
    )


@require_http_methods(["GET", "POST"])
def settings_view(request, pk):
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    form = SettingsForm(
        request.POST or None,
        instance=compact,
        groups=selectors.top_groups(compact),
        seen_state=schemes.settings_state(schemes.settings_values(compact)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            schemes.save_settings(
                compact=compact,
                user=request.user,
                data=form.settings_data(),
                reason=form.cleaned_data["reason"],
                seen=form.cleaned_data["seen"],
            )
        except StaleSave as error:
            compact.refresh_from_db()
            form.refuse_stale(error, schemes.settings_state(schemes.settings_values(compact)))
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The compact's settings were saved."))
            return redirect("scoring:compact", pk=compact.pk)
    return render(
        request,
        "scoring/settings.html",
        {"compact": compact, "form": form, "editable": _can_edit(request, compact)},
    )


def _can_edit(request, compact):
    return not compact.is_finalized and scope_of(request.user).can_write_compact(compact)


def _scheme_context(request, compact, **extra):
    nodes = selectors.criteria_for_compact(compact)
    problems = selectors.scheme_problems(compact)
    codes_with_problems = {p.split(":", 1)[0] for p in problems}
    editable = _can_edit(request, compact)
    if editable:
        for node in nodes:  # what the move buttons saw (see concurrency)
            node.seen_order = dump_state(schemes.order_state(nodes, node))
    return {
        "compact": compact,
        "nodes": nodes,
        "problems": problems,
        "codes_with_problems": codes_with_problems,
        "editable": editable,
        "max_depth": MAX_DEPTH,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def scheme(request, pk):
    """The scheme editor: the tree with its checks, and a form to add a criterion."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    nodes = selectors.criteria_for_compact(compact)
    parent = request.GET.get("parent")
    form = CriterionForm(
        request.POST or None,
        compact=compact,
        nodes=nodes,
        initial={"parent": parent} if parent else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            criterion = schemes.save_criterion(
                compact=compact,
                user=request.user,
                data=form.cleaned_data,
                reason=form.cleaned_data["reason"],
            )
        except services.ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Added %(code)s.") % {"code": criterion.code})
            return redirect(reverse("scoring:scheme", args=[compact.pk]) + f"#c{criterion.pk}")
    return render(request, "scoring/scheme.html", _scheme_context(request, compact, form=form))


@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk, criterion_pk):
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    criterion = get_object_or_404(Criterion, compact=compact, pk=criterion_pk)
    nodes = selectors.criteria_for_compact(compact)
    seen_state = schemes.criterion_state(schemes.criterion_values(criterion))
    form = CriterionForm(
        request.POST or None,
        instance=criterion,
        compact=compact,
        nodes=nodes,
        seen_state=seen_state,
    )
    if request.method == "POST" and form.is_valid():
        try:
            criterion = schemes.save_criterion(
                compact=compact,
                user=request.user,
                criterion=criterion,
                data=form.cleaned_data,
                reason=form.cleaned_data["reason"],
                seen=form.cleaned_data["seen"],
            )
        except StaleSave as error:
            criterion.refresh_from_db()
            seen_state = schemes.criterion_state(schemes.criterion_values(criterion))
            form.refuse_stale(error, seen_state)
        except services.ServiceError as error:
            form.add_error(None, error.message)
            criterion.refresh_from_db()
        else:
            messages.success(request, _("Saved %(code)s.") % {"code": criterion.code})
            return redirect(reverse("scoring:scheme", args=[compact.pk]) + f"#c{criterion.pk}")
    return render(
        request,
        "scoring/criterion_edit.html",
        {
            "compact": compact,
            "criterion": criterion,
            "form": form,
            "seen": dump_state(seen_state),
            "editable": _can_edit(request, compact),
        },
    )


def _scheme_action(request, pk, action):
    compact = get_compact_for_user(request, pk, write=True)
    reason = request.POST.get("reason", "")
    try:
        result = action(compact, reason, load_state(request.POST.get("seen")))
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        if result:
            messages.success(request, result)
    return redirect(reverse("scoring:scheme", args=[compact.pk]) + request.POST.get("anchor", ""))


@require_POST
def criterion_move(request, pk, criterion_pk):
    def action(compact, reason, seen):
        criterion = get_object_or_404(Criterion, compact=compact, pk=criterion_pk)
        schemes.move_criterion(
            compact=compact,
            criterion=criterion,
            user=request.user,
            up=request.POST.get("direction") == "up",
            reason=reason,
            seen=seen,
        )
        return ""

    return _scheme_action(request, pk, action)


@require_POST
def criterion_delete(request, pk, criterion_pk):
    def action(compact, reason, seen):
        criterion = get_object_or_404(Criterion, compact=compact, pk=criterion_pk)
        code = criterion.code
        schemes.delete_criterion(
            compact=compact, criterion=criterion, user=request.user, reason=reason, seen=seen
        )
        return _("Deleted %(code)s.") % {"code": code}

    return _scheme_action(request, pk, action)


@require_POST
def renumber(request, pk):
    def action(compact, reason, _seen):
        count = schemes.renumber(compact=compact, user=request.user, reason=reason)
        return _("Renumbered: %(count)s codes changed.") % {"count": count}

    return _scheme_action(request, pk, action)


@require_http_methods(["GET", "POST"])
def scheme_import(request, pk):
    """Upload → preview of the tree and every problem → confirm. Nothing is written before
    the confirmation, and nothing at all if the file has a problem."""
    compact = get_compact_for_user(request, pk, write=request.method == "POST")
    key = IMPORT_SESSION_KEY.format(pk=compact.pk)
    form = ImportForm()
    parsed = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.get(key)
        if not stored:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("scoring:scheme_import", pk=compact.pk)
        try:
            count = schemes.apply_import(
                compact=compact, user=request.user, parsed=ParsedScheme.from_dict(stored)
            )
        except services.ServiceError as error:
            messages.error(request, error.message)
            return redirect("scoring:scheme_import", pk=compact.pk)
        del request.session[key]
        messages.success(request, _("Imported %(count)s criteria.") % {"count": count})
        return redirect("scoring:scheme", pk=compact.pk)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                parsed = parse_scheme_workbook(form.cleaned_data["file"])
            except WorkbookError as error:
                form.add_error("file", error.message)
            else:
                request.session[key] = parsed.as_dict()
    return render(
        request,
        "scoring/scheme_import.html",
        {
            "compact": compact,
            "form": form,
            "parsed": parsed,
            "can_import": compact.status == compact.Status.DRAFT,
        },
    )


@require_http_methods(["GET", "POST"])
def targets(request, pk):
    """Registered targets for the quantitative criteria: the secretariat for every member,
    an officer for its own unit. Each input shows the target in the user's format with, in
    a hidden `o-…` input, the value the page showed (plain decimal) for the stale check of
    `targets.register_targets`. A refused page shows what was typed, as it was typed."""
    compact, own, can_write = get_compact_for_member(request, pk)
    units = [
        m.unit
        for m in selectors.members_of(compact)
        if can_write or (own is not None and m.unit_id == own.pk)
    ]
    if not can_write and own is None and request.method == "POST":
        raise PermissionDenied  # a leader reads the targets but registers none
    allowed = {u.pk for u in units} if (can_write or own) else set()
    criteria = list(
        Criterion.objects.filter(compact=compact, kind="quantitative").order_by("position")
    )
    unit_ids = [u.pk for u in units]
    problems = {}
    posted = {}
    if request.method == "POST":
        entries = target_rules.entries_from_post(request.POST)
        posted = {(e.unit_id, e.criterion_id): e for e in entries}
        try:
            count = target_rules.register_targets(
                compact=compact, user=request.user, entries=entries, unit_ids=allowed
            )
        except services.SaveRefused as refused:
            problems = refused.problems
            messages.error(
                request,
                _("Nothing was saved: %(count)s cells need your attention (marked in red).")
                % {"count": len(problems)},
            )
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved %(count)s targets.") % {"count": count})
            return redirect("scoring:targets", pk=compact.pk)
    current = {
        (t.unit_id, t.criterion_id): t.value
        for t in Target.objects.filter(compact=compact, unit_id__in=unit_ids)
    }

    def cell(unit, criterion):
        key = (unit.pk, criterion.pk)
        stored = current.get(key)
        entry = posted.get(key)
        problem = problems.get(key)
        stored_plain = "" if stored is None else plain(stored)
        if entry is None:
            text = "" if stored is None else format_points(stored, grouping=True)
            original = stored_plain
        else:
            text = entry.value
            # After a conflict the page has shown the other person's value: saving again
            # replaces it deliberately.
            conflict = problem is not None and problem.current_value is not None
            original = stored_plain if conflict else (entry.original or "")
        return {
            "unit": unit,
            "key": f"{unit.pk}-{criterion.pk}",
            "text": text,
            "original": original,
            "problem": problem.message if problem else "",
        }

    rows = [{"criterion": c, "cells": [cell(u, c) for u in units]} for c in criteria]
    return render(
        request,
        "scoring/targets.html",
        {
            "compact": compact,
            "units": units,
            "rows": rows,
            "editable": target_rules.targets_editable(compact) and bool(allowed),
        },
    )


@require_http_methods(["GET", "POST"])
def signing(request, pk):
    """The members and their signatures; the secretariat records any member's, an officer
    its own unit's."""
    compact, own, can_write = get_compact_for_member(request, pk)
    signatures = {s.unit_id: s for s in compact.signatures.select_related("recorded_by")}
    memberships = selectors.members_of(compact)
    signable = [
        m.unit for m in memberships if can_write or (own is not None and m.unit_id == own.pk)
    ]
    may_sign = [u for u in signable if u.pk not in signatures]
    form = SignatureForm(
        request.POST or None,
        # A posted unit may have signed meanwhile: the service then shows that signature,
        # and saving again replaces it deliberately.
        units=Unit.objects.filter(
            pk__in=[u.pk for u in (signable if request.method == "POST" else may_sign)]
        ),
        initial={
            "signed_on": compact.signed_on or datetime.date.today(),
            "unit": may_sign[0].pk if len(may_sign) == 1 else None,
        },
        seen_state=lifecycle.signature_state(compact),
    )
    if request.method == "POST":
        if not may_sign and not can_write:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                lifecycle.sign(
                    compact=compact,
                    unit_id=data["unit"].pk,
                    user=request.user,
                    representative=data["representative"],
                    title=data["title"],
                    signed_on=data["signed_on"],
                    seen=data["seen"],
                )
            except StaleSave as error:
                form.refuse_stale(error, lifecycle.signature_state(compact))
            except services.ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Recorded the signature of %(unit)s.") % {"unit": data["unit"]}
                )
                return redirect("scoring:signing", pk=compact.pk)
    rows = [{"membership": m, "signature": signatures.get(m.unit_id)} for m in memberships]
    return render(
        request,
        "scoring/signing.html",
        {
            "compact": compact,
            "rows": rows,
            "form": form,
            "may_sign": may_sign,
            "can_write": can_write,
            "document_form": DocumentForm(seen_state=lifecycle.documents_state(compact)),
            "signed_count": len(signatures),
        },
    )


@require_POST
def document_upload(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors.get("seen", [_("Choose a PDF file.")])[0])
    else:
        try:
            lifecycle.attach_document(
                compact=compact,
                field=form.cleaned_data["field"],
                upload=form.cleaned_data["file"],
                user=request.user,
                seen=form.cleaned_data["seen"],
            )
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The document was stored."))
    return redirect("scoring:signing", pk=compact.pk)


def document_download(request, pk, field):
    compact, _own, _can_write = get_compact_for_member(request, pk)
    if field not in ("signed_scan", "operating_rules"):
        raise Http404
    stored = getattr(compact, field)
    if not stored:
        raise Http404
    names = {"signed_scan": "giao-uoc-da-ky", "operating_rules": "quy-che-hoat-dong"}
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{names[field]}-{compact.year}.pdf",
        content_type="application/pdf",
    )


@require_POST
def change_status(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        lifecycle.change_status(
            compact=compact,
            target=form.cleaned_data["target"],
            user=request.user,
            is_administrator=scope_of(request.user).is_admin,
            reason=form.cleaned_data["reason"],
            override=form.cleaned_data["override"],
        )
    except services.ServiceError as error:
        messages.error(request, error.message)
    else:
        compact.refresh_from_db()
        messages.success(
            request, _("Status: %(status)s.") % {"status": compact.get_status_display()}
        )
    return redirect("scoring:compact", pk=compact.pk)


def compact_print(request, pk):
    """The compact as a document to sign and file: A4, the official two-column heading."""
    compact, _own, _can_write = get_compact_for_member(request, pk)
    memberships = selectors.members_of(compact)
    signatures = {s.unit_id: s for s in compact.signatures.all()}
    day = selectors.year_end(compact) if compact.signed_on is None else compact.signed_on
    return render(
        request,
        "scoring/compact_print.html",
        {
            "compact": compact,
            "members": [
                {
                    "membership": m,
                    "name": m.unit.names_on(day)[0],
                    "signature": signatures.get(m.unit_id),
                }
                for m in memberships
            ],
            "leader": next((m for m in memberships if m.role == "leader"), None),
            "scheme": selectors.criteria_for_compact(compact),
        },
    )


IMPORT_KEY = "template-import-{pk}"


def export(request, pk, report):
    """The Excel reports: ranking and matrix for the cluster's readers; a unit's sheet and
    template also for that unit's officer (the template for whoever may fill it)."""
    if report not in reports.REPORTS:
        raise Http404
    compact, own, can_write = get_compact_for_member(request, pk)
    readable = scope_of(request.user).can_read_compact(compact)
    unit = None
    if report in reports.UNIT_REPORTS:
        unit_pk = int_param(request.GET.get("unit", ""))
        if unit_pk is not None:
            unit = get_member_unit(compact, unit_pk)
        elif own is not None:
            unit = own
        else:
            raise Http404
        if not readable and unit.pk != own.pk:
            raise Http404  # an officer sees only their own unit's sheets
        if report == "template" and not (can_write or (own is not None and unit.pk == own.pk)):
            raise PermissionDenied
    elif not readable:
        raise Http404
    filename, content = reports.build_report(compact, report, unit=unit)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def template_import(request, pk):
    """Upload a filled template → every change (old → new) and every problem → confirm."""
    compact, own, can_write = get_compact_for_member(request, pk)
    if not can_write and own is None:
        raise PermissionDenied
    allowed = None if can_write else {own.pk}
    key = IMPORT_KEY.format(pk=compact.pk)
    form = TemplateImportForm()
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        stored = request.session.pop(key, None)
        if not stored:
            messages.error(request, _("Upload the file again: the preview has expired."))
            return redirect("scoring:template_import", pk=compact.pk)
        preview = services.ImportPreview(
            unit=get_member_unit(compact, stored["unit"]),
            cells=[services.CellInput(*cell) for cell in stored["cells"]],
        )
        if allowed is not None and preview.unit.pk not in allowed:
            raise PermissionDenied
        try:
            count = services.apply_template_import(
                compact=compact, preview=preview, user=request.user
            )
        except services.SaveRefused as refused:
            for problem in refused.problems.values():
                messages.error(request, problem.message)
            messages.error(request, _("Nothing was imported."))
        except services.ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Imported %(count)s scores for %(unit)s.")
                % {"count": count, "unit": preview.unit},
            )
        return redirect("scoring:template_import", pk=compact.pk)
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
                    compact=compact, filled=filled, user=request.user, allowed_unit_ids=allowed
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
        {
            "compact": compact,
            "form": form,
            "preview": preview,
            "own": own,
        },
    )


def audit(request, pk):
    """The compact's audit trail: every change of its year, who, when, old → new, why."""
    from django.core.paginator import Paginator

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
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="cum{compact.cluster.number}-{compact.year}-nhat-ky.xlsx"'
    )
    return response


def score_history(request, pk, unit_pk, criterion_pk):
    """One cell's history, for the cluster's readers and the unit's own officer."""
    compact, own, _can_write = get_compact_for_member(request, pk)
    unit = get_member_unit(compact, unit_pk)
    if not scope_of(request.user).can_read_compact(compact) and unit != own:
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
