"""Queueing rescores: once per product or organisation however many edits arrive.

``PendingRescore`` holds one row per thing waiting. Queueing inserts the row and sends a task
only if the row was not there yet; the task deletes the row as it starts. So a burst of edits
before a task starts runs it once, and a lone edit is sent at once (no debounce delay). Tasks
read the newest data when they run, so nothing queued is ever lost.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from matchmaking.matching.models import PendingRescore

Kind = PendingRescore.Kind
BATCH = 200


def _claim(kind: str, ids: Iterable[int]) -> list[int]:
    """Insert pending rows; returns the ids that were not pending yet."""
    ids = sorted(set(int(i) for i in ids))
    if not ids:
        return []
    already = set(
        PendingRescore.objects.filter(kind=kind, object_id__in=ids).values_list(
            "object_id", flat=True
        )
    )
    fresh = [i for i in ids if i not in already]
    try:
        with transaction.atomic():
            PendingRescore.objects.bulk_create(
                [PendingRescore(kind=kind, object_id=i) for i in fresh], ignore_conflicts=True
            )
    except IntegrityError:  # pragma: no cover - ignore_conflicts covers it on both databases
        pass
    return fresh


def products(ids: Iterable[int]) -> int:
    from matchmaking.matching import tasks

    fresh = _claim(Kind.PRODUCT, ids)
    for start in range(0, len(fresh), BATCH):
        part = fresh[start : start + BATCH]
        if len(part) == 1:
            tasks.rescore_product.delay(part[0])
        else:
            tasks.rescore_products.delay(part)
    return len(fresh)


def organisations(ids: Iterable[int]) -> int:
    from matchmaking.matching import tasks

    fresh = _claim(Kind.ORGANISATION, ids)
    for organisation_id in fresh:
        tasks.rescore_organisation.delay(organisation_id)
    return len(fresh)


def release(kind: str, ids: Iterable[int]) -> None:
    """Called by a task as it starts: edits from now on queue a new task."""
    PendingRescore.objects.filter(kind=kind, object_id__in=list(ids)).delete()
