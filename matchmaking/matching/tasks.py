"""Celery tasks of the matching engine, and the one place that sends them.

Tasks are small, idempotent, given ids and acknowledged late: a worker killed midway leaves its
message unacknowledged; the broker hands it to another worker and the task runs again from the
start (each writes in one transaction, and writes are guarded by versions), so nothing is lost,
doubled or left stale.

The domain (``incremental``, ``chunks``, ``runs``) never sends a task: it returns a
``FollowUp``, and ``send`` / ``send_after_commit`` turn it into tasks. The tasks send their own
follow-ups the same way; receivers, services, commands and the demo call these too.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.signals import worker_process_init
from django.db import transaction

from bumdes_export.accounts.models import User
from matchmaking.matching import announcements, chunks, engine, incremental, queue, runs, services
from matchmaking.matching.follow_up import FollowUp
from matchmaking.matching.models import MatchRun

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 2, "max_retries": 5, "acks_late": True}
BATCH = 200  # products per rescore task


@shared_task(**RETRY)
def rescore_product(product_id: int) -> dict[str, int]:
    queue.release(queue.Kind.PRODUCT, [product_id])
    result, follow_up = incremental.rescore_products([product_id])
    send_after_commit(follow_up)
    return result


@shared_task(**RETRY)
def rescore_products(product_ids: list[int]) -> dict[str, int]:
    queue.release(queue.Kind.PRODUCT, product_ids)
    result, follow_up = incremental.rescore_products(product_ids)
    send_after_commit(follow_up)
    return result


@shared_task(**RETRY)
def rescore_organisation(organisation_id: int) -> dict[str, int]:
    queue.release(queue.Kind.ORGANISATION, [organisation_id])
    return incremental.rescore_organisation(organisation_id)


@shared_task(**RETRY)
def run_chunk(chunk_id: int) -> dict[str, int]:
    result, follow_up = runs.run_chunk(chunk_id)
    send(follow_up)
    return result


@shared_task(**RETRY)
def merge_run(run_id: int) -> dict[str, int]:
    result, follow_up = runs.merge(run_id)
    send_after_commit(follow_up)
    return result


@shared_task(acks_late=True)
def sweep_matches() -> dict[str, int]:
    """Periodic repair: re-queue whatever is missing, stale or stuck (Celery beat)."""
    report, follow_up = runs.sweep()
    send(follow_up)
    return report


@worker_process_init.connect
def _warm_up(**kwargs: Any) -> None:
    """Compile the kernel as a worker starts, so the first edit is not kept waiting."""
    engine.warm_up()


# --- sending ---------------------------------------------------------------------------------


def send(follow_up: FollowUp) -> FollowUp:
    """Send the tasks of this follow-up now; returns what was sent.

    Products and organisations already waiting for a task are not sent again (``queue``);
    products go in batches of ``BATCH``, a lone one through ``rescore_product``."""
    products = queue.claim_products(follow_up.products)
    for start in range(0, len(products), BATCH):
        part = products[start : start + BATCH]
        if len(part) == 1:
            rescore_product.delay(part[0])
        else:
            rescore_products.delay(part)
    organisations = queue.claim_organisations(follow_up.organisations)
    for organisation_id in organisations:
        rescore_organisation.delay(organisation_id)
    for chunk_id in follow_up.chunks:
        run_chunk.delay(chunk_id)
    for run_id in follow_up.merges:
        merge_run.delay(run_id)
    return FollowUp(
        products=tuple(products),
        organisations=tuple(organisations),
        chunks=follow_up.chunks,
        merges=follow_up.merges,
    )


def send_after_commit(follow_up: FollowUp) -> None:
    """Send the tasks of this follow-up once the current transaction commits (at once outside
    one); nothing when there is nothing to do, and nothing if the transaction rolls back."""
    if follow_up:
        transaction.on_commit(lambda: send(follow_up))


def start_full_run(
    *, user: User | None = None, chunk_products: int = chunks.CHUNK_PRODUCTS
) -> MatchRun:
    """Plan a full rescore and send its chunks once the plan commits; returns the run (the one
    already going, if there is one)."""
    run, follow_up = runs.start(user=user, chunk_products=chunk_products)
    send_after_commit(follow_up)
    return run


def put_weights_in_force(user: User, values: dict[str, int]) -> services.WeightsUpdate:
    """New weights and thresholds (``services.update_weights``) and, when they changed, the
    full rescore with them."""
    update = services.update_weights(user, values)
    if update.changed:
        start_full_run(user=user)
    return update


@shared_task(acks_late=True)
def announce_new_matches() -> dict[str, int]:
    """Once a day: each organisation told about the new export-ready products that match it
    well (safe to run twice: an organisation is told at most once a day, a product once)."""
    return announcements.announce_new_matches()
