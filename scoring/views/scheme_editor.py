"""The scheme editor (add, edit, move, delete and renumber criteria) and the import of a
scheme from Excel with its preview. Routed by `scoring.urls`.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import schemes, selectors, services
from ..access import (
    get_compact_for_user,
    may_edit_compact,
)
from ..concurrency import StaleSave, dump_state, load_state
from ..excel import ParsedScheme, WorkbookError, parse_scheme_workbook
from ..forms import (
    CriterionForm,
    ImportForm,
)
from ..models import MAX_DEPTH, Criterion
from ..numbers import count_text

IMPORT_SESSION_KEY = "scheme-import-{pk}"


def _scheme_context(request, compact, nodes, **extra):
    problems = selectors.scheme_problems(compact)
    codes_with_problems = {p.split(":", 1)[0] for p in problems}
    editable = may_edit_compact(request.user, compact)
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
    context = _scheme_context(request, compact, nodes, form=form)
    return render(request, "scoring/scheme.html", context)


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
            "editable": may_edit_compact(request.user, compact),
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
        return _("Renumbered: %(count)s codes changed.") % {"count": count_text(count)}

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
        messages.success(request, _("Imported %(count)s criteria.") % {"count": count_text(count)})
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
