"""Writes of forums: set-up, registration and approval, availability, meeting requests, the
scheduler and manual moves, meeting records, outcomes and follow-ups, reminders.

Every write checks who may do it (``matchmaking.forums.access``; ``PermissionDenied``), what a
valid record is (``ValidationError`` with field messages) and tells the people concerned through
``bumdes_export.notifications.services.notify`` (sent after commit). The database keeps the
invariants too: a booking row per party and person per slot with ``(slot, key)`` unique and
``(slot, table)`` unique on active meetings, so a race between two writers ends in an
``IntegrityError``, which becomes a ``ValidationError`` here, never a double booking.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import code_within, scope_for
from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import notify, translated
from bumdes_export.reference.models import Country, Region
from exporters.models import Organisation
from matchmaking import access as mm_access
from matchmaking.dealings.services import members_of
from matchmaking.forums import access as forum_access
from matchmaking.forums.models import (
    ACTIVE_MEETING_STATUSES,
    FollowUp,
    Forum,
    ForumAttendee,
    ForumAvailability,
    ForumParticipant,
    ForumSlot,
    ForumTable,
    Meeting,
    MeetingBooking,
    MeetingOutcome,
    MeetingRecord,
    MeetingRequest,
    ParticipantKind,
    PlacedBy,
    ScheduleRun,
)
from products.models import Bumdes, BumdesOperator, Product

#: Products a BUMDes may bring to a forum.
FORUM_PRODUCT_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)
#: Meetings the scheduler keeps where they are.
FIXED_STATUSES = (Meeting.Status.CONFIRMED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)
#: Meetings that may still be moved or recorded.
OPEN_MEETING_STATUSES = (Meeting.Status.SCHEDULED, Meeting.Status.CONFIRMED)
FORUM_FIELDS = (
    "name",
    "description",
    "starts_on",
    "ends_on",
    "venue",
    "online_url",
    "time_zone",
    "registration_opens",
    "registration_closes",
    "meeting_minutes",
)
SCHEDULER_TIME_LIMIT_S = 2.0
RACE_MESSAGE = gettext_lazy(
    "Someone changed the schedule at the same moment; nothing was saved. Try again."
)


# --- Helpers ---------------------------------------------------------------------------------


def _forum_link(forum: Forum) -> str:
    return reverse("forums:forum_detail", args=[forum.pk])


def _participant_link(participant: ForumParticipant) -> str:
    return reverse("forums:participant_detail", args=[participant.pk])


def _meeting_link(meeting: Meeting) -> str:
    return reverse("forums:meeting_detail", args=[meeting.pk])


def people_of(participant: ForumParticipant) -> list[User]:
    """Who hears about a participant's requests and meetings: the users acting for it and its
    attendees with an account."""
    users: list[User] = []
    if participant.kind == ParticipantKind.ORGANISATION:
        users += members_of(participant.organisation)
    elif participant.kind == ParticipantKind.BUMDES:
        bumdes = participant.bumdes
        users += [
            u
            for u in User.objects.filter(is_active=True, role=Role.OFFICER).exclude(region=None)
            if code_within(bumdes.village_id, u.region_id)
        ]
        users += [
            link.user
            for link in BumdesOperator.objects.select_related("user").filter(
                bumdes=bumdes, user__is_active=True
            )
        ]
    elif participant.officer_id:
        users.append(participant.officer)
    users += [a.user for a in participant.attendees.select_related("user") if a.user_id]
    return users


def organisers_of(forum: Forum) -> list[User]:
    return [forum.organiser, *forum.co_organisers.all()]


def _tell(users: Iterable[User], *, actor, kind: str, subject, template: str, context, link):
    """Notify each active user once, never the actor. Returns how many were told."""
    seen = {getattr(actor, "pk", None)}
    told = 0
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(user, kind=kind, subject=subject, template=template, context=context, link=link)
        told += 1
    return told


def _text(value, field: str, message, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if max_length and len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return text


def _require_organiser(actor, forum: Forum) -> None:
    if not forum_access.organises(actor, forum):
        raise PermissionDenied(_("Only the forum's organisers do this."))


def _save(instance, message) -> None:
    """Save; a constraint broken by a concurrent write becomes a ValidationError."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(message) from None


def _lock_forum(forum: Forum) -> Forum:
    """Lock the forum row: on PostgreSQL the scheduler and manual moves of one forum queue
    behind each other (the unique constraints are the backstop wherever they do not)."""
    return Forum.objects.select_for_update().get(pk=forum.pk)


# --- Forums ----------------------------------------------------------------------------------


def _apply_forum(forum: Forum, data: dict) -> None:
    for name in FORUM_FIELDS:
        if name in data and data[name] is not None:
            value = data[name]
            setattr(forum, name, value.strip() if isinstance(value, str) else value)


