"""The notifications' periodic task: the daily digest."""

from __future__ import annotations

from celery import shared_task

from bumdes_export.notifications import services


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    """Once a day: each user's notifications waiting for his digest, in one email."""
    return services.send_digests()
