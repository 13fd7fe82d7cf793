"""The compact's year: starting it from last year's, members and roles, settings,
signing and the signed documents, status transitions and the printable compact. Routed by
`scoring.urls`.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from units.models import Membership, Unit

from .. import handover, lifecycle, schemes, selectors, services
from ..access import (
    get_cluster_for_user,
    get_compact_for_member,
    get_compact_for_user,
    may_edit_compact,
    scope_of,
)
from ..concurrency import StaleSave
from ..dated_names import Shows, names_day
from ..forms import (
    DocumentForm,
    SettingsForm,
    SignatureForm,
    StartYearForm,
    TransitionForm,
)
from ..models import Compact
from ..signing import attach_document, documents_state, sign, signature_state


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
        unfinished = selectors.standings_for(latest)
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
        names_on=names_day(compact, Shows.SIGNING),
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
            "rotation": lifecycle.leaders_by_year(compact.cluster_id, up_to=compact.year),
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
        {"compact": compact, "form": form, "editable": may_edit_compact(request.user, compact)},
    )


@require_http_methods(["GET", "POST"])
def signing(request, pk):
    """The members and their signatures; the secretariat records any member's, an officer
    its own unit's."""
    compact, own, can_write = get_compact_for_member(request, pk)
    signatures = {s.unit_id: s for s in compact.signatures.select_related("recorded_by")}
    memberships = selectors.members_of(compact, Shows.SIGNING)
    signable = [
        m.unit for m in memberships if can_write or (own is not None and m.unit_id == own.pk)
    ]
    may_sign = [u for u in signable if u.pk not in signatures]
    form = SignatureForm(
        request.POST or None,
        # A posted unit may have signed meanwhile: the service then shows that signature,
        # and saving again replaces it deliberately.
        units=Unit.objects.named_on(names_day(compact, Shows.SIGNING)).filter(
            pk__in=[u.pk for u in (signable if request.method == "POST" else may_sign)]
        ),
        initial={
            "signed_on": compact.signed_on or datetime.date.today(),
            "unit": may_sign[0].pk if len(may_sign) == 1 else None,
        },
        seen_state=signature_state(compact),
    )
    if request.method == "POST":
        if not may_sign and not can_write:
            raise PermissionDenied
        if form.is_valid() and _record_signature(request, compact, form):
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
            "document_form": DocumentForm(seen_state=documents_state(compact)),
            "signed_count": len(signatures),
        },
    )


def _record_signature(request, compact, form) -> bool:
    """Records the posted signature and says so; False with the form's errors when refused."""
    data = form.cleaned_data
    try:
        sign(
            compact=compact,
            unit_id=data["unit"].pk,
            user=request.user,
            representative=data["representative"],
            title=data["title"],
            signed_on=data["signed_on"],
            seen=data["seen"],
        )
    except StaleSave as error:
        form.refuse_stale(error, signature_state(compact))
        return False
    except services.ServiceError as error:
        form.add_error(None, error.message)
        return False
    messages.success(request, _("Recorded the signature of %(unit)s.") % {"unit": data["unit"]})
    return True


@require_POST
def document_upload(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors.get("seen", [_("Choose a PDF file.")])[0])
    else:
        try:
            attach_document(
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


@require_safe
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


@require_safe
def compact_print(request, pk):
    """The compact as a document to sign and file: A4, the official two-column heading."""
    compact, _own, _can_write = get_compact_for_member(request, pk)
    memberships = selectors.members_of(compact, Shows.SIGNING)
    signatures = {s.unit_id: s for s in compact.signatures.all()}
    return render(
        request,
        "scoring/compact_print.html",
        {
            "compact": compact,
            "members": [
                {
                    "membership": m,
                    "name": m.unit.shown_full_name,
                    "signature": signatures.get(m.unit_id),
                }
                for m in memberships
            ],
            "leader": next((m for m in memberships if m.role == "leader"), None),
            "guests": [g.strip() for g in compact.signing_guests.splitlines() if g.strip()],
            "scheme": selectors.criteria_for_compact(compact),
        },
    )