def _check_forum(forum: Forum) -> None:
    errors: dict[str, str] = {}
    if not (forum.name or "").strip():
        errors["name"] = _("Give the forum a name.")
    if forum.starts_on and forum.ends_on and forum.ends_on < forum.starts_on:
        errors["ends_on"] = _("The last day cannot be before the first day.")
    if (
        forum.registration_opens
        and forum.registration_closes
        and forum.registration_closes <= forum.registration_opens
    ):
        errors["registration_closes"] = _("Registration must close after it opens.")
    elif (
        forum.registration_closes
        and forum.ends_on
        and forum.time_zone in Forum.TimeZone.values
        and forum.registration_closes.astimezone(forum.tzinfo).date() > forum.ends_on
    ):
        errors["registration_closes"] = _("Registration must close by the forum's last day.")
    if not (forum.venue or forum.online_url):
        errors["venue"] = _("Give a venue, an online link, or both.")
    if forum.meeting_minutes is not None and not 5 <= forum.meeting_minutes <= 240:
        errors["meeting_minutes"] = _("A meeting lasts between 5 and 240 minutes.")
    if forum.time_zone not in Forum.TimeZone.values:
        errors["time_zone"] = _("Choose WIB, WITA or WIT.")
    if errors:
        raise ValidationError(errors)
    forum.full_clean(exclude=["organiser", "co_organisers", "invited_regions"])


def _set_relations(forum: Forum, data: dict) -> None:
    if data.get("invited_regions") is not None:
        regions = list(data["invited_regions"])
        for region in regions:
            if not isinstance(region, Region) or region.level not in (1, 2):
                raise ValidationError({"invited_regions": _("Invite provinces or regencies.")})
        forum.invited_regions.set(regions)
    if data.get("co_organisers") is not None:
        users = list(data["co_organisers"])
        for user in users:
            if not scope_for(user).is_ministry:
                raise ValidationError(
                    {
                        "co_organisers": _("%(user)s is not ministry staff.")
                        % {"user": user.username}
                    }
                )
        forum.co_organisers.set([u for u in users if u.pk != forum.organiser_id])


@transaction.atomic
def create_forum(*, actor, data: dict) -> Forum:
    """Ministry staff create a forum (a draft) and become its organiser."""
    if not forum_access.may_create_forum(actor):
        raise PermissionDenied(_("Only ministry staff organise forums."))
    forum = Forum(organiser=actor, time_zone=Forum.TimeZone.WITA)
    _apply_forum(forum, data)
    _check_forum(forum)
    forum.save()
    _set_relations(forum, data)
    return forum


@transaction.atomic
def update_forum(*, actor, forum: Forum, data: dict) -> Forum:
    forum = _lock_forum(forum)
    _require_organiser(actor, forum)
    old_minutes = forum.meeting_minutes
    _apply_forum(forum, data)
    if forum.meeting_minutes != old_minutes and forum.slots.exists():
        raise ValidationError(
            {"meeting_minutes": _("Remove the time slots before changing the meeting length.")}
        )
    _check_forum(forum)
    forum.save()
    _set_relations(forum, data)
    return forum


FORUM_TRANSITIONS = {
    (Forum.Status.DRAFT, Forum.Status.PUBLISHED),
    (Forum.Status.PUBLISHED, Forum.Status.FINISHED),
    (Forum.Status.DRAFT, Forum.Status.CANCELLED),
    (Forum.Status.PUBLISHED, Forum.Status.CANCELLED),
}


@transaction.atomic
def set_forum_status(*, actor, forum: Forum, to: str) -> Forum:
    forum = _lock_forum(forum)
    _require_organiser(actor, forum)
    if to not in Forum.Status.values:
        raise ValidationError({"status": _("“%(value)s” is not a valid choice.") % {"value": to}})
    if (forum.status, to) not in FORUM_TRANSITIONS:
        raise ValidationError(
            {
                "status": _("A forum cannot go from %(from)s to %(to)s.")
                % {"from": forum.get_status_display(), "to": Forum.Status(to).label}
            }
        )
    forum.status = to
    forum.save(update_fields=["status", "updated_at"])
    return forum


# --- Slots and tables ------------------------------------------------------------------------


@transaction.atomic
def add_slots(
    *, actor, forum: Forum, day: date, start: time, end: time, break_minutes: int = 0
) -> list[ForumSlot]:
    """Cut ``start``–``end`` of ``day`` (forum's local time) into meeting-length slots.

    Slots that exist already (same start) are left alone, so adding a day twice changes
    nothing; a new slot overlapping an existing one is refused."""
    forum = _lock_forum(forum)
    _require_organiser(actor, forum)
    if day is None or not forum.starts_on <= day <= forum.ends_on:
        raise ValidationError({"day": _("Choose a day of the forum.")})
    if start is None or end is None or end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    if break_minutes is None or not 0 <= break_minutes <= 120:
        raise ValidationError({"break_minutes": _("A break lasts 0 to 120 minutes.")})
    zone = forum.tzinfo
    length = timedelta(minutes=forum.meeting_minutes)
    step = length + timedelta(minutes=break_minutes)
    cursor = datetime.combine(day, start, tzinfo=zone)
    stop = datetime.combine(day, end, tzinfo=zone)
    wanted = []
    while cursor + length <= stop:
        wanted.append((cursor, cursor + length))
        cursor += step
    if not wanted:
        raise ValidationError({"end": _("Not even one meeting fits between these times.")})
    existing = list(forum.slots.all())
    starts = {s.starts_at for s in existing}
    created = []
    for begin, finish in wanted:
        if begin in starts:
            continue
        if any(s.starts_at < finish and begin < s.ends_at for s in existing):
            raise ValidationError(
                {"start": _("These slots overlap time slots the forum already has.")}
            )
        slot = ForumSlot(forum=forum, starts_at=begin, ends_at=finish)
        _save(slot, {"start": _("This forum already has a slot at that time.")})
        created.append(slot)
    # Participants who never chose their slots can attend the new ones too.
    open_participants = forum.participants.filter(
        status=ForumParticipant.Status.APPROVED, availability_set_at__isnull=True
    )
    ForumAvailability.objects.bulk_create(
        [ForumAvailability(participant=p, slot=s) for p in open_participants for s in created],
        ignore_conflicts=True,
    )
    return created


