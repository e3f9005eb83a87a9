"""The dashboard's periodic task: the monthly snapshot of every province's figures."""

from __future__ import annotations

from celery import shared_task

from matchmaking.oversight import services


@shared_task(acks_late=True)
def take_target_snapshots() -> int:
    """Runs every few hours; keeps the first snapshot of each month (idempotent)."""
    return services.take_target_snapshots()
