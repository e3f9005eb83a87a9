"""Background tasks of matchmaking. Small, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def expire_buying_requests() -> int:
    """Mark open buying requests past their date as expired (daily)."""
    from matchmaking.dealings import services

    return services.expire_buying_requests()


# The matching engine's and the forums' tasks live with them; importing registers them.
from matchmaking.forums.tasks import send_meeting_reminder, send_meeting_reminders  # noqa: E402,F401
from matchmaking.matching import tasks as matching_tasks  # noqa: E402,F401
