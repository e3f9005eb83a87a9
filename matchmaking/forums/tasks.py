"""The forum package's dispatch: its Celery tasks (meeting reminders the day before). Small,
idempotent, by id. Tasks call the services; the services never send tasks."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from matchmaking.forums import services as forum_services


@shared_task(acks_late=True)
def send_meeting_reminders() -> int:
    """Find the meetings starting within a day that were not reminded of yet and enqueue one
    reminder each (hourly from beat). Returns how many were enqueued."""
    due = forum_services.due_reminders()
    for meeting_id in due:
        # After commit: a worker must see the same rows this run saw.
        transaction.on_commit(lambda pk=meeting_id: send_meeting_reminder.delay(pk))
    return len(due)


@shared_task(acks_late=True)
def send_meeting_reminder(meeting_id: int) -> int:
    """Remind both sides of one meeting; a second run (a retry, a second worker) does nothing,
    because the sent-at marker is set under a row lock."""
    return forum_services.send_reminder(meeting_id)
