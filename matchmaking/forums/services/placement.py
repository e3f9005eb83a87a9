"""Writes of meeting placement: the scheduler's runs (``matchmaking.forums.scheduling`` is the
algorithm), the organiser's moves and placements by hand under the same rules, and the
organiser's confirmation of the schedule.

What a meeting occupies is stored as booking rows, one per party and person per slot, with
``(slot, key)`` unique: a race between two writers ends in an ``IntegrityError``, turned into a
``ValidationError`` here, never a double booking.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from matchmaking.forums.models import (
    ACTIVE_MEETING_STATUSES,
    OPEN_MEETING_STATUSES,
    Forum,
    ForumAvailability,
    ForumParticipant,
    ForumSlot,
    ForumTable,
    Meeting,
    MeetingBooking,
    MeetingRequest,
    PlacedBy,
    ScheduleRun,
)
from matchmaking.forums.scheduling import FixedMeeting, MeetingToPlace, place_meetings
from matchmaking.forums.services.common import (
    FIXED_STATUSES,
    RACE_MESSAGE,
    lock_forum,
    require_organiser,
    tell_meeting,
)

SCHEDULER_TIME_LIMIT_S = 2.0


def booking_keys(party_a: ForumParticipant, party_b: ForumParticipant) -> list[str]:
    """What a meeting of these parties occupies: both parties and every person attending."""
    keys = [f"party:{party_a.pk}", f"party:{party_b.pk}"]
    for party in (party_a, party_b):
        keys += [attendee.booking_key for attendee in party.attendees.all()]
    return list(dict.fromkeys(keys))


def _available_slots(participant_ids: Iterable[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = {pk: set() for pk in participant_ids}
    for participant_id, slot_id in ForumAvailability.objects.filter(
        participant_id__in=list(result)
    ).values_list("participant_id", "slot_id"):
        result[participant_id].add(slot_id)
    return result


def _book(meeting: Meeting, keys: list[str]) -> None:
    """Create the booking rows of ``meeting``; the database refuses a double booking."""
    MeetingBooking.objects.bulk_create(
        [MeetingBooking(meeting=meeting, slot_id=meeting.slot_id, key=key) for key in keys]
    )


@dataclass
class ScheduleReport:
    kept: int = 0
    placed: int = 0
    unplaced: dict[int, str] = field(default_factory=dict)  # request id -> Unplaced value


@transaction.atomic
def run_scheduler(
    *, actor: User, forum: Forum, time_limit_s: float = SCHEDULER_TIME_LIMIT_S
) -> ScheduleReport:
    """Place every accepted request: confirmed (and past) meetings stay where they are, the
    others are placed again. Requests that cannot be placed keep the reason, for the organiser.
    All or nothing: a concurrent change makes the run fail with a message, never half-saved."""
    forum = lock_forum(forum)
    require_organiser(actor, forum)
    if forum.status in (Forum.Status.FINISHED, Forum.Status.CANCELLED):
        # Its meetings are history now: moving them would rewrite what happened.
        raise ValidationError(_("The forum is over: its meetings are no longer scheduled."))
    slots = list(forum.slots.values_list("pk", flat=True))
    tables = list(forum.tables.values_list("pk", flat=True))
    if not slots:
        raise ValidationError(_("Add the forum's time slots first."))
    if not tables:
        raise ValidationError(_("Add the forum's tables first."))
    # Scheduled (not confirmed) meetings are placed again from scratch; a cancelled meeting
    # left on an accepted request (none should be) would block the new one's OneToOne row.
    Meeting.objects.filter(forum=forum, status=Meeting.Status.SCHEDULED).delete()
    Meeting.objects.filter(
        forum=forum,
        status=Meeting.Status.CANCELLED,
        request__status=MeetingRequest.Status.ACCEPTED,
    ).delete()
    requests = list(
        MeetingRequest.objects.filter(forum=forum, status=MeetingRequest.Status.ACCEPTED)
        .select_related("from_participant", "to_participant")
        .prefetch_related("from_participant__attendees", "to_participant__attendees")
        .order_by("id")
    )
    resource_ids: dict[str, int] = {}

    def resources(keys: list[str]) -> tuple[int, ...]:
        return tuple(resource_ids.setdefault(key, len(resource_ids)) for key in keys)

    fixed_meetings = {
        m.request_id: m
        for m in Meeting.objects.filter(forum=forum, status__in=FIXED_STATUSES).prefetch_related(
            "bookings"
        )
    }
    fixed = [
        FixedMeeting(
            key=m.request_id,
            resources=resources([b.key for b in m.bookings.all()]),
            slot=m.slot_id,
            table=m.table_id,
        )
        for m in fixed_meetings.values()
    ]
    to_place = [r for r in requests if r.pk not in fixed_meetings]
    availability = _available_slots(
        {p for r in to_place for p in (r.from_participant_id, r.to_participant_id)}
    )
    keys_of = {r.pk: booking_keys(r.from_participant, r.to_participant) for r in to_place}
    meetings = [
        MeetingToPlace(
            key=r.pk,
            resources=resources(keys_of[r.pk]),
            slots=frozenset(
                availability[r.from_participant_id] & availability[r.to_participant_id]
            ),
        )
        for r in to_place
    ]
    result = place_meetings(meetings, slots, tables, fixed=fixed, time_limit_s=time_limit_s)
    by_pk = {r.pk: r for r in to_place}
    try:
        with transaction.atomic():
            for key, (slot_id, table_id) in sorted(result.placed.items()):
                request = by_pk[key]
                meeting = Meeting.objects.create(
                    forum=forum,
                    request=request,
                    party_a=request.from_participant,
                    party_b=request.to_participant,
                    slot_id=slot_id,
                    table_id=table_id,
                    placed_by=PlacedBy.SCHEDULER,
                )
                meeting.attendees.set(
                    [
                        *request.from_participant.attendees.all(),
                        *request.to_participant.attendees.all(),
                    ]
                )
                _book(meeting, keys_of[key])
    except IntegrityError:
        raise ValidationError(str(RACE_MESSAGE)) from None
    report = ScheduleReport(kept=len(fixed_meetings), placed=len(result.placed))
    for request in to_place:
        reason = result.unplaced.get(request.pk)
        request.unplaced_reason = str(reason.value) if reason else ""
        report.unplaced.update({request.pk: request.unplaced_reason} if reason else {})
    MeetingRequest.objects.bulk_update(to_place, ["unplaced_reason"])
    forum.scheduled_at = timezone.now()
    forum.save(update_fields=["scheduled_at"])
    ScheduleRun.objects.create(
        forum=forum,
        run_by=actor,
        kept=report.kept,
        placed=report.placed,
        unplaced=len(report.unplaced),
    )
    return report


def _conflicts(meeting_keys: list[str], slot: ForumSlot, exclude: int | None) -> list[str]:
    """Keys already booked in ``slot`` by another meeting (a friendly check before the
    database's, which is what actually guarantees it)."""
    rows = MeetingBooking.objects.filter(slot=slot, key__in=meeting_keys)
    if exclude:
        rows = rows.exclude(meeting_id=exclude)
    return list(rows.values_list("key", flat=True))


def _describe_keys(keys: list[str], parties: list[ForumParticipant]) -> str:
    names = []
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if kind == "party":
            names += [p.display_name for p in parties if str(p.pk) == pk]
        else:
            for party in parties:
                names += [a.name for a in party.attendees.all() if a.booking_key == key]
    return ", ".join(dict.fromkeys(names)) or ", ".join(keys)


def _place_checked(
    *,
    forum: Forum,
    request: MeetingRequest,
    slot: ForumSlot | None,
    table: ForumTable | None,
    meeting: Meeting | None,
) -> Meeting:
    """Put a request's meeting at ``slot``/``table`` by hand, under the scheduler's rules."""
    errors: dict[str, str] = {}
    if slot is None or slot.forum_id != forum.pk:
        errors["slot"] = _("Choose a time slot of this forum.")
    if table is None or table.forum_id != forum.pk:
        errors["table"] = _("Choose a table of this forum.")
    if errors or slot is None or table is None:
        raise ValidationError(errors)
    party_a, party_b = request.from_participant, request.to_participant
    available = _available_slots([party_a.pk, party_b.pk])
    away = [p.display_name for p in (party_a, party_b) if slot.pk not in available[p.pk]]
    if away:
        raise ValidationError(
            {"slot": _("Not available in this slot: %(who)s.") % {"who": ", ".join(away)}}
        )
    own = meeting.pk if meeting else None
    taken = Meeting.objects.filter(slot=slot, table=table, status__in=ACTIVE_MEETING_STATUSES)
    if own is not None:
        taken = taken.exclude(pk=own)
    if taken.exists():
        raise ValidationError({"table": _("This table is already taken in this slot.")})
    keys = booking_keys(party_a, party_b)
    busy = _conflicts(keys, slot, own)
    if busy:
        raise ValidationError(
            {
                "slot": _("Already in another meeting in this slot: %(who)s.")
                % {"who": _describe_keys(busy, [party_a, party_b])}
            }
        )
    try:
        with transaction.atomic():
            if meeting is None:
                meeting = Meeting.objects.create(
                    forum=forum,
                    request=request,
                    party_a=party_a,
                    party_b=party_b,
                    slot=slot,
                    table=table,
                    placed_by=PlacedBy.HAND,
                )
                meeting.attendees.set([*party_a.attendees.all(), *party_b.attendees.all()])
            else:
                meeting.bookings.all().delete()
                meeting.slot = slot
                meeting.table = table
                meeting.placed_by = PlacedBy.HAND
                meeting.save(update_fields=["slot", "table", "placed_by", "placed_at"])
            _book(meeting, keys)
    except IntegrityError:
        raise ValidationError({"slot": str(RACE_MESSAGE)}) from None
    return meeting


@transaction.atomic
def move_meeting(
    *, actor: User, meeting: Meeting, slot: ForumSlot | None, table: ForumTable | None
) -> Meeting:
    """The organiser moves a meeting to another slot or table, under the scheduler's rules;
    both parties are told when the meeting was confirmed."""
    forum = lock_forum(meeting.forum)
    require_organiser(actor, forum)
    meeting = Meeting.objects.select_for_update().select_related("request").get(pk=meeting.pk)
    if meeting.status not in OPEN_MEETING_STATUSES:
        raise ValidationError(_("Only scheduled or confirmed meetings can be moved."))
    request = MeetingRequest.objects.select_related("from_participant", "to_participant").get(
        pk=meeting.request_id
    )
    moved = _place_checked(forum=forum, request=request, slot=slot, table=table, meeting=meeting)
    if moved.status == Meeting.Status.CONFIRMED:
        tell_meeting(moved, actor, "forum.meeting.moved", gettext_lazy("%(forum)s: meeting moved"))
    return moved


@transaction.atomic
def place_by_hand(
    *, actor: User, request: MeetingRequest, slot: ForumSlot | None, table: ForumTable | None
) -> Meeting:
    """The organiser places an accepted request the scheduler could not place."""
    forum = lock_forum(request.forum)
    require_organiser(actor, forum)
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant", "to_participant")
        .get(pk=request.pk)
    )
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only accepted requests become meetings."))
    existing = Meeting.objects.filter(request=request).first()
    if existing is not None:
        if existing.status != Meeting.Status.CANCELLED:
            raise ValidationError(_("This request already has a meeting; move it instead."))
        existing.delete()
    meeting = _place_checked(forum=forum, request=request, slot=slot, table=table, meeting=None)
    request.unplaced_reason = ""
    request.save(update_fields=["unplaced_reason"])
    return meeting


@transaction.atomic
def confirm_meetings(*, actor: User, forum: Forum) -> int:
    """The organiser confirms the schedule: scheduled meetings become confirmed (kept by later
    scheduler runs) and both sides are told. Returns how many were confirmed."""
    forum = lock_forum(forum)
    require_organiser(actor, forum)
    meetings = list(
        Meeting.objects.filter(forum=forum, status=Meeting.Status.SCHEDULED).select_related(
            "party_a", "party_b", "slot", "table", "forum"
        )
    )
    for meeting in meetings:
        meeting.status = Meeting.Status.CONFIRMED
        meeting.save(update_fields=["status"])
        tell_meeting(
            meeting, actor, "forum.meeting.confirmed", gettext_lazy("%(forum)s: meeting confirmed")
        )
    return len(meetings)