@transaction.atomic
def remove_slot(*, actor, slot: ForumSlot) -> None:
    _lock_forum(slot.forum)
    _require_organiser(actor, slot.forum)
    if slot.meetings.exists():
        raise ValidationError({"slot": _("Meetings use this slot; move them first.")})
    slot.delete()


@transaction.atomic
def add_table(*, actor, forum: Forum, name: str) -> ForumTable:
    _require_organiser(actor, forum)
    name = _text(name, "name", _("Name the table or room."), 60)
    if forum.tables.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This forum already has a table with this name.")})
    table = ForumTable(forum=forum, name=name)
    _save(table, {"name": _("This forum already has a table with this name.")})
    return table


@transaction.atomic
def remove_table(*, actor, table: ForumTable) -> None:
    _lock_forum(table.forum)
    _require_organiser(actor, table.forum)
    if table.meetings.exists():
        raise ValidationError({"table": _("Meetings use this table; move them first.")})
    table.delete()


# --- Registration ----------------------------------------------------------------------------


def _registration_open(forum: Forum, actor) -> None:
    if forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum does not take registrations."))
    if forum_access.organises(actor, forum):
        return  # organisers add participants whenever they need to
    now = timezone.now()
    if now < forum.registration_opens:
        raise ValidationError(_("Registration for this forum has not opened yet."))
    if now > forum.registration_closes:
        raise ValidationError(_("Registration for this forum is closed."))


def _check_time_zone(value: str) -> str:
    value = (value or "").strip()
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})
    return value


@dataclass
class AttendeeData:
    name: str
    position: str = ""
    email: str = ""
    user: User | None = None


@transaction.atomic
def register(
    *,
    actor,
    forum: Forum,
    kind: str,
    bumdes: Bumdes | None = None,
    organisation: Organisation | None = None,
    products: Sequence[Product] = (),
    attendees: Sequence[AttendeeData] | None = None,
    note: str = "",
    time_zone: str = "",
    officer: User | None = None,
) -> ForumParticipant:
    """Register a participant; the organiser approves it.

    - ``officer``: a regional officer registers the regional government of their region.
    - ``bumdes``: an officer whose region covers the BUMDes, or its operator, registers it with
      the (verified or export-ready) products it brings.
    - ``organisation``: a member of a verified organisation registers it.
    The region of an officer or a BUMDes must be invited. The actor attends unless others are
    named. An organiser registers anyone (``officer``: the officer of a regional government),
    outside the registration window too, and may bring submitted products (the help desk at
    the venue); such registrations are approved at once.
    """
    forum = Forum.objects.get(pk=forum.pk)
    if kind not in ForumParticipant.Kind.values:
        raise ValidationError({"kind": _("“%(value)s” is not a valid choice.") % {"value": kind}})
    scope = scope_for(actor)
    organiser = forum_access.organises(actor, forum)
    _registration_open(forum, actor)
    participant = ForumParticipant(
        forum=forum,
        kind=kind,
        note=(note or "").strip(),
        registered_by=actor,
        time_zone=_check_time_zone(time_zone),
    )
    if kind == ParticipantKind.OFFICER:
        officer = officer if (organiser and officer is not None) else actor
        if not scope_for(officer).is_officer:
            raise PermissionDenied(_("Only regional officers register a regional government."))
        if not forum_access.region_invited(forum, officer.region_id):
            raise ValidationError({"kind": _("Your region is not invited to this forum.")})
        participant.officer = officer
        participant.region_id = officer.region_id
        duplicate = forum.participants.filter(officer=officer)
        message = _("You are already registered for this forum.")
    elif kind == ParticipantKind.BUMDES:
        if bumdes is None:
            raise ValidationError({"bumdes": _("Choose the BUMDes.")})
        viewer = forum_access.ForumViewer(actor)
        covers = (scope.is_officer and scope.covers(bumdes.village_id)) or (
            viewer.bumdes_id == bumdes.pk
        )
        if not (covers or organiser):
            raise PermissionDenied(_("Only its regional officer or operator registers a BUMDes."))
        if bumdes.status != Bumdes.Status.VERIFIED and not organiser:
            raise ValidationError({"bumdes": _("Only verified BUMDes take part in forums.")})
        if not forum_access.region_invited(forum, bumdes.village_id):
            raise ValidationError({"bumdes": _("The BUMDes' region is not invited to this forum.")})
        products = list(products or [])
        if not products:
            raise ValidationError({"products": _("Choose the products the BUMDes brings.")})
        for product in products:
            if product.bumdes_id != bumdes.pk:
                raise ValidationError(
                    {
                        "products": _("%(product)s is not a product of this BUMDes.")
                        % {"product": product.name_id}
                    }
                )
            allowed = (
                (*FORUM_PRODUCT_STATUSES, Product.Status.SUBMITTED)
                if organiser
                else FORUM_PRODUCT_STATUSES
            )
            if product.status not in allowed:
                raise ValidationError(
                    {
                        "products": _(
                            "%(product)s is not verified yet; bring verified or export-ready "
                            "products."
                        )
                        % {"product": product.name_id}
                    }
                )
        participant.bumdes = bumdes
        duplicate = forum.participants.filter(bumdes=bumdes)
        message = _("This BUMDes is already registered for this forum.")
    else:
        if organiser and organisation is not None:
            if not organisation.is_verified:
                raise ValidationError({"organisation": _("The organisation is not verified.")})
        else:
            organisation = mm_access.acting_organisation(actor)
        participant.organisation = organisation
        duplicate = forum.participants.filter(organisation=organisation)
        message = _("Your organisation is already registered for this forum.")
    if duplicate.exists():
        raise ValidationError({"kind": message})
    _save(participant, {"kind": message})
    if kind == ParticipantKind.BUMDES:
        participant.products.set(products)
    people = list(attendees) if attendees else []
    if not people and not organiser:
        people = [_attendee_for(actor)]
    for person in people:
        _add_attendee(participant, person)
    if organiser:
        _approve(participant, actor)
    else:
        _tell(
            organisers_of(forum),
            actor=actor,
            kind="forum.registration",
            subject=translated(
                gettext_lazy("New registration for %(forum)s: %(participant)s"),
                forum=forum.name,
                participant=participant.display_name,
            ),
            template="matchmaking/forums/email/registration.txt",
            context={"forum": forum, "participant": participant, "actor": actor},
            link=reverse("forums:participants", args=[forum.pk]),
        )
    return participant


