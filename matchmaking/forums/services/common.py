"""What the forum services share: status sets, links, who hears about a participant, telling
people, and the small guards every write uses (organisers only, a save that turns a concurrent
write's broken constraint into a ``ValidationError``, the forum row lock)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.access import code_within
from bumdes_export.accounts.models import Role, User
from bumdes_export.notifications.services import notify, translated
from matchmaking.dealings.selectors import members_of
from matchmaking.forums import access as forum_access
from matchmaking.forums.models import (
    Forum,
    ForumParticipant,
    Meeting,
    ParticipantKind,
)
from products.models import BumdesOperator, Product

#: Products a BUMDes may bring to a forum.
FORUM_PRODUCT_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)
#: Meetings the scheduler keeps where they are.
FIXED_STATUSES = (Meeting.Status.CONFIRMED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)
RACE_MESSAGE = gettext_lazy(
    "Someone changed the schedule at the same moment; nothing was saved. Try again."
)

#: A message for people: a string, or a lazy translation rendered in the recipient's language.
Message = str | Promise


def forum_link(forum: Forum) -> str:
    return reverse("forums:forum_detail", args=[forum.pk])


def participant_link(participant: ForumParticipant) -> str:
    return reverse("forums:participant_detail", args=[participant.pk])


def meeting_link(meeting: Meeting) -> str:
    return reverse("forums:meeting_detail", args=[meeting.pk])


def people_of(participant: ForumParticipant) -> list[User]:
    """Who hears about a participant's requests and meetings: the users acting for it and its
    attendees with an account."""
    users: list[User] = []
    if participant.kind == ParticipantKind.ORGANISATION:
        if participant.organisation is not None:
            users += members_of(participant.organisation)
    elif participant.kind == ParticipantKind.BUMDES:
        bumdes = participant.bumdes
        if bumdes is not None:
            users += [
                u
                for u in User.objects.filter(is_active=True, role=Role.OFFICER).exclude(region=None)
                if code_within(bumdes.village_id, u.region_id or "")
            ]
        users += [
            link.user
            for link in BumdesOperator.objects.select_related("user").filter(
                bumdes=bumdes, user__is_active=True
            )
        ]
    elif participant.officer_id and participant.officer is not None:
        users.append(participant.officer)
    users += [a.user for a in participant.attendees.select_related("user") if a.user is not None]
    return users


def organisers_of(forum: Forum) -> list[User]:
    return [forum.organiser, *forum.co_organisers.all()]


def tell(
    users: Iterable[User | None],
    *,
    actor: User | None,
    kind: str,
    subject: Message,
    template: str,
    context: Mapping[str, Any],
    link: str,
) -> int:
    """Notify each active user once, never the actor. Returns how many were told."""
    seen = {getattr(actor, "pk", None)}
    told = 0
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        notify(
            user, kind=kind, subject=subject, template=template, context=dict(context), link=link
        )
        told += 1
    return told


def tell_meeting(meeting: Meeting, actor: User | None, kind: str, subject: Promise) -> int:
    """Tell both sides of a meeting (confirmed, moved, tomorrow)."""
    people = [*people_of(meeting.party_a), *people_of(meeting.party_b)]
    return tell(
        people,
        actor=actor,
        kind=kind,
        subject=translated(subject, forum=meeting.forum.name),
        template="matchmaking/forums/email/meeting.txt",
        context={"meeting": meeting, "kind": kind},
        link=meeting_link(meeting),
    )


def required_text(
    value: str | None, field: str, message: Message, max_length: int | None = None
) -> str:
    """``value`` stripped; a field error when it is empty or longer than ``max_length``."""
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if max_length and len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return text


def require_organiser(actor: User, forum: Forum) -> None:
    if not forum_access.organises(actor, forum):
        raise PermissionDenied(_("Only the forum's organisers do this."))


def save_or_refuse(instance: models.Model, message: str | dict[str, str]) -> None:
    """Save; a constraint broken by a concurrent write becomes a ValidationError."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(message) from None


def lock_forum(forum: Forum) -> Forum:
    """Lock the forum row: on PostgreSQL the scheduler and manual moves of one forum queue
    behind each other (the unique constraints are the backstop wherever they do not)."""
    return Forum.objects.select_for_update().get(pk=forum.pk)
