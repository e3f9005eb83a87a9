"""Forums: events where exporters and buyers meet regional governments and BUMDes (issue #6).

``matchmaking.models`` imports this package so Django registers these models with the app.

- A **forum** has days cut into **slots** (``meeting_minutes`` long) and **tables** (or rooms).
- **Participants** register (a regional officer for the region, a BUMDes through its officer or
  operator with the products it brings, an exporter organisation) and the organiser approves
  them; each says which slots it can attend (**availability**) and who attends (**attendees**).
- A participant sends a **meeting request**; the other side accepts or declines. The scheduler
  places accepted requests as **meetings** in a slot at a table. A meeting holds one
  **booking** row per party and per person for its slot, and ``(slot, key)`` is unique, so the
  database refuses to put a person or a party in two meetings at once, even when two writes
  race; ``(slot, table)`` is unique on the meeting for the same reason.
- After the meeting each side **records** whether it was held, with feedback; **outcomes**
  (interest … first shipment) and **follow-up** tasks keep what it led to.

Who may do what lives in ``matchmaking.forums.access``, reads in ``matchmaking.forums.selectors``
and writes in ``matchmaking.forums.services``.
"""

from matchmaking.forums.models.events import (
    TIME_ZONE_ABBREVIATIONS,
    Forum,
    ForumAttendee,
    ForumAvailability,
    ForumParticipant,
    ForumSlot,
    ForumStatus,
    ForumTable,
    ForumTimeZone,
    ParticipantKind,
    ParticipantStatus,
)
from matchmaking.forums.models.meetings import (
    ACTIVE_MEETING_STATUSES,
    OPEN_MEETING_STATUSES,
    OPEN_REQUEST_STATUSES,
    FollowUp,
    Meeting,
    MeetingBooking,
    MeetingOutcome,
    MeetingRecord,
    MeetingRequest,
    MeetingStatus,
    OutcomeStage,
    PlacedBy,
    RequestStatus,
    ScheduleRun,
)

__all__ = [
    "TIME_ZONE_ABBREVIATIONS",
    "ACTIVE_MEETING_STATUSES",
    "OPEN_MEETING_STATUSES",
    "OPEN_REQUEST_STATUSES",
    "ForumTimeZone",
    "ForumStatus",
    "Forum",
    "ForumSlot",
    "ForumTable",
    "ParticipantKind",
    "ParticipantStatus",
    "ForumParticipant",
    "ForumAttendee",
    "ForumAvailability",
    "RequestStatus",
    "MeetingRequest",
    "MeetingStatus",
    "PlacedBy",
    "Meeting",
    "MeetingBooking",
    "MeetingRecord",
    "OutcomeStage",
    "MeetingOutcome",
    "FollowUp",
    "ScheduleRun",
]