def _attendee_for(user: User) -> AttendeeData:
    return AttendeeData(
        name=user.get_full_name() or user.username, email=user.email or "", user=user
    )


def _add_attendee(participant: ForumParticipant, data: AttendeeData) -> ForumAttendee:
    name = _text(data.name, "name", _("Give the person's name."), 150)
    # An account attends only for a participant it belongs to: attending shows the meetings.
    if data.user is not None:
        if participant.kind == ParticipantKind.ORGANISATION:
            belongs = mm_access.is_member(data.user, participant.organisation)
        else:
            belongs = forum_access.acts_for(data.user, participant)
        if not belongs:
            raise ValidationError({"user": _("This account does not belong to this participant.")})
    if data.user is not None and participant.attendees.filter(user=data.user).exists():
        raise ValidationError({"name": _("This person already attends for this participant.")})
    attendee = ForumAttendee(
        participant=participant,
        user=data.user,
        name=name,
        position=(data.position or "").strip()[:150],
        email=(data.email or "").strip(),
    )
    attendee.full_clean(exclude=["participant", "user"])
    _save(attendee, {"name": _("This person already attends for this participant.")})
    return attendee


def _may_manage(actor, participant: ForumParticipant) -> bool:
    return forum_access.acts_for(actor, participant) or forum_access.organises(
        actor, participant.forum
    )


@transaction.atomic
def add_attendee(*, actor, participant: ForumParticipant, data: AttendeeData) -> ForumAttendee:
    if not _may_manage(actor, participant):
        raise PermissionDenied
    return _add_attendee(participant, data)


@transaction.atomic
def remove_attendee(*, actor, attendee: ForumAttendee) -> None:
    if not _may_manage(actor, attendee.participant):
        raise PermissionDenied
    if attendee.meetings.filter(status__in=OPEN_MEETING_STATUSES).exists():
        raise ValidationError(
            _("This person is booked in meetings; the organiser moves them first.")
        )
    attendee.delete()


def _approve(participant: ForumParticipant, actor) -> None:
    participant.status = ForumParticipant.Status.APPROVED
    participant.decided_by = actor
    participant.decided_at = timezone.now()
    participant.save(update_fields=["status", "decided_by", "decided_at"])
    if participant.availability_set_at is None:
        ForumAvailability.objects.bulk_create(
            [
                ForumAvailability(participant=participant, slot=slot)
                for slot in participant.forum.slots.all()
            ],
            ignore_conflicts=True,
        )


