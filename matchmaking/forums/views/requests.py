"""Meeting request pages: sending a request from a participant's page, answering it and
withdrawing or cancelling it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import access, selectors, services
from matchmaking.forums.forms import AnswerForm, RequestForm
from matchmaking.forums.models import MeetingRequest
from matchmaking.forums.views.common import participant_or_404, request_or_404
from matchmaking.forums.views.participants import participant_page
from matchmaking.pages import signed_in


@signed_in
@require_POST
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    if not access.acts_for(request.user, participant):
        raise PermissionDenied
    form = RequestForm(request.POST, counterparts=selectors.request_counterparts(participant))
    if form_action(
        form,
        lambda data: services.send_request(
            actor=request.user,
            sender=participant,
            receiver=data["to_participant"],
            message=data["message"],
        ),
    ):
        messages.success(request, _("Your meeting request was sent."))
        return redirect("forums:participant_detail", pk=pk)
    return participant_page(request, participant, status=400, request_form=form)


def _back_to(request: HttpRequest, meeting_request: MeetingRequest) -> HttpResponse:
    viewer = access.ForumViewer(request.user)
    for participant in (meeting_request.to_participant, meeting_request.from_participant):
        if viewer.acts_for(participant):
            return redirect("forums:participant_detail", pk=participant.pk)
    return redirect("forums:matrix", pk=meeting_request.forum_id)


@signed_in
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = request_or_404(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return participant_page(request, meeting_request.to_participant, status=400)
    try:
        services.answer_request(
            actor=request.user,
            request=meeting_request,
            accept=form.cleaned_data["accept"],
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return participant_page(request, meeting_request.to_participant, status=400)
    messages.success(request, _("Your answer was sent."))
    return _back_to(request, meeting_request)


@signed_in
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting_request = request_or_404(request.user, pk)
    try:
        services.cancel_request(actor=request.user, request=meeting_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return participant_page(request, meeting_request.from_participant, status=400)
    messages.success(request, _("The request is cancelled."))
    return _back_to(request, meeting_request)
