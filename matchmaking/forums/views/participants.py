"""A participant's page: its requests and meetings, suggested counterparts, the request form,
its availability and time zone, and its attendees."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bumdes_export.core.forms import form_action
from matchmaking.forums import access, reports, selectors, services
from matchmaking.forums.forms import AttendeeForm, AvailabilityForm, RequestForm
from matchmaking.forums.models import ForumAttendee, ForumParticipant
from matchmaking.forums.selectors import unplaced_label
from matchmaking.forums.views.common import badge, participant_or_404
from matchmaking.forums.zones import zone_label
from matchmaking.pages import signed_in


def participant_page(
    request: HttpRequest,
    participant: ForumParticipant,
    *,
    status: int = 200,
    request_form: RequestForm | None = None,
    availability_form: AvailabilityForm | None = None,
    attendee_form: AttendeeForm | None = None,
) -> HttpResponse:
    user = request.user
    viewer = access.ForumViewer(user)
    acts = viewer.acts_for(participant)
    manages = viewer.organises(participant.forum)
    zone = participant.zone
    requests = list(selectors.request_list(user, participant=participant.pk))
    row: Any
    for row in requests:
        badge(row)
        row.incoming = row.to_participant_id == participant.pk
        row.other = row.from_participant if row.incoming else row.to_participant
        row.may_answer = viewer.answers_on_page(row, participant)
        row.may_cancel = viewer.may_cancel_request(row)
        row.unplaced_label = unplaced_label(row.unplaced_reason) if row.unplaced_reason else ""
    meetings = selectors.agenda(participant)
    meeting: Any
    for meeting in meetings:
        badge(meeting)
        meeting.other = meeting.other_party(participant)
    suggestions = (
        selectors.suggested_counterparts(participant)
        if participant.is_approved and viewer.manages_participant(participant)
        else []
    )
    badge(participant)
    return render(
        request,
        "matchmaking/forums/participant_detail.html",
        {
            "participant": participant,
            "forum": participant.forum,
            "zone": zone,
            "zone_label": zone_label(zone.key),
            "acts": acts,
            "manages": manages,
            "may_manage": viewer.manages_participant(participant),
            "requests": requests,
            "meetings": meetings,
            "suggestions": suggestions,
            "products": list(participant.products.all()),
            "attendees": list(participant.attendees.select_related("user")),
            "request_form": request_form
            or (
                RequestForm(counterparts=selectors.request_counterparts(participant))
                if acts
                else None
            ),
            "availability_form": availability_form
            or AvailabilityForm(
                forum=participant.forum,
                zone=zone,
                initial={
                    "slots": list(participant.availability.values_list("slot_id", flat=True)),
                    "time_zone": participant.time_zone,
                },
            ),
            "attendee_form": attendee_form or AttendeeForm(),
            "may_request": viewer.may_send_requests(participant),
            "no_free_slots": reports.has_no_free_slot(participant),
        },
        status=status,
    )


@signed_in
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return participant_page(request, participant_or_404(request.user, pk))


@signed_in
@require_POST
def participant_availability(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    form = AvailabilityForm(request.POST, forum=participant.forum, zone=participant.zone)

    def save(data: dict[str, Any]) -> ForumParticipant:
        services.set_availability(actor=request.user, participant=participant, slots=data["slots"])
        return services.set_time_zone(
            actor=request.user, participant=participant, time_zone=data["time_zone"]
        )

    if form_action(form, save):
        messages.success(request, _("Your availability is saved."))
        return redirect("forums:participant_detail", pk=pk)
    return participant_page(request, participant, status=400, availability_form=form)


@signed_in
@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    form = AttendeeForm(request.POST)
    if form_action(
        form,
        lambda data: services.add_attendee(
            actor=request.user, participant=participant, data=services.AttendeeData(**data)
        ),
    ):
        messages.success(request, _("Attendee added."))
        return redirect("forums:participant_detail", pk=pk)
    return participant_page(request, participant, status=400, attendee_form=form)


@signed_in
@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    attendee = get_object_or_404(ForumAttendee, pk=attendee_pk, participant=participant)
    try:
        services.remove_attendee(actor=request.user, attendee=attendee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return participant_page(request, participant, status=400)
    messages.success(request, _("Attendee removed."))
    return redirect("forums:participant_detail", pk=pk)
