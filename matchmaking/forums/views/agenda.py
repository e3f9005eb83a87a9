"""A participant's agenda: the page, a printable page and an iCalendar file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matchmaking.forums import ics as forum_ics
from matchmaking.forums import selectors
from matchmaking.forums.models import FollowUp, ForumParticipant
from matchmaking.forums.views.common import badge, participant_or_404
from matchmaking.pages import signed_in


def _agenda_context(participant: ForumParticipant) -> dict[str, Any]:
    meetings = selectors.agenda(participant)
    meeting: Any
    for meeting in meetings:
        badge(meeting)
        meeting.other = meeting.other_party(participant)
    follow_ups = list(
        FollowUp.objects.filter(
            meeting__in=[m.pk for m in meetings], done_at__isnull=True
        ).select_related("owner", "meeting")
    )
    return {
        "participant": participant,
        "forum": participant.forum,
        "zone": participant.zone,
        "zone_name": participant.time_zone or participant.forum.time_zone,
        "meetings": meetings,
        "follow_ups": follow_ups,
    }


@signed_in
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    return render(request, "matchmaking/forums/agenda.html", _agenda_context(participant))


@signed_in
def agenda_print(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    return render(request, "matchmaking/forums/agenda_print.html", _agenda_context(participant))


@signed_in
def agenda_ics(request: HttpRequest, pk: int) -> HttpResponse:
    participant = participant_or_404(request.user, pk)
    body = forum_ics.agenda_calendar(participant, selectors.agenda(participant), request=request)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="forum-{participant.forum_id}-agenda.ics"'
    )
    return response