@transaction.atomic
def decide_participant(
    *, actor, participant: ForumParticipant, approve: bool, reason: str = ""
) -> ForumParticipant:
    """The organiser approves or rejects a registration (a rejection says why)."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    _require_organiser(actor, participant.forum)
    if participant.status != ForumParticipant.Status.PENDING:
        raise ValidationError(
            {
                "status": _("This registration was already decided: %(status)s.")
                % {"status": participant.get_status_display()}
            }
        )
    reason = (reason or "").strip()
    if approve:
        _approve(participant, actor)
    else:
        if not reason:
            raise ValidationError({"reason": _("Say why.")})
        participant.status = ForumParticipant.Status.REJECTED
        participant.decision_reason = reason
        participant.decided_by = actor
        participant.decided_at = timezone.now()
        participant.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
    status = ForumParticipant.Status(participant.status)
    _tell(
        people_of(participant),
        actor=actor,
        kind=f"forum.participant.{participant.status}",
        subject=translated(
            gettext_lazy("%(forum)s: registration %(status)s"),
            forum=participant.forum.name,
            status=lambda: str(status.label).lower(),
        ),
        template="matchmaking/forums/email/decision.txt",
        context={"participant": participant, "forum": participant.forum},
        link=_participant_link(participant),
    )
    return participant


@transaction.atomic
def set_availability(
    *, actor, participant: ForumParticipant, slots: Iterable[ForumSlot]
) -> list[ForumSlot]:
    """The slots the participant can attend (replacing the previous choice). Slots of booked
    meetings stay: the organiser moves the meeting first."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    if not _may_manage(actor, participant):
        raise PermissionDenied
    chosen = list(slots)
    for slot in chosen:
        if slot.forum_id != participant.forum_id:
            raise ValidationError({"slots": _("Choose slots of this forum.")})
    chosen_ids = {slot.pk for slot in chosen}
    booked = set(
        Meeting.objects.filter(
            Q(party_a=participant) | Q(party_b=participant),
            status__in=OPEN_MEETING_STATUSES,
        ).values_list("slot_id", flat=True)
    )
    missing = booked - chosen_ids
    if missing:
        raise ValidationError(
            {
                "slots": _("You have meetings in %(slots)s; ask the organiser to move them first.")
                % {"slots": ", ".join(str(s) for s in ForumSlot.objects.filter(pk__in=missing))}
            }
        )
    participant.availability.exclude(slot_id__in=chosen_ids).delete()
    ForumAvailability.objects.bulk_create(
        [ForumAvailability(participant=participant, slot_id=pk) for pk in chosen_ids],
        ignore_conflicts=True,
    )
    participant.availability_set_at = timezone.now()
    participant.save(update_fields=["availability_set_at"])
    return sorted(chosen, key=lambda s: s.starts_at)


@transaction.atomic
def set_time_zone(*, actor, participant: ForumParticipant, time_zone: str) -> ForumParticipant:
    if not _may_manage(actor, participant):
        raise PermissionDenied
    participant.time_zone = _check_time_zone(time_zone)
    participant.save(update_fields=["time_zone"])
    return participant


# --- Meeting requests ------------------------------------------------------------------------


def may_meet(a: ForumParticipant, b: ForumParticipant) -> bool:
    """A meeting joins the exporter side with the village side: exactly one organisation."""
    organisations = [p.kind == ParticipantKind.ORGANISATION for p in (a, b)]
    return organisations.count(True) == 1


@transaction.atomic
def send_request(
    *, actor, sender: ForumParticipant, receiver: ForumParticipant, message: str = ""
) -> MeetingRequest:
    if not forum_access.acts_for(actor, sender):
        if sender.kind == ParticipantKind.ORGANISATION and mm_access.is_member(
            actor, sender.organisation
        ):
            mm_access.acting_organisation(actor)  # says why: not verified yet
        raise PermissionDenied
    forum = sender.forum
    if receiver is None or receiver.forum_id != forum.pk:
        raise ValidationError({"to_participant": _("Choose a participant of this forum.")})
    if receiver.pk == sender.pk:
        raise ValidationError({"to_participant": _("Choose another participant.")})
    if forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum takes no more meeting requests."))
    if not sender.is_approved:
        raise ValidationError(_("Your registration is not approved yet."))
    if not receiver.is_approved:
        raise ValidationError({"to_participant": _("This participant is not approved.")})
    if not may_meet(sender, receiver):
        raise ValidationError(
            {
                "to_participant": _(
                    "Meetings are between an exporter or buyer and a BUMDes or regional government."
                )
            }
        )
    pair = MeetingRequest.pair_of(sender.pk, receiver.pk)
    open_message = _("There is already an open meeting request between you.")
    if MeetingRequest.objects.filter(
        forum=forum, pair=pair, status__in=["pending", "accepted"]
    ).exists():
        raise ValidationError({"to_participant": open_message})
    request = MeetingRequest(
        forum=forum,
        from_participant=sender,
        to_participant=receiver,
        pair=pair,
        message=(message or "").strip()[:2000],
        created_by=actor,
    )
    _save(request, {"to_participant": open_message})
    _tell(
        people_of(receiver),
        actor=actor,
        kind="forum.request.new",
        subject=translated(
            gettext_lazy("%(forum)s: %(sender)s asks to meet you"),
            forum=forum.name,
            sender=sender.display_name,
        ),
        template="matchmaking/forums/email/request_new.txt",
        context={"request": request, "actor": actor},
        link=_participant_link(receiver),
    )
    return request


