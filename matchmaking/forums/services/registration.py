"""Writes of forum registration: registering a participant (a regional government, a BUMDes
with the products it brings, or an organisation), its attendees, the organiser's approval, and
the slots and time zone it attends in."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from exporters.models import Organisation
from matchmaking import access as mm_access
from matchmaking.forums import access as forum_access
from matchmaking.forums.models import (
    OPEN_MEETING_STATUSES,
    Forum,
    ForumAttendee,
    ForumAvailability,
    ForumParticipant,
    ForumSlot,
    Meeting,
    ParticipantKind,
)
from matchmaking.forums.services.common import (
    FORUM_PRODUCT_STATUSES,
    organisers_of,
    participant_link,
    people_of,
    require_organiser,
    required_text,
    save_or_refuse,
    tell,
)
from products.models import Bumdes, Product


@dataclass
class AttendeeData:
    name: str
    position: str = ""
    email: str = ""
    user: User | None = None


def _registration_open(forum: Forum, actor: User) -> None:
    if forum.status != Forum.Status.PUBLISHED:
        raise ValidationError(_("This forum does not take registrations."))
    if forum_access.organises(actor, forum):
        return  # organisers add participants whenever they need to
    now = timezone.now()
    if now < forum.registration_opens:
        raise ValidationError(_("Registration for this forum has not opened yet."))
    if now > forum.registration_closes:
        raise ValidationError(_("Registration for this forum is closed."))


def _check_time_zone(value: str | None) -> str:
    value = (value or "").strip()
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError({"time_zone": _("Choose a time zone from the list.")})
    return value


def _check_products(bumdes: Bumdes, products: list[Product], organiser: bool) -> None:
    if not products:
        raise ValidationError({"products": _("Choose the products the BUMDes brings.")})
    # The organiser's help desk at the venue may bring submitted products too.
    allowed = (
        (*FORUM_PRODUCT_STATUSES, Product.Status.SUBMITTED) if organiser else FORUM_PRODUCT_STATUSES
    )
    for product in products:
        if product.bumdes_id != bumdes.pk:
            raise ValidationError(
                {
                    "products": _("%(product)s is not a product of this BUMDes.")
                    % {"product": product.name_id}
                }
            )
        if product.status not in allowed:
            raise ValidationError(
                {
                    "products": _(
                        "%(product)s is not verified yet; bring verified or export-ready products."
                    )
                    % {"product": product.name_id}
                }
            )


@transaction.atomic
def register(
    *,
    actor: User,
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
    organiser = forum_access.organises(actor, forum)
    _registration_open(forum, actor)
    participant = ForumParticipant(
        forum=forum,
        kind=kind,
        note=(note or "").strip(),
        registered_by=actor,
        time_zone=_check_time_zone(time_zone),
    )
    chosen: list[Product] = []
    if kind == ParticipantKind.OFFICER:
        officer = officer if (organiser and officer is not None) else actor
        if not forum_access.may_register_government(officer):
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
        if not (organiser or forum_access.may_register_bumdes(actor, bumdes)):
            raise PermissionDenied(_("Only its regional officer or operator registers a BUMDes."))
        if bumdes.status != Bumdes.Status.VERIFIED and not organiser:
            raise ValidationError({"bumdes": _("Only verified BUMDes take part in forums.")})
        if not forum_access.region_invited(forum, bumdes.village_id):
            raise ValidationError({"bumdes": _("The BUMDes' region is not invited to this forum.")})
        chosen = list(products or [])
        _check_products(bumdes, chosen, organiser)
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
    save_or_refuse(participant, {"kind": message})
    if kind == ParticipantKind.BUMDES:
        participant.products.set(chosen)
    people = list(attendees) if attendees else []
    if not people and not organiser:
        people = [_attendee_for(actor)]
    for person in people:
        _add_attendee(participant, person)
    if organiser:
        _approve(participant, actor)
    else:
        tell(
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
    name = required_text(data.name, "name", _("Give the person's name."), 150)
    if data.user is not None and not forum_access.may_attend_for(data.user, participant):
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
    save_or_refuse(attendee, {"name": _("This person already attends for this participant.")})
    return attendee


@transaction.atomic
def add_attendee(
    *, actor: User, participant: ForumParticipant, data: AttendeeData
) -> ForumAttendee:
    if not forum_access.manages_participant(actor, participant):
        raise PermissionDenied
    return _add_attendee(participant, data)


@transaction.atomic
def remove_attendee(*, actor: User, attendee: ForumAttendee) -> None:
    if not forum_access.manages_participant(actor, attendee.participant):
        raise PermissionDenied
    if attendee.meetings.filter(status__in=OPEN_MEETING_STATUSES).exists():
        raise ValidationError(
            _("This person is booked in meetings; the organiser moves them first.")
        )
    attendee.delete()


def _approve(participant: ForumParticipant, actor: User) -> None:
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
    *, actor: User, participant: ForumParticipant, approve: bool, reason: str = ""
) -> ForumParticipant:
    """The organiser approves or rejects a registration (a rejection says why)."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    require_organiser(actor, participant.forum)
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
    tell(
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
        link=participant_link(participant),
    )
    return participant


@transaction.atomic
def set_availability(
    *, actor: User, participant: ForumParticipant, slots: Iterable[ForumSlot]
) -> list[ForumSlot]:
    """The slots the participant can attend (replacing the previous choice). Slots of booked
    meetings stay: the organiser moves the meeting first."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    if not forum_access.manages_participant(actor, participant):
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
def set_time_zone(
    *, actor: User, participant: ForumParticipant, time_zone: str
) -> ForumParticipant:
    if not forum_access.manages_participant(actor, participant):
        raise PermissionDenied
    participant.time_zone = _check_time_zone(time_zone)
    participant.save(update_fields=["time_zone"])
    return participant
