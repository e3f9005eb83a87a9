"""Events deals announce after a transaction commits (the dashboard listens; deals never import
it). Receivers get ids, never objects, so they can hand them straight to a Celery task."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: A step or a shipment was recorded on a deal. kwargs: ``deal_id``, ``product_id``.
deal_changed = Signal()


def announce_deal(deal_id: int, product_id: int) -> None:
    transaction.on_commit(
        lambda: deal_changed.send(sender="deals", deal_id=deal_id, product_id=product_id)
    )