@transaction.atomic
def answer_request(
    *, actor, request: MeetingRequest, accept: bool, answer: str = ""
) -> MeetingRequest:
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant", "to_participant", "forum")
        .get(pk=request.pk)
    )
    # The organiser answers for a participant without an account (the venue's help desk).
    if not (
        forum_access.acts_for(actor, request.to_participant)
        or forum_access.organises(actor, request.forum)
    ):
        raise PermissionDenied(_("Only the invited side answers a meeting request."))
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(
            {
                "status": _("This request was already answered: %(status)s.")
                % {"status": request.get_status_display()}
            }
        )
    if request.forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum takes no more meeting requests."))
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answer = (answer or "").strip()[:2000]
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    status = MeetingRequest.Status(request.status)
    _tell(
        people_of(request.from_participant),
        actor=actor,
        kind=f"forum.request.{request.status}",
        subject=translated(
            gettext_lazy("%(forum)s: %(receiver)s %(status)s your meeting request"),
            forum=request.forum.name,
            receiver=request.to_participant.display_name,
            status=lambda: str(status.label).lower(),
        ),
        template="matchmaking/forums/email/request_answered.txt",
        context={"request": request, "actor": actor},
        link=_participant_link(request.from_participant),
    )
    return request


@transaction.atomic
def cancel_request(*, actor, request: MeetingRequest) -> MeetingRequest:
    """Either side withdraws (a pending request: its sender; an accepted one: either side, which
    also cancels the meeting and frees its slot and table)."""
    request = (
        MeetingRequest.objects.select_for_update()
        .select_related("from_participant", "to_participant", "forum")
        .get(pk=request.pk)
    )
    sender = forum_access.acts_for(actor, request.from_participant)
    receiver = forum_access.acts_for(actor, request.to_participant)
    organiser = forum_access.organises(actor, request.forum)
    if request.status == MeetingRequest.Status.PENDING and not (sender or organiser):
        raise PermissionDenied
    if request.status == MeetingRequest.Status.ACCEPTED and not (sender or receiver or organiser):
        raise PermissionDenied
    if request.status not in (MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED):
        raise ValidationError({"status": _("This request is no longer open.")})
    meeting = Meeting.objects.filter(request=request).first()
    if meeting is not None and meeting.status in (Meeting.Status.HELD, Meeting.Status.NO_SHOW):
        raise ValidationError({"status": _("The meeting is over; it cannot be cancelled.")})
    if request.answered_at is None:
        request.answered_at = timezone.now()
        request.answered_by = actor
    request.status = MeetingRequest.Status.CANCELLED
    request.unplaced_reason = ""
    request.save(update_fields=["status", "answered_at", "answered_by", "unplaced_reason"])
    if meeting is not None:
        meeting.bookings.all().delete()
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status", "placed_at"])
    others = [request.from_participant, request.to_participant]
    _tell(
        [u for p in others for u in people_of(p)],
        actor=actor,
        kind="forum.request.cancelled",
        subject=translated(
            gettext_lazy("%(forum)s: meeting %(a)s × %(b)s cancelled"),
            forum=request.forum.name,
            a=request.from_participant.display_name,
            b=request.to_participant.display_name,
        ),
        template="matchmaking/forums/email/request_cancelled.txt",
        context={"request": request, "actor": actor},
        link=_forum_link(request.forum),
    )
    return request


# --- Scheduling ------------------------------------------------------------------------------


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
def run_scheduler(*, actor, forum: Forum, time_limit_s: float = SCHEDULER_TIME_LIMIT_S):
    """Place every accepted request: confirmed (and past) meetings stay where they are, the
    others are placed again. Requests that cannot be placed keep the reason, for the organiser.
    All or nothing: a concurrent change makes the run fail with a message, never half-saved."""
    from matchmaking.forums.scheduling import FixedMeeting, MeetingToPlace, place_meetings

    forum = _lock_forum(forum)
    _require_organiser(actor, forum)
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
    slot: ForumSlot,
    table: ForumTable,
    meeting: Meeting | None,
) -> Meeting:
    """Put a request's meeting at ``slot``/``table`` by hand, under the scheduler's rules."""
    errors: dict[str, str] = {}
    if slot is None or slot.forum_id != forum.pk:
        errors["slot"] = _("Choose a time slot of this forum.")
    if table is None or table.forum_id != forum.pk:
        errors["table"] = _("Choose a table of this forum.")
    if errors:
        raise ValidationError(errors)
    party_a, party_b = request.from_participant, request.to_participant
    available = _available_slots([party_a.pk, party_b.pk])
    away = [p.display_name for p in (party_a, party_b) if slot.pk not in available[p.pk]]
    if away:
        raise ValidationError(
            {"slot": _("Not available in this slot: %(who)s.") % {"who": ", ".join(away)}}
        )
    own = meeting.pk if meeting else None
    taken = Meeting.objects.filter(
        slot=slot, table=table, status__in=ACTIVE_MEETING_STATUSES
    ).exclude(pk=own)
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
def move_meeting(*, actor, meeting: Meeting, slot: ForumSlot, table: ForumTable) -> Meeting:
    """The organiser moves a meeting to another slot or table, under the scheduler's rules;
    both parties are told when the meeting was confirmed."""
    forum = _lock_forum(meeting.forum)
    _require_organiser(actor, forum)
    meeting = Meeting.objects.select_for_update().select_related("request").get(pk=meeting.pk)
    if meeting.status not in OPEN_MEETING_STATUSES:
        raise ValidationError(_("Only scheduled or confirmed meetings can be moved."))
    request = MeetingRequest.objects.select_related("from_participant", "to_participant").get(
        pk=meeting.request_id
    )
    moved = _place_checked(forum=forum, request=request, slot=slot, table=table, meeting=meeting)
    if moved.status == Meeting.Status.CONFIRMED:
        _tell_meeting(moved, actor, "forum.meeting.moved", gettext_lazy("%(forum)s: meeting moved"))
    return moved


