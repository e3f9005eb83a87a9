"""Writes of forums, by sub-domain: set-up (``events``), registration and approval,
availability and attendees (``registration``), meeting requests (``requests``), the scheduler,
manual moves and confirmation (``placement``), meeting records, what meetings led to
(recorded into deals) and follow-ups (``meetings``), reminders (``reminders``); ``common`` holds
what they share.

Every write checks who may do it (``matchmaking.forums.access``; ``PermissionDenied``), what a
valid record is (``ValidationError`` with field messages) and tells the people concerned through
``bumdes_export.notifications.services.notify`` (sent after commit). The database keeps the
invariants too: a booking row per party and person per slot with ``(slot, key)`` unique and
``(slot, table)`` unique on active meetings, so a race between two writers ends in an
``IntegrityError``, which becomes a ``ValidationError`` here, never a double booking.

Callers use the package: ``from matchmaking.forums import services; services.register(...)``.
"""

from __future__ import annotations

from matchmaking.forums.models import OPEN_MEETING_STATUSES
from matchmaking.forums.services.common import (
    FIXED_STATUSES,
    FORUM_PRODUCT_STATUSES,
    RACE_MESSAGE,
    organisers_of,
    people_of,
)
from matchmaking.forums.services.events import (
    FORUM_FIELDS,
    FORUM_TRANSITIONS,
    add_slots,
    add_table,
    create_forum,
    remove_slot,
    remove_table,
    set_forum_status,
    update_forum,
)
from matchmaking.forums.services.meetings import (
    add_follow_up,
    complete_follow_up,
    follow_up_owners,
    record_meeting,
    record_outcome,
)
from matchmaking.forums.services.placement import (
    SCHEDULER_TIME_LIMIT_S,
    ScheduleReport,
    booking_keys,
    confirm_meetings,
    move_meeting,
    place_by_hand,
    run_scheduler,
)
from matchmaking.forums.services.registration import (
    AttendeeData,
    add_attendee,
    decide_participant,
    register,
    remove_attendee,
    set_availability,
    set_time_zone,
)
from matchmaking.forums.services.reminders import due_reminders, send_reminder
from matchmaking.forums.services.requests import (
    answer_request,
    cancel_request,
    may_meet,
    send_request,
)

__all__ = [
    "FIXED_STATUSES",
    "FORUM_FIELDS",
    "FORUM_PRODUCT_STATUSES",
    "FORUM_TRANSITIONS",
    "OPEN_MEETING_STATUSES",
    "RACE_MESSAGE",
    "SCHEDULER_TIME_LIMIT_S",
    "AttendeeData",
    "ScheduleReport",
    "add_attendee",
    "add_follow_up",
    "add_slots",
    "add_table",
    "answer_request",
    "booking_keys",
    "cancel_request",
    "complete_follow_up",
    "confirm_meetings",
    "create_forum",
    "decide_participant",
    "due_reminders",
    "follow_up_owners",
    "may_meet",
    "move_meeting",
    "organisers_of",
    "people_of",
    "place_by_hand",
    "record_meeting",
    "record_outcome",
    "register",
    "remove_attendee",
    "remove_slot",
    "remove_table",
    "run_scheduler",
    "send_reminder",
    "send_request",
    "set_availability",
    "set_forum_status",
    "set_time_zone",
    "update_forum",
]
