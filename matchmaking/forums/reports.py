"""What the organiser of a forum reads about it: who can attend when, the requests the scheduler
could not place, the request matrix, the table plan and the statistics (with their deals and
shipments). Everything else about forums is read in ``selectors``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from matchmaking.deals import selectors as deal_selectors
from matchmaking.deals.models import Deal, DealStage, DealStep, Shipment
from matchmaking.forums.models import (
    ACTIVE_MEETING_STATUSES,
    Forum,
    ForumParticipant,
    ForumSlot,
    ForumTable,
    Meeting,
    MeetingOutcome,
    MeetingRequest,
    ParticipantKind,
)
from matchmaking.forums.selectors import MEETING_RELATED
from products.models import Product

#: Products a BUMDes may bring to a forum (organisers may add submitted ones at the venue).
FORUM_PRODUCT_STATUSES = (Product.Status.VERIFIED, Product.Status.EXPORT_READY)


def free_slot_counts(forum: Forum) -> dict[int, int]:
    """How many of the forum's slots each participant can attend (by participant id; a
    participant absent from the result has none)."""
    return dict(
        forum.participants.annotate(free=Count("availability"))
        .filter(free__gt=0)
        .values_list("pk", "free")
    )


def has_no_free_slot(participant: ForumParticipant) -> bool:
    """The one rule of ``without_free_slots``, for one participant."""
    return participant.forum.slots.exists() and not participant.availability.exists()


def without_free_slots(forum: Forum) -> list[ForumParticipant]:
    """Approved participants who can attend none of the forum's slots, while it has slots: the
    scheduler cannot place a meeting of theirs."""
    if not forum.slots.exists():
        return []
    return list(
        forum.participants.filter(status=ForumParticipant.Status.APPROVED)
        .annotate(free=Count("availability"))
        .filter(free=0)
        .select_related("bumdes", "organisation", "officer", "region")
        .order_by("id")
    )


def unplaced_requests(forum: Forum) -> QuerySet[MeetingRequest]:
    return (
        MeetingRequest.objects.filter(forum=forum, status=MeetingRequest.Status.ACCEPTED)
        .exclude(meeting__status__in=ACTIVE_MEETING_STATUSES)
        .select_related(
            "from_participant__bumdes",
            "from_participant__organisation",
            "from_participant__region",
            "from_participant__officer",
            "to_participant__bumdes",
            "to_participant__organisation",
            "to_participant__region",
            "to_participant__officer",
        )
        .order_by("id")
    )


@dataclass
class Matrix:
    rows: list[ForumParticipant]  # organisations
    columns: list[ForumParticipant]  # BUMDes and regional governments
    cells: dict[tuple[int, int], dict[str, Any]]


def request_matrix(forum: Forum) -> Matrix:
    """Organisations × village side: each cell the request between them (status, who asked)
    and its meeting (slot, table), if any."""
    participants = list(
        forum.participants.filter(status=ForumParticipant.Status.APPROVED).select_related(
            "bumdes", "organisation", "officer", "region"
        )
    )
    rows = [p for p in participants if p.kind == ParticipantKind.ORGANISATION]
    columns = [p for p in participants if p.kind != ParticipantKind.ORGANISATION]
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    requests = (
        MeetingRequest.objects.filter(forum=forum)
        .exclude(status=MeetingRequest.Status.CANCELLED)
        .select_related("meeting__slot", "meeting__table")
        .order_by("created_at", "id")
    )
    for request in requests:
        a, b = request.from_participant_id, request.to_participant_id
        org_first = any(r.pk == a for r in rows)
        key = (a, b) if org_first else (b, a)
        meeting = getattr(request, "meeting", None)
        if meeting is not None and meeting.status == Meeting.Status.CANCELLED:
            meeting = None
        cells[key] = {
            "request": request,
            "status": request.status,
            "label": request.get_status_display(),
            "from_row": org_first,
            "meeting": meeting,
        }
    return Matrix(rows, columns, cells)


@dataclass
class TablePlan:
    slots: list[ForumSlot]
    tables: list[ForumTable]
    cells: dict[tuple[int, int], Meeting]


def table_plan(forum: Forum) -> TablePlan:
    meetings = Meeting.objects.filter(
        forum=forum, status__in=ACTIVE_MEETING_STATUSES
    ).select_related(*MEETING_RELATED)
    return TablePlan(
        slots=list(forum.slots.all()),
        tables=list(forum.tables.all()),
        cells={(m.slot_id, m.table_id): m for m in meetings},
    )


def _outcome_rows(deals: QuerySet[Deal], shipments: list[Shipment]) -> list[dict[str, Any]]:
    """The statistics' rows as outcomes had them (kept for the API's old clients): per stage up
    to the first shipment, the deals that reached it and the volume and value their steps say;
    the first shipment's from each deal's first shipment record."""
    steps: dict[str, Any] = {
        row["stage"]: row
        for row in DealStep.objects.filter(deal__in=deals.values("pk"))
        .values("stage")
        .annotate(n=Count("id"), value=Sum("value_usd"), volume=Sum("volume_kg"))
    }
    firsts: dict[int, Shipment] = {}
    for shipment in shipments:
        firsts.setdefault(shipment.deal_id, shipment)
    first_kg = [s.volume for s in firsts.values() if s.volume_unit == Shipment.MetricUnit.KG]
    rows = []
    for stage, label in MeetingOutcome.Stage.choices:
        row = steps.get(stage, {})
        value = row.get("value") or Decimal("0")
        volume = row.get("volume") or Decimal("0")
        if stage == DealStage.FIRST_SHIPMENT:
            value = sum((s.value_usd for s in firsts.values()), Decimal("0"))
            volume = sum(first_kg, Decimal("0"))
        rows.append(
            {
                "stage": stage,
                "label": label,
                "count": row.get("n", 0),
                "value_usd": value,
                "volume_kg": volume,
            }
        )
    return rows


def forum_statistics(forum: Forum) -> dict[str, Any]:
    """Requests sent and answered, meetings held and missed, and what the meetings led to: the
    deals opened at this forum's meetings by stage, and their shipments (count, volume, value).

    ``outcomes`` keeps the rows the statistics had before deals (per stage up to the first
    shipment) for the API's old clients."""
    requests = MeetingRequest.objects.filter(forum=forum)
    by_status: dict[str, int] = dict(requests.values_list("status").annotate(n=Count("id")))
    meetings = Meeting.objects.filter(forum=forum)
    meeting_status: dict[str, int] = dict(meetings.values_list("status").annotate(n=Count("id")))
    participants: dict[str, int] = dict(
        forum.participants.values_list("status").annotate(n=Count("id"))
    )
    ratings = [
        rating
        for rating in forum.meetings.filter(records__rating__isnull=False).values_list(
            "records__rating", flat=True
        )
        if rating is not None
    ]
    deals = Deal.objects.filter(meeting__forum=forum)
    at_stage = deal_selectors.stage_counts(deals)
    reached: dict[str, int] = dict(
        DealStep.objects.filter(deal__in=deals.values("pk"))
        .values_list("stage")
        .annotate(n=Count("deal_id", distinct=True))
    )
    shipments = list(
        Shipment.objects.filter(deal__in=deals.values("pk")).order_by("deal_id", "shipped_on", "id")
    )
    return {
        "participants_approved": participants.get("approved", 0),
        "participants_pending": participants.get("pending", 0),
        "requests_sent": requests.count(),
        "requests_pending": by_status.get("pending", 0),
        "requests_accepted": by_status.get("accepted", 0),
        "requests_declined": by_status.get("declined", 0),
        "requests_cancelled": by_status.get("cancelled", 0),
        "meetings_scheduled": meeting_status.get("scheduled", 0)
        + meeting_status.get("confirmed", 0),
        "meetings_held": meeting_status.get("held", 0),
        "no_shows": meeting_status.get("no_show", 0),
        "unplaced": unplaced_requests(forum).count(),
        "average_rating": round(sum(ratings) / len(ratings), 1) if ratings else None,
        "deals_opened": sum(at_stage.values()),
        "deals": [
            {
                "stage": stage,
                "label": label,
                "count": at_stage.get(stage, 0),
                "reached": reached.get(stage, 0),
            }
            for stage, label in DealStage.choices
        ],
        "shipments": {
            "count": len(shipments),
            "volume_kg": sum(
                (s.volume for s in shipments if s.volume_unit == Shipment.MetricUnit.KG),
                Decimal("0"),
            ),
            "volume_l": sum(
                (s.volume for s in shipments if s.volume_unit == Shipment.MetricUnit.LITRE),
                Decimal("0"),
            ),
            "value_usd": sum((s.value_usd for s in shipments), Decimal("0")),
        },
        "outcomes": _outcome_rows(deals, shipments),
    }