@transaction.atomic
def place_by_hand(*, actor, request: MeetingRequest, slot: ForumSlot, table: ForumTable) -> Meeting:
    """The organiser places an accepted request the scheduler could not place."""
    forum = _lock_forum(request.forum)
    _require_organiser(actor, forum)
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


def _tell_meeting(meeting: Meeting, actor, kind: str, subject) -> int:
    people = [*people_of(meeting.party_a), *people_of(meeting.party_b)]
    return _tell(
        people,
        actor=actor,
        kind=kind,
        subject=translated(subject, forum=meeting.forum.name),
        template="matchmaking/forums/email/meeting.txt",
        context={"meeting": meeting, "kind": kind},
        link=_meeting_link(meeting),
    )


@transaction.atomic
def confirm_meetings(*, actor, forum: Forum) -> int:
    """The organiser confirms the schedule: scheduled meetings become confirmed (kept by later
    scheduler runs) and both sides are told. Returns how many were confirmed."""
    forum = _lock_forum(forum)
    _require_organiser(actor, forum)
    meetings = list(
        Meeting.objects.filter(forum=forum, status=Meeting.Status.SCHEDULED).select_related(
            "party_a", "party_b", "slot", "table", "forum"
        )
    )
    for meeting in meetings:
        meeting.status = Meeting.Status.CONFIRMED
        meeting.save(update_fields=["status"])
        _tell_meeting(
            meeting, actor, "forum.meeting.confirmed", gettext_lazy("%(forum)s: meeting confirmed")
        )
    return len(meetings)


# --- After the meeting -----------------------------------------------------------------------


def meeting_side(actor, meeting: Meeting) -> ForumParticipant | None:
    """The party the actor speaks for in this meeting (the first, if both)."""
    viewer = forum_access.ForumViewer(actor)
    for party in (meeting.party_a, meeting.party_b):
        if viewer.acts_for(party):
            return party
    return None


