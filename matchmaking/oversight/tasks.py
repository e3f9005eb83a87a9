"""The dashboard's tasks and their dispatch: counting regions again (``tallies``) and the monthly
snapshot of every province's figures. Tasks take region codes, are idempotent and retry-safe."""

from __future__ import annotations

from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from matchmaking.oversight import services, tallies


@shared_task(acks_late=True)
def take_target_snapshots() -> int:
    """Runs every few hours; keeps the first snapshot of each month (idempotent)."""
    return services.take_target_snapshots()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_regencies(codes: list[str]) -> list[str]:
    """Count these regencies (and their provinces and the country) again."""
    return tallies.refresh(codes)


@shared_task(acks_late=True)
def refresh_all_tallies() -> int:
    """Every hour: count every region again."""
    return tallies.refresh_all()


def send_refresh(codes: Iterable[str]) -> None:
    """Count these regencies again, now (in a worker)."""
    codes = sorted(set(codes))
    if codes:
        refresh_regencies.delay(codes)


def refresh_after_commit(codes: Iterable[str]) -> None:
    """Count these regencies again once the current transaction commits."""
    codes = sorted(set(codes))
    if codes:
        transaction.on_commit(lambda: send_refresh(codes))
