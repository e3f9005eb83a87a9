"""Writes of forum events: creating and changing a forum, its status, its time slots and its
tables or rooms (organisers only, apart from creating, which ministry staff do)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bumdes_export.accounts.access import scope_for
from bumdes_export.accounts.models import User
from bumdes_export.reference.models import Region
from matchmaking.forums import access as forum_access
from matchmaking.forums.models import (
    Forum,
    ForumAvailability,
    ForumParticipant,
    ForumSlot,
    ForumTable,
)
from matchmaking.forums.services.common import (
    lock_forum,
    require_organiser,
    required_text,
    save_or_refuse,
)

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
FORUM_TRANSITIONS = {
    (Forum.Status.DRAFT, Forum.Status.PUBLISHED),
    (Forum.Status.PUBLISHED, Forum.Status.FINISHED),
    (Forum.Status.DRAFT, Forum.Status.CANCELLED),
    (Forum.Status.PUBLISHED, Forum.Status.CANCELLED),
}


def _apply_forum(forum: Forum, data: Mapping[str, Any]) -> None:
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
        and forum.starts_on
        and forum.time_zone in Forum.TimeZone.values
        and forum.registration_closes.astimezone(forum.tzinfo).date() >= forum.starts_on
    ):
        errors["registration_closes"] = _(
            "Registration must close before the forum's first day: the schedule is made "
            "from the registrations."
        )
    if not (forum.venue or forum.online_url):
        errors["venue"] = _("Give a venue, an online link, or both.")
    if forum.meeting_minutes is not None and not 5 <= forum.meeting_minutes <= 240:
        errors["meeting_minutes"] = _("A meeting lasts between 5 and 240 minutes.")
    if forum.time_zone not in Forum.TimeZone.values:
        errors["time_zone"] = _("Choose WIB, WITA or WIT.")
    if errors:
        raise ValidationError(errors)
    forum.full_clean(exclude=["organiser", "co_organisers", "invited_regions"])


def _set_relations(forum: Forum, data: Mapping[str, Any]) -> None:
    if data.get("invited_regions") is not None:
        regions = list(data["invited_regions"])
        for region in regions:
            if not isinstance(region, Region) or region.level not in (1, 2):
                raise ValidationError({"invited_regions": _("Invite provinces or regencies.")})
        forum.invited_regions.set(regions)
    if data.get("co_organisers") is not None:
        users: list[User] = list(data["co_organisers"])
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
def create_forum(*, actor: User, data: Mapping[str, Any]) -> Forum:
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
def update_forum(*, actor: User, forum: Forum, data: Mapping[str, Any]) -> Forum:
    forum = lock_forum(forum)
    require_organiser(actor, forum)
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


@transaction.atomic
def set_forum_status(*, actor: User, forum: Forum, to: str) -> Forum:
    forum = lock_forum(forum)
    require_organiser(actor, forum)
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
    *,
    actor: User,
    forum: Forum,
    day: date | None,
    start: time | None,
    end: time | None,
    break_minutes: int | None = 0,
    in_the_past: bool = False,
) -> list[ForumSlot]:
    """Cut ``start``–``end`` of ``day`` (forum's local time) into meeting-length slots.

    Slots that exist already (same start) are left alone, so adding a day twice changes
    nothing; a new slot overlapping an existing one is refused. Slots that would begin in the
    past are refused unless the organiser says so (``in_the_past``: to record meetings that
    took place outside the plan)."""
    forum = lock_forum(forum)
    require_organiser(actor, forum)
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
    if not in_the_past and wanted[0][0] < timezone.now():
        raise ValidationError(
            {
                "in_the_past": _(
                    "These slots begin in the past. Tick the box to add them anyway (to record "
                    "meetings that took place outside the plan)."
                )
            }
        )
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
        save_or_refuse(slot, {"start": _("This forum already has a slot at that time.")})
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
def remove_slot(*, actor: User, slot: ForumSlot) -> None:
    lock_forum(slot.forum)
    require_organiser(actor, slot.forum)
    if slot.meetings.exists():
        raise ValidationError({"slot": _("Meetings use this slot; move them first.")})
    slot.delete()


@transaction.atomic
def add_table(*, actor: User, forum: Forum, name: str) -> ForumTable:
    require_organiser(actor, forum)
    name = required_text(name, "name", _("Name the table or room."), 60)
    if forum.tables.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("This forum already has a table with this name.")})
    table = ForumTable(forum=forum, name=name)
    save_or_refuse(table, {"name": _("This forum already has a table with this name.")})
    return table


@transaction.atomic
def remove_table(*, actor: User, table: ForumTable) -> None:
    lock_forum(table.forum)
    require_organiser(actor, table.forum)
    if table.meetings.exists():
        raise ValidationError({"table": _("Meetings use this table; move them first.")})
    table.delete()
