"""The year-end review pages: the meeting, its votes, the award proposals and the documents.

The cluster's readers (secretariat, leaders, administrators) see the review; only the
secretariat (and administrators) record it. Officers of member units get 404, as for the
cluster's ranking.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import appeals, docx_documents, review
from . import review_print as review_print_module
from .access import (
    get_compact_for_member,
    get_compact_for_user,
    get_own_unit_compact,
    scope_of,
)
from .models import Appeal, AwardKind, Compact, Publication, ReviewMeeting, Vote
from .review_forms import (
    AnswerForm,
    AppealForm,
    AwardKindForm,
    CloseAppealsForm,
    MeetingForm,
    ProposalForm,
    PublishForm,
    VoteForm,
    WithdrawForm,
)
from .services import ServiceError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@require_safe
def review_page(request, pk):
    compact = get_compact_for_user(request, pk)
    state = review.review_state(compact)
    return render(
        request,
        "scoring/review/review.html",
        {
            "compact": compact,
            "state": state,
            "can_write": scope_of(request.user).can_write_compact(compact),
            "is_open": compact.status in review.REVIEW_STATUSES,
            "subjects": Vote.Subject,
            "documents": docx_documents.DOCUMENTS,
            "crumb": _("Year-end review"),
        },
    )


@require_http_methods(["GET", "POST"])
def review_meeting(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    state = review.review_state(compact)
    instance = state.meeting or ReviewMeeting(compact=compact)
    form = MeetingForm(request.POST or None, instance=instance, members=state.members)
    if request.method == "POST" and form.is_valid():
        try:
            review.save_meeting(compact=compact, user=request.user, **form.service_arguments())
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The review meeting was recorded."))
            return redirect("scoring:review", pk=compact.pk)
    return render(
        request,
        "scoring/review/meeting.html",
        {"compact": compact, "form": form, "crumb": _("Review meeting")},
    )


@require_http_methods(["GET", "POST"])
def review_vote(request, pk, subject):
    """Records one vote; an award's vote names the award with `?kind=<id>`."""
    compact = get_compact_for_user(request, pk, write=True)
    if subject not in Vote.Subject.values:
        raise Http404
    kind = None
    if subject == Vote.Subject.AWARD:
        kind_id = request.GET.get("kind", "")
        kind = get_object_or_404(
            AwardKind, compact=compact, pk=int(kind_id) if kind_id.isdigit() else 0
        )
    state = review.review_state(compact)
    existing = state.vote_for(subject, kind.pk if kind else None)
    form = VoteForm(
        request.POST or None,
        members=state.members,
        names=state.names,
        vote=existing.vote if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            review.record_vote(
                compact=compact,
                user=request.user,
                subject=subject,
                award_kind_id=kind.pk if kind else None,
                **form.service_arguments(),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The vote was recorded."))
            return redirect("scoring:review", pk=compact.pk)
    title = Vote.Subject(subject).label + (f": {kind.name}" if kind else "")
    return render(
        request,
        "scoring/review/vote.html",
        {
            "compact": compact,
            "form": form,
            "title": title,
            "state": state,
            "crumb": _("Vote"),
            "existing": existing,
        },
    )


def _done(request, compact, call, success, *, then="scoring:review"):
    """Runs one service call, reports its refusal or `success`, and goes back to `then`."""
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(then, pk=compact.pk)


@require_POST
def review_vote_delete(request, pk, vote_pk):
    compact = get_compact_for_user(request, pk, write=True)
    get_object_or_404(Vote, meeting__compact=compact, pk=vote_pk)
    return _done(
        request,
        compact,
        lambda: review.delete_vote(compact=compact, user=request.user, vote_id=vote_pk),
        _("The vote was deleted."),
    )


@require_POST
def review_propose(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the award."))
        return redirect("scoring:review", pk=compact.pk)
    return _done(
        request,
        compact,
        lambda: review.propose_award(
            compact=compact, user=request.user, **form.service_arguments()
        ),
        _("The proposal was recorded."),
    )


@require_POST
def review_withdraw(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        raise Http404
    return _done(
        request,
        compact,
        lambda: review.withdraw_proposal(
            compact=compact,
            user=request.user,
            proposal_id=form.cleaned_data["proposal"],
            reason=form.cleaned_data["reason"],
        ),
        _("The proposal was withdrawn."),
    )


@require_POST
def review_award_kind(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = AwardKindForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("scoring:review", pk=compact.pk)
    return _done(
        request,
        compact,
        lambda: review.save_award_kind(
            compact=compact,
            user=request.user,
            award_kind_id=form.cleaned_data["award_kind"],
            **{k: v for k, v in form.cleaned_data.items() if k != "award_kind"},
        ),
        _("The award's standard and quota were saved."),
    )


@require_safe
def review_document(request, pk, document):
    """The minutes, the ballot-count record or the award request, as .docx."""
    compact = get_compact_for_user(request, pk)
    if document not in docx_documents.DOCUMENTS:
        raise Http404
    state = review.review_state(compact)
    if state.meeting is None:
        messages.error(request, _("Record the meeting (date, place, chair, secretary) first."))
        return redirect("scoring:review", pk=compact.pk)
    filename, content = docx_documents.build(state, document)
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Publication and appeals ---------------------------------------------------------------


@require_safe
def appeals_page(request, pk):
    """The publication of the results and the appeals: the secretariat publishes and answers;
    a member unit's officer lodges and follows its own unit's appeals; leaders read."""
    compact, own, can_write = get_compact_for_member(request, pk)
    readable = scope_of(request.user).can_read_compact(compact)
    publication = Publication.objects.filter(compact=compact).first()
    return render(
        request,
        "scoring/review/appeals.html",
        {
            "compact": compact,
            "own": own,
            "can_write": can_write,
            "publication": publication,
            "window_open": bool(
                publication
                and compact.status == Compact.Status.SCORING_CLOSED
                and publication.window_open_on(timezone.localdate())
            ),
            "appeals": appeals.appeals_of(compact, None if readable else own.pk),
            "publish_form": PublishForm(initial={"published_on": timezone.localdate()}),
            "appeal_form": AppealForm(choices=appeals.appeal_choices(compact, own.pk))
            if own
            else None,
            "answer_form": AnswerForm(),
            "close_form": CloseAppealsForm(),
            "crumb": _("Publication and appeals"),
        },
    )


def _to_appeals(request, compact, call, success):
    return _done(request, compact, call, success, then="scoring:appeals")


@require_POST
def publish_results(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = PublishForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("scoring:appeals", pk=compact.pk)
    return _to_appeals(
        request,
        compact,
        lambda: appeals.publish_results(
            compact=compact,
            user=request.user,
            published_on=data.get("published_on"),
            appeal_days=data.get("appeal_days"),
        ),
        _("The results were published."),
    )


@require_POST
def lodge_appeal(request, pk):
    compact, unit = get_own_unit_compact(request, pk)
    form = AppealForm(request.POST, request.FILES, choices=appeals.appeal_choices(compact, unit.pk))
    if not form.is_valid():
        messages.error(request, _("Choose the score you appeal against."))
        return redirect("scoring:appeals", pk=compact.pk)
    data = form.cleaned_data
    return _to_appeals(
        request,
        compact,
        lambda: appeals.lodge_appeal(
            compact=compact,
            user=request.user,
            unit_id=unit.pk,
            criterion_id=data["criterion"],
            reason=data["reason"],
            upload=data["evidence"],
        ),
        _("The appeal was lodged."),
    )


@require_POST
def answer_appeal(request, pk, appeal_pk):
    compact = get_compact_for_user(request, pk, write=True)
    get_object_or_404(Appeal, compact=compact, pk=appeal_pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the appeal is upheld or rejected."))
        return redirect("scoring:appeals", pk=compact.pk)
    return _to_appeals(
        request,
        compact,
        lambda: appeals.answer_appeal(
            compact=compact, user=request.user, appeal_id=appeal_pk, **form.service_arguments()
        ),
        _("The appeal was answered."),
    )


@require_POST
def close_appeals(request, pk):
    compact = get_compact_for_user(request, pk, write=True)
    form = CloseAppealsForm(request.POST)
    form.is_valid()
    return _to_appeals(
        request,
        compact,
        lambda: appeals.close_unanswered(
            compact=compact, user=request.user, reason=form.cleaned_data.get("reason", "")
        ),
        _("The unanswered appeals were closed."),
    )


@require_safe
def appeal_evidence(request, pk, appeal_pk):
    """An appeal's evidence file: for the cluster's readers and the appealing unit's officers."""
    compact, own, _can_write = get_compact_for_member(request, pk)
    appeal = get_object_or_404(Appeal, compact=compact, pk=appeal_pk)
    readable = scope_of(request.user).can_read_compact(compact)
    if not appeal.evidence or not (readable or (own and own.pk == appeal.unit_id)):
        raise Http404
    try:
        handle = appeal.evidence.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=appeal.evidence_name,
        content_type=appeal.evidence_type,
    )


@require_safe
def review_print(request, pk, document):
    """The minutes, the ballot-count record or the award request, as a print page (A4)."""
    compact = get_compact_for_user(request, pk)
    if document not in docx_documents.DOCUMENTS:
        raise Http404
    state = review.review_state(compact)
    if state.meeting is None:
        messages.error(request, _("Record the meeting (date, place, chair, secretary) first."))
        return redirect("scoring:review", pk=compact.pk)
    return render(
        request,
        "scoring/review/print.html",
        {"compact": compact, "state": state, **review_print_module.context(state, document)},
    )
