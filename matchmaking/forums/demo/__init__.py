"""The demo forums, placed relative to the day the demo is loaded so that the story works on
any date.

- ``held``: "Forum BUMDes Ekspor" in Kendari, 45 days back, over, with its meetings held, its
  outcomes recorded and the crab deal it opened shipped twice to Hong Kong.
- ``upcoming``: "Temu Bisnis Ekspor BUMDes Sulawesi" in Makassar, 21 days ahead, registration
  open, requests accepted and waiting, the scheduler not yet run.

A later ``load_demo_data`` rolls both forward by the days that passed (``roll_forward``); the
deals the forum that is over opened (their steps, shipments and follow-ups) move with it.
Runs after the products, exporters and matchmaking demos and does nothing without them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from matchmaking.deals import events
from matchmaking.deals.models import Deal, DealStep, Shipment
from matchmaking.forums.demo import held, upcoming
from matchmaking.forums.demo.held import FORUM_NAME
from matchmaking.forums.demo.upcoming import UPCOMING_NAME
from matchmaking.forums.models import FollowUp, Forum, ForumSlot

#: Days from the day the demo is loaded to the first day of each demo forum.
PAST_OFFSET = -45
AHEAD_OFFSET = 21


@transaction.atomic
def load() -> list[tuple[str, str]]:
    """Both forums, made once; moved forward on every later load."""
    today = timezone.localdate()
    made = Forum.objects.filter(name=FORUM_NAME).exists()
    if not made and not held.load(today + timedelta(days=PAST_OFFSET)):
        return []
    if not Forum.objects.filter(name=UPCOMING_NAME).exists():
        upcoming.load(today + timedelta(days=AHEAD_OFFSET))
    roll_forward(today)
    return []


def roll_forward(today: date | None = None) -> dict[str, int]:
    """Move the demo forums forward by the days since they were placed, so that the one that is
    over starts ``PAST_OFFSET`` days from ``today`` and the coming one ``AHEAD_OFFSET`` days.
    Never backwards. Returns the days each moved."""
    today = today or timezone.localdate()
    moved = {}
    for name, offset in ((FORUM_NAME, PAST_OFFSET), (UPCOMING_NAME, AHEAD_OFFSET)):
        forum = Forum.objects.filter(name=name).first()
        days = (today + timedelta(days=offset) - forum.starts_on).days if forum else 0
        if forum is not None and days > 0:
            _shift(forum, timedelta(days=days))
        moved[name] = max(days, 0)
    return moved


def _shift(forum: Forum, delta: timedelta) -> None:
    """Everything of ``forum`` that has a date, ``delta`` later (its meetings follow its slots),
    and the steps, shipments and follow-ups of the deals its meetings opened. One update per
    table: the forum's own rules refuse to move a forum that has started, which is exactly what
    the demo does here; the deals' events tell the dashboard."""
    Forum.objects.filter(pk=forum.pk).update(
        starts_on=F("starts_on") + delta,
        ends_on=F("ends_on") + delta,
        registration_opens=F("registration_opens") + delta,
        registration_closes=F("registration_closes") + delta,
    )
    ForumSlot.objects.filter(forum=forum).update(
        starts_at=F("starts_at") + delta, ends_at=F("ends_at") + delta
    )
    FollowUp.objects.filter(meeting__forum=forum).update(due_on=F("due_on") + delta)
    opened = Deal.objects.filter(meeting__forum=forum)
    DealStep.objects.filter(deal__in=opened).update(occurred_on=F("occurred_on") + delta)
    # Each was on or before the day it was recorded, so it stays on or before today.
    Shipment.objects.filter(deal__in=opened).update(shipped_on=F("shipped_on") + delta)
    for deal_id, product_id in opened.values_list("pk", "product_id"):
        events.announce_deal(deal_id, product_id)


__all__ = ["load", "roll_forward", "FORUM_NAME", "UPCOMING_NAME", "PAST_OFFSET", "AHEAD_OFFSET"]
