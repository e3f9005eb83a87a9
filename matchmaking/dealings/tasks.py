"""Background tasks of the dealings. Small, idempotent."""

from __future__ import annotations

from celery import shared_task

from matchmaking.dealings import services


@shared_task(acks_late=True)
def expire_buying_requests() -> int:
    """Mark open buying requests past their date as expired (daily)."""
    return services.expire_buying_requests()
