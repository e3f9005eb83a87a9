"""Celery tasks of the matching engine: small, idempotent, given ids, acknowledged late.

A worker killed midway leaves its message unacknowledged; the broker hands it to another worker
and the task runs again from the start (each writes in one transaction, and writes are
guarded by versions), so nothing is lost, doubled or left stale.
"""

from __future__ import annotations

from celery import shared_task
from celery.signals import worker_process_init

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 2, "max_retries": 5, "acks_late": True}


@shared_task(**RETRY)
def rescore_product(product_id: int) -> dict:
    from matchmaking.matching import engine, queue

    queue.release(queue.Kind.PRODUCT, [product_id])
    return engine.rescore_products([product_id])


@shared_task(**RETRY)
def rescore_products(product_ids: list[int]) -> dict:
    from matchmaking.matching import engine, queue

    queue.release(queue.Kind.PRODUCT, product_ids)
    return engine.rescore_products(product_ids)


@shared_task(**RETRY)
def rescore_organisation(organisation_id: int) -> dict:
    from matchmaking.matching import engine, queue

    queue.release(queue.Kind.ORGANISATION, [organisation_id])
    return engine.rescore_organisation(organisation_id)


@shared_task(**RETRY)
def run_chunk(chunk_id: int) -> dict:
    from matchmaking.matching import runs

    return runs.run_chunk(chunk_id)


@shared_task(**RETRY)
def merge_run(run_id: int) -> dict:
    from matchmaking.matching import runs

    return runs.merge(run_id)


@shared_task(acks_late=True)
def sweep_matches() -> dict:
    """Periodic repair: re-queue whatever is missing, stale or stuck (Celery beat)."""
    from matchmaking.matching import runs

    return runs.sweep()


@worker_process_init.connect
def _warm_up(**kwargs) -> None:
    """Compile the kernel as a worker starts, so the first edit is not kept waiting."""
    from matchmaking.matching import engine

    engine.warm_up()
