"""Writes after a meeting: each side's record (did it take place, notes, feedback), what the
meeting led to (recorded into deals: ``matchmaking.deals``) and follow-up tasks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.notifications.services import translated
from matchmaking.deals import services as deal_services
from matchmaking.deals.models import (
    MANUAL_STAGES,
    SHIPMENT_STAGES,
    Deal,
    DealChannel,
    DealStage,
    DealStep,
)
from matchmaking.forums import access as forum_access
from matchmaking.forums import selectors
from matchmaking.forums.models import (
    FollowUp,
    ForumParticipant,
    Meeting,
    MeetingRecord,
)
from matchmaking.forums.services.common import (
    meeting_link,
    organisers_of,
    people_of,
    tell,
)
from products.models import Product


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
    if not meeting.has_started():
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


def _meeting_day(meeting: Meeting) -> date:
    """The day the meeting took place, in the forum's time zone."""
    return timezone.localtime(meeting.slot.starts_at, meeting.forum.tzinfo).date()


@transaction.atomic
def record_outcome(*, actor: User, meeting: Meeting, data: Mapping[str, Any]) -> DealStep:
    """Either side of a held meeting (or its organiser) records what it led to, into the deal of
    the product and the organisation at the meeting: the meeting opens the deal (at "interest",
    dated the meeting's day) unless that product and organisation already have an open one, and
    the stage is recorded on it (``matchmaking.deals.services.record_step``).

    ``data``: ``stage`` (interest, sample sent, letter of intent or MoU, contract), ``product``
    (one of ``selectors.meeting_products``; may be left out when there is only one),
    ``occurred_on``, ``note``, optional ``volume_kg``, ``value_usd`` and ``destination``.
    Shipments are recorded on the deal's page. Returns the step."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("forum", "slot", "party_a__organisation", "party_b__organisation")
        .get(pk=meeting.pk)
    )
    if not forum_access.records_outcomes(actor, meeting):
        raise PermissionDenied(_("Only the two sides of the meeting record what it led to."))
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record that the meeting took place first."))
    organisation = selectors.meeting_organisation(meeting)
    if organisation is None:
        raise ValidationError(
            _(
                "This meeting had no exporter or buyer at the table, so it cannot lead to a "
                "deal: a deal links a product and an organisation."
            )
        )
    stage = data.get("stage") or ""
    errors: dict[str, str] = {}
    if stage in SHIPMENT_STAGES:
        errors["stage"] = _(
            "Shipments are recorded as shipments, on the deal's page, with their documents."
        )
    elif stage == DealStage.LOST:
        errors["stage"] = _("Close the deal as lost on its page, with the reason.")
    elif stage not in MANUAL_STAGES:
        errors["stage"] = _("Choose the stage.")
    elif stage == DealStage.INTEREST:
        for name in ("volume_kg", "value_usd", "destination"):
            if data.get(name) not in (None, ""):
                errors[name] = _(
                    "An interest has no volume, value or destination yet: give them with the "
                    "letter of intent or the contract."
                )
    products = selectors.meeting_products(meeting)
    product = data.get("product")
    if product is None:
        only = list(products[:2])
        if len(only) == 1:
            product = only[0]
        else:
            errors["product"] = _("Choose the product.")
    elif not isinstance(product, Product) or not products.filter(pk=product.pk).exists():
        errors["product"] = _("Choose a product of the BUMDes in this meeting.")
    if errors or product is None:
        raise ValidationError(errors)
    opening = deal_services.open_deal(
        actor=actor,
        product=product,
        organisation=organisation,
        channel=DealChannel.FORUM_MEETING,
        origin=meeting,
        occurred_on=data.get("occurred_on")
        if stage == DealStage.INTEREST
        else _meeting_day(meeting),
        note=(data.get("note") or "") if stage == DealStage.INTEREST else "",
    )
    if opening.created and stage == DealStage.INTEREST:
        return opening.deal.steps.get(stage=DealStage.INTEREST)
    return deal_services.record_step(actor=actor, deal=opening.deal, data=data)


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
    deal: Deal | None = None,
) -> FollowUp:
    """Either side (or the organiser) gives someone of either side, or an organiser, a task,
    optionally about one of the meeting's deals (``selectors.meeting_deals``)."""
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
    if deal is not None and not selectors.meeting_deals(meeting).filter(pk=deal.pk).exists():
        errors["deal"] = _("Choose a deal of this meeting.")
    if errors or due_on is None or owner is None:
        raise ValidationError(errors)
    task = FollowUp.objects.create(
        meeting=meeting,
        deal=deal,
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
