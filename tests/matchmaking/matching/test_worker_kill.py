"""A worker killed in the middle of a full rescore: another worker finishes it, exactly.

PostgreSQL and real Celery workers on Redis (``REQUIRE_SERVICES=1`` makes the test mandatory).
The test plays the operator: it starts worker A, holds a row lock on the later chunks so that A
finishes the first ones and then blocks inside the next two, kills A's whole process group with
SIGKILL (its two unacknowledged messages stay with the broker), and starts worker B with a
short visibility timeout (``CELERY_VISIBILITY_TIMEOUT``, read by settings), which gets those
messages back. The run must end with the same lists an uninterrupted computation gives: nothing
lost, doubled or stale.
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import connection

from matchmaking.matching import engine, tasks
from matchmaking.matching.models import (
    MatchRun,
    MatchRunChunk,
    OrganisationMatch,
    OrganisationMatchState,
    ProductMatches,
)
from products.models import Product
from tests.conftest import ROOT
from tests.matchmaking.matching.factories import (
    assert_lists_exact,
    make_bumdes,
    make_organisation,
    make_product,
    stored_organisation_lists,
    stored_product_lists,
)
from tests.workers import Worker, wait_for

pytestmark = pytest.mark.services

VISIBILITY_TIMEOUT = 5  # seconds, for the worker that takes over


def blocked_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def snapshot():
    states = sorted(
        OrganisationMatchState.objects.values_list(
            "organisation_id", "size", "complete", "last_score", "last_product", "weights_version"
        )
    )
    return stored_product_lists(), stored_organisation_lists(limit=engine.ORGANISATION_KEEP), states


def test_a_full_run_survives_a_worker_killed_midway(transactional_db, regions, private_queue):
    engine.forget_context()
    konawe, kolaka, donggala = make_bumdes("74.02"), make_bumdes("74.01"), make_bumdes("72.03")
    for n in range(48):
        make_product(
            (konawe, kolaka, donggala)[n % 3],
            hs=("030633", "030617", "151590", "030711")[n % 4],
            status="export_ready" if n % 4 else "verified",
            capacity=(None, 300, 2000, 9000)[n % 4] if n % 7 else 50 * n,
            form="live" if n % 2 else "frozen",
            readiness=(40, 70, 100)[n % 3],
        )
    for hs in (("030633",), ("0306", "15"), ("03",), ("0307", "151590")):
        make_organisation(hs=hs, min_order=1000)

    # Plan the run; its chunk tasks are held back until the later chunks are locked.
    with mock.patch.object(tasks.run_chunk, "delay") as held:
        run = tasks.start_full_run(chunk_products=4)
    chunk_ids = [call.args[0] for call in held.call_args_list]
    assert len(chunk_ids) == run.chunks_total >= 8

    log_dir = ROOT / "var"
    log_dir.mkdir(exist_ok=True)
    worker_a = Worker(private_queue, f"{private_queue}-a", log_dir / "test-worker-kill-a.log")
    worker_b = None
    import psycopg2

    db = connection.settings_dict
    locker = psycopg2.connect(
        dbname=db["NAME"],
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    try:
        worker_a.wait_ready()
        with locker.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM matchmaking_matchrunchunk WHERE id = ANY(%s) FOR UPDATE",
                [chunk_ids[2:]],
            )
        for chunk_id in chunk_ids:
            tasks.run_chunk.delay(chunk_id)

        done = MatchRunChunk.objects.filter(run=run, done_at__isnull=False)
        wait_for(lambda: done.count() >= 2, 90, "worker A to finish the first chunks")
        wait_for(lambda: blocked_backends() >= 2, 30, "worker A to block in two more chunks")
        worker_a.kill()
        locker.rollback()  # the killed worker's backends give up; nothing of theirs commits

        finished_before_kill = done.count()
        assert 1 <= finished_before_kill < run.chunks_total
        # The two messages A had taken stay unacknowledged until the visibility timeout.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        worker_b = Worker(
            private_queue,
            f"{private_queue}-b",
            log_dir / "test-worker-kill-b.log",
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        )
        worker_b.wait_ready()

        def finished():
            run.refresh_from_db()
            return run.status == MatchRun.Status.DONE

        wait_for(finished, 150, "worker B to finish the run (see var/test-worker-kill-b.log)")
    finally:
        locker.close()
        worker_a.stop()
        if worker_b is not None:
            worker_b.stop()

    chunks = list(MatchRunChunk.objects.filter(run=run))
    assert all(chunk.done_at for chunk in chunks)
    assert max(chunk.attempts for chunk in chunks) >= 2, "the interrupted chunks ran again"
    assert ProductMatches.objects.count() == Product.objects.count()
    current = dict(Product.objects.values_list("pk", "version"))
    assert all(
        current[pid] == version
        for pid, version in OrganisationMatch.objects.values_list("product_id", "product_version")
    )
    assert_lists_exact()

    # The same lists as an uninterrupted run computed in this process.
    interrupted = snapshot()
    from bumdes_export.celery import app

    app.conf.task_always_eager = True
    engine.forget_context()
    again = tasks.start_full_run(chunk_products=4)
    again.refresh_from_db()
    assert again.pk != run.pk and again.status == MatchRun.Status.DONE
    assert snapshot() == interrupted