def _rating(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        rating = int(value)
    except (TypeError, ValueError):
        raise ValidationError({"rating": _("Rate from 1 to 5.")}) from None
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    return rating


@transaction.atomic
def record_meeting(
    *,
    actor,
    meeting: Meeting,
    held: bool,
    notes: str = "",
    rating=None,
    comment: str = "",
    side: ForumParticipant | None = None,
) -> MeetingRecord:
    """One side says whether the meeting took place, with notes and feedback. The meeting is
    *held* as soon as one side says it was; *did not take place* when no side says so."""
    meeting = Meeting.objects.select_for_update().select_related("slot").get(pk=meeting.pk)
    side = side or meeting_side(actor, meeting)
    if (
        side is None
        or not forum_access.acts_for(actor, side)
        or side.pk
        not in (
            meeting.party_a_id,
            meeting.party_b_id,
        )
    ):
        raise PermissionDenied(_("Only the two sides of the meeting record it."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if meeting.slot.starts_at > timezone.now():
        raise ValidationError({"held": _("The meeting has not started yet.")})
    if held is None:
        raise ValidationError({"held": _("Say whether the meeting took place.")})
    record, _created = MeetingRecord.objects.update_or_create(
        meeting=meeting,
        participant=side,
        defaults={
            "held": bool(held),
            "notes": (notes or "").strip(),
            "rating": _rating(rating),
            "comment": (comment or "").strip(),
            "recorded_by": actor,
        },
    )
    records = list(meeting.records.values_list("held", flat=True))
    meeting.status = Meeting.Status.HELD if any(records) else Meeting.Status.NO_SHOW
    meeting.save(update_fields=["status"])
    return record


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


def meeting_products(meeting: Meeting):
    """Products an outcome of this meeting may name: those of a BUMDes side, or of BUMDes in a
    regional government's region."""
    q = Q(pk__in=[])
    for party in (meeting.party_a, meeting.party_b):
        if party.kind == ParticipantKind.BUMDES:
            q |= Q(bumdes_id=party.bumdes_id)
        elif party.kind == ParticipantKind.OFFICER and party.region_id:
            q |= Q(bumdes__village__code__startswith=f"{party.region_id}.")
    return Product.objects.filter(q)


@transaction.atomic
def add_outcome(*, actor, meeting: Meeting, data: dict) -> MeetingOutcome:
    """Either side (or the organiser) records a step the meeting led to. A first shipment
    needs its volume, value in USD, destination and date."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting_side(actor, meeting) is None and not forum_access.organises(actor, meeting.forum):
        raise PermissionDenied(_("Only the two sides of the meeting record what it led to."))
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record that the meeting took place first."))
    stage = data.get("stage") or ""
    if stage not in MeetingOutcome.Stage.values:
        raise ValidationError({"stage": _("Choose the stage.")})
    if meeting.outcomes.filter(stage=stage).exists():
        raise ValidationError({"stage": _("This meeting already has an outcome at this stage.")})
    outcome = MeetingOutcome(
        meeting=meeting,
        stage=stage,
        occurred_on=data.get("occurred_on"),
        volume_kg=_decimal(data.get("volume_kg"), "volume_kg"),
        value_usd=_decimal(data.get("value_usd"), "value_usd"),
        destination=data.get("destination"),
        note=(data.get("note") or "").strip(),
        recorded_by=actor,
    )
    errors: dict[str, str] = {}
    if outcome.volume_kg is not None and outcome.volume_kg <= 0:
        errors["volume_kg"] = _("The volume must be more than zero.")
    if outcome.value_usd is not None and outcome.value_usd < 0:
        errors["value_usd"] = _("The value cannot be negative.")
    if outcome.destination is not None and not isinstance(outcome.destination, Country):
        errors["destination"] = _("Choose a country.")
    if stage == MeetingOutcome.Stage.FIRST_SHIPMENT:
        needed = {
            "volume_kg": _("Give the volume shipped."),
            "value_usd": _("Give the value in USD."),
            "destination": _("Give the destination country."),
            "occurred_on": _("Give the shipment date."),
        }
        for name, message in needed.items():
            if getattr(outcome, name) is None and name not in errors:
                errors[name] = message
    if outcome.occurred_on and outcome.occurred_on > timezone.localdate() + timedelta(days=1):
        errors["occurred_on"] = _("The date cannot be in the future.")
    products = list(data.get("products") or [])
    allowed = set(meeting_products(meeting).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in products):
        errors["products"] = _("Choose products of the BUMDes in this meeting.")
    if stage == MeetingOutcome.Stage.FIRST_SHIPMENT and not products:
        errors.setdefault("products", _("Name the products shipped."))
    if errors:
        raise ValidationError(errors)
    outcome.full_clean(exclude=["meeting", "destination", "recorded_by"])
    _save(outcome, {"stage": _("This meeting already has an outcome at this stage.")})
    outcome.products.set(products)
    return outcome


def follow_up_owners(meeting: Meeting) -> list[User]:
    """Who may own a follow-up: the people of both sides and the organisers."""
    users = [
        *people_of(meeting.party_a),
        *people_of(meeting.party_b),
        *organisers_of(meeting.forum),
    ]
    return list({u.pk: u for u in users if u.is_active}.values())


@transaction.atomic
def add_follow_up(
    *,
    actor,
    meeting: Meeting,
    title: str,
    due_on: date | None,
    owner: User | None,
    outcome: MeetingOutcome | None = None,
) -> FollowUp:
    if meeting_side(actor, meeting) is None and not forum_access.organises(actor, meeting.forum):
        raise PermissionDenied
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Say what is to be done.")
    if due_on is None:
        errors["due_on"] = _("Give a due date.")
    if owner is None or owner.pk not in {u.pk for u in follow_up_owners(meeting)}:
        errors["owner"] = _("Choose someone of either side or an organiser.")
    if outcome is not None and outcome.meeting_id != meeting.pk:
        errors["outcome"] = _("Choose an outcome of this meeting.")
    if errors:
        raise ValidationError(errors)
    task = FollowUp.objects.create(
        meeting=meeting,
        outcome=outcome,
        title=title[:200],
        due_on=due_on,
        owner=owner,
        created_by=actor,
    )
    _tell(
        [owner],
        actor=actor,
        kind="forum.follow_up",
        subject=translated(gettext_lazy("Follow-up for you: %(title)s"), title=task.title),
        template="matchmaking/forums/email/follow_up.txt",
        context={"task": task, "meeting": meeting},
        link=_meeting_link(meeting),
    )
    return task


@transaction.atomic
def complete_follow_up(*, actor, follow_up: FollowUp, done: bool = True) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    meeting = follow_up.meeting
    if not (
        follow_up.owner_id == actor.pk
        or meeting_side(actor, meeting) is not None
        or forum_access.organises(actor, meeting.forum)
    ):
        raise PermissionDenied
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up


# --- Reminders -------------------------------------------------------------------------------


def due_reminders(now: datetime | None = None) -> list[int]:
    """Ids of meetings starting within the next day that have not been reminded of."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            status__in=OPEN_MEETING_STATUSES,
            reminder_sent_at__isnull=True,
            slot__starts_at__gt=now,
            slot__starts_at__lte=now + timedelta(days=1),
        )
        .order_by("slot__starts_at", "id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def send_reminder(meeting_id: int) -> int:
    """Remind both sides of one meeting, once: the sent-at marker is set under a row lock, so a
    second run (or a second worker) finds it set and does nothing. Returns how many were told."""
    meeting = (
        Meeting.objects.select_for_update()
        .filter(pk=meeting_id, reminder_sent_at__isnull=True, status__in=OPEN_MEETING_STATUSES)
        .first()
    )
    if meeting is None:
        return 0
    meeting.reminder_sent_at = timezone.now()
    meeting.save(update_fields=["reminder_sent_at"])
    return _tell_meeting(
        meeting, None, "forum.meeting.reminder", gettext_lazy("%(forum)s: your meeting tomorrow")
    )
