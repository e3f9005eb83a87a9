"""Forum pages, by sub-domain: the list, a forum's page and set-up (``events``), registration
and the organiser's participant list (``registration``), a participant's page (``participants``),
meeting requests (``requests``), the organiser's matrix, table plan, scheduler, statistics and
exports (``organiser``), meetings with records, deals and follow-ups (``meetings``) and each
participant's agenda (``agenda``); ``common`` holds the shared lookups.

Thin: reads go through ``matchmaking.forums.selectors`` (a record outside the reader's scope
answers 404), who-may through ``matchmaking.forums.access``, writes through
``matchmaking.forums.services`` (run by ``bumdes_export.core.forms.form_action``: their
``ValidationError`` is shown on the form with a 400, their ``PermissionDenied`` answers 403).
Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from matchmaking.forums.views.agenda import agenda, agenda_ics, agenda_print
from matchmaking.forums.views.events import (
    forum_create,
    forum_detail,
    forum_edit,
    forum_list,
    forum_setup,
    forum_status,
    slot_remove,
    table_remove,
)
from matchmaking.forums.views.meetings import (
    follow_up_done,
    meeting_detail,
    meeting_follow_up,
    meeting_move,
    meeting_outcome,
    meeting_record,
)
from matchmaking.forums.views.organiser import (
    export,
    matrix,
    request_place,
    schedule,
    schedule_confirm,
    statistics,
    table_plan,
)
from matchmaking.forums.views.participants import (
    attendee_add,
    attendee_remove,
    participant_availability,
    participant_detail,
)
from matchmaking.forums.views.registration import participant_decide, participants, register
from matchmaking.forums.views.requests import request_answer, request_cancel, request_send

__all__ = [
    "agenda",
    "agenda_ics",
    "agenda_print",
    "attendee_add",
    "attendee_remove",
    "export",
    "follow_up_done",
    "forum_create",
    "forum_detail",
    "forum_edit",
    "forum_list",
    "forum_setup",
    "forum_status",
    "matrix",
    "meeting_detail",
    "meeting_follow_up",
    "meeting_move",
    "meeting_outcome",
    "meeting_record",
    "participant_availability",
    "participant_decide",
    "participant_detail",
    "participants",
    "register",
    "request_answer",
    "request_cancel",
    "request_place",
    "request_send",
    "schedule",
    "schedule_confirm",
    "slot_remove",
    "statistics",
    "table_plan",
    "table_remove",
]
