"""Queueing rescores: once per product or organisation however many edits arrive.

``PendingRescore`` holds one row per thing waiting. Claiming inserts the rows and returns the
ids that were not waiting yet; ``matching.tasks.send`` sends tasks for those only, and the task
releases its rows as it starts. So a burst of edits before a task starts runs it once, and a
lone edit is sent at once (no debounce delay). Tasks read the newest data when they run, so
nothing queued is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from matchmaking.matching.models import PendingRescore

Kind = PendingRescore.Kind


def waiting(kind: str, ids: Iterable[int]) -> set[int]:
    """Those of these ids that already wait for a task."""
    return set(
        PendingRescore.objects.filter(kind=kind, object_id__in=list(ids)).values_list(
            "object_id", flat=True
        )
    )


def _claim(kind: str, ids: Iterable[int]) -> list[int]:
    """Insert pending rows; returns the ids that were not pending yet (ascending)."""
    wanted = sorted(set(int(i) for i in ids))
    if not wanted:
        return []
    already = waiting(kind, wanted)
    fresh = [i for i in wanted if i not in already]
    try:
        with transaction.atomic():
            PendingRescore.objects.bulk_create(
                [PendingRescore(kind=kind, object_id=i) for i in fresh], ignore_conflicts=True
            )
    except IntegrityError:  # pragma: no cover - ignore_conflicts covers it on both databases
        pass
    return fresh


def claim_products(ids: Iterable[int]) -> list[int]:
    """Mark these products as waiting for a rescore; returns those that were not waiting yet."""
    return _claim(Kind.PRODUCT, ids)


def claim_organisations(ids: Iterable[int]) -> list[int]:
    """Mark these organisations as waiting for a rescore; returns those not waiting yet."""
    return _claim(Kind.ORGANISATION, ids)


def release(kind: str, ids: Iterable[int]) -> None:
    """Called by a task as it starts: edits from now on queue a new task."""
    PendingRescore.objects.filter(kind=kind, object_id__in=list(ids)).delete()
