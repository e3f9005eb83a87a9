"""Writes after a meeting: each side's record (did it take place, notes, feedback), what the
meeting led to (outcomes up to a first shipment) and follow-up tasks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from bumdes_export.reference.models import Country
from matchmaking.forums import access as forum_access
from matchmaking.forums import selectors
from matchmaking.forums.models import (
    FollowUp,
    ForumParticipant,
    Meeting,
    MeetingOutcome,
    MeetingRecord,
)
from matchmaking.forums.services.common import (
    meeting_link,
    organisers_of,
    people_of,
    save_or_refuse,
    tell,
)
from matchmaking.services import decimal_or_none


def _rating(value: int | str | None) -> int | None:
    if value is None or value == "":
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
    actor: User,
    meeting: Meeting,
    held: bool | None,
    notes: str = "",
    rating: int | str | None = None,
    comment: str = "",
    side: ForumParticipant | None = None,
) -> MeetingRecord:
    """One side says whether the meeting took place, with notes and feedback. The meeting is
    *held* as soon as one side says it was; *did not take place* when no side says so."""
    meeting = Meeting.objects.select_for_update().select_related("slot").get(pk=meeting.pk)
    side = side or forum_access.meeting_side(actor, meeting)
    if side is None or not forum_access.speaks_for_side(actor, meeting, side):
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


@transaction.atomic
def add_outcome(*, actor: User, meeting: Meeting, data: Mapping[str, Any]) -> MeetingOutcome:
    """Either side (or the organiser) records a step the meeting led to. A first shipment
    needs its volume, value in USD, destination and date."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not forum_access.records_outcomes(actor, meeting):
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
        volume_kg=decimal_or_none(data.get("volume_kg"), "volume_kg"),
        value_usd=decimal_or_none(data.get("value_usd"), "value_usd"),
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
    allowed = set(selectors.meeting_products(meeting).values_list("pk", flat=True))
    if any(p.pk not in allowed for p in products):
        errors["products"] = _("Choose products of the BUMDes in this meeting.")
    if stage == MeetingOutcome.Stage.FIRST_SHIPMENT and not products:
        errors.setdefault("products", _("Name the products shipped."))
    if errors:
        raise ValidationError(errors)
    outcome.full_clean(exclude=["meeting", "destination", "recorded_by"])
    save_or_refuse(outcome, {"stage": _("This meeting already has an outcome at this stage.")})
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
    actor: User,
    meeting: Meeting,
    title: str,
    due_on: date | None,
    owner: User | None,
    outcome: MeetingOutcome | None = None,
) -> FollowUp:
    if not forum_access.records_outcomes(actor, meeting):
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
    if errors or due_on is None or owner is None:
        raise ValidationError(errors)
    task = FollowUp.objects.create(
        meeting=meeting,
        outcome=outcome,
        title=title[:200],
        due_on=due_on,
        owner=owner,
        created_by=actor,
    )
    tell(
        [owner],
        actor=actor,
        kind="forum.follow_up",
        subject=translated(gettext_lazy("Follow-up for you: %(title)s"), title=task.title),
        template="matchmaking/forums/email/follow_up.txt",
        context={"task": task, "meeting": meeting},
        link=meeting_link(meeting),
    )
    return task


@transaction.atomic
def complete_follow_up(*, actor: User, follow_up: FollowUp, done: bool = True) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if not forum_access.may_complete_follow_up(actor, follow_up):
        raise PermissionDenied
    follow_up.done_at = timezone.now() if done else None
    follow_up.save(update_fields=["done_at"])
    return follow_up
