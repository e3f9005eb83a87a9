"""Full rescores fanned out over the workers, and the periodic sweep that repairs the rest.

A run is planned as chunks (one HS chapter, an id range of at most ``CHUNK_PRODUCTS``
products), one task each; any number of workers on any number of machines take them from the
broker. Each chunk writes its products' lists and its partial organisation lists in one
transaction; the last chunk to finish sends the merge, which builds the organisation lists under
a lock on the run row (a duplicate merge waits, then finds the run done).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from bumdes_export.core.models import BackgroundJob
from matchmaking.matching import engine
from matchmaking.matching.models import MatchRun, MatchRunChunk

ACTIVE = (MatchRun.Status.RUNNING, MatchRun.Status.MERGING)
STUCK_AFTER = timedelta(minutes=15)  # a chunk not finished this long after it was sent or tried
GIVE_UP_AFTER = timedelta(hours=3)  # a run still open this long is failed (a fresh one follows)
MAX_ATTEMPTS = 5  # a chunk tried this often without finishing fails its run


def active_run() -> MatchRun | None:
    return MatchRun.objects.filter(status__in=ACTIVE).order_by("-pk").first()


def start(*, user=None, chunk_products: int = engine.CHUNK_PRODUCTS) -> MatchRun:
    """Plan a full rescore and send its chunks; returns the run already going if there is one."""
    from matchmaking.matching import tasks

    with transaction.atomic():
        running = active_run()
        if running:
            return running
        weights = engine.current_weights_row()
        plan = engine.plan_chunks(chunk_products)
        job = BackgroundJob.objects.create(
            kind="rescore_matches",
            status=BackgroundJob.Status.RUNNING,
            total=len(plan),
            created_by=user,
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        run = MatchRun.objects.create(
            weights_version=weights.pk,
            chunks_total=len(plan),
            products=sum(part[3] for part in plan),
            job=job,
            started_by=user,
        )
        chunks = MatchRunChunk.objects.bulk_create(
            [
                MatchRunChunk(
                    run=run, number=n, chapter=chapter, first_product=first, last_product=last
                )
                for n, (chapter, first, last, _count) in enumerate(plan)
            ]
        )
        chunk_ids = (
            [chunk.pk for chunk in chunks]
            if chunks and chunks[0].pk
            else list(
                MatchRunChunk.objects.filter(run=run)
                .order_by("number")
                .values_list("pk", flat=True)
            )
        )

        def send() -> None:
            for chunk_id in chunk_ids:
                tasks.run_chunk.delay(chunk_id)
            if not chunk_ids:
                tasks.merge_run.delay(run.pk)

        transaction.on_commit(send)
    return run


def run_chunk(chunk_id: int) -> dict:
    from matchmaking.matching import tasks

    result = engine.run_chunk(chunk_id)
    chunk = MatchRunChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None:
        return result
    run = chunk.run
    done = MatchRunChunk.objects.filter(run=run, done_at__isnull=False).count()
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(
            progress=min(done, run.chunks_total), heartbeat_at=timezone.now()
        )
    if done >= run.chunks_total and run.status == MatchRun.Status.RUNNING:
        tasks.merge_run.delay(run.pk)
    return result


def merge(run_id: int) -> dict:
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE:
            return {"skipped": 1}
        if MatchRunChunk.objects.filter(run=run, done_at__isnull=True).exists():
            return {"waiting": 1}
        result = engine.merge_run(run)
        if run.job_id:
            BackgroundJob.objects.filter(pk=run.job_id).update(
                status=BackgroundJob.Status.DONE,
                progress=run.chunks_total,
                finished_at=timezone.now(),
                result=result,
            )
    return result


def fail(run: MatchRun, message: str) -> None:
    """Close a run that cannot finish, so that a fresh one can start."""
    MatchRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        status=MatchRun.Status.FAILED, finished_at=timezone.now()
    )
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).exclude(
            status=BackgroundJob.Status.DONE
        ).update(status=BackgroundJob.Status.FAILED, message=message, finished_at=timezone.now())


def progress(run: MatchRun) -> dict:
    done = MatchRunChunk.objects.filter(run=run, done_at__isnull=False).count()
    return {"chunks_done": done, "chunks_total": run.chunks_total, "status": run.status}


def sweep(*, limit: int = 20_000) -> dict:
    """Re-queue what is missing, stale or stuck. Safe to run at any time, as often as wanted."""
    from exporters.models import Organisation
    from matchmaking.matching import queue, tasks
    from matchmaking.matching.features import MATCHED_KINDS
    from matchmaking.matching.models import ExporterMatchState, PendingRescore, ProductMatches
    from products.models import Product

    now = timezone.now()
    report = {
        "runs_resent": 0,
        "runs_given_up": 0,
        "full_run": 0,
        "products": 0,
        "organisations": 0,
        "pending": 0,
    }
    run = active_run()
    if run and (
        run.started_at < now - GIVE_UP_AFTER
        or MatchRunChunk.objects.filter(
            run=run, done_at__isnull=True, attempts__gte=MAX_ATTEMPTS
        ).exists()
    ):
        fail(run, "gave up: a chunk kept failing or the run took too long")
        report["runs_given_up"] = 1
        run = None
    if run and run.started_at < now - STUCK_AFTER:
        # Only chunks nobody has tried for a while: a long run's chunks still queued behind
        # others are not sent twice.
        open_chunks = list(
            MatchRunChunk.objects.filter(run=run, done_at__isnull=True)
            .filter(Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - STUCK_AFTER))
            .values_list("pk", flat=True)
        )
        for chunk_id in open_chunks:
            tasks.run_chunk.delay(chunk_id)
        if not MatchRunChunk.objects.filter(run=run, done_at__isnull=True).exists():
            tasks.merge_run.delay(run.pk)
        report["runs_resent"] = len(open_chunks)
    weights = engine.current_weights_row()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    outdated = ProductMatches.objects.filter(
        Q(weights_version__lt=weights.pk) | Q(computed_at__lt=month_start)
    ).exists()
    if not run and outdated:
        start()
        report["full_run"] = 1
        return report
    if run:
        return report
    missing = list(
        Product.objects.filter(
            ~Exists(
                ProductMatches.objects.filter(
                    product_id=OuterRef("pk"), product_version=OuterRef("version")
                )
            )
        ).values_list("pk", flat=True)[:limit]
    )
    report["products"] = queue.products(missing)
    eligible = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=MATCHED_KINDS
    )
    stale_orgs = list(
        eligible.filter(
            ~Exists(
                ExporterMatchState.objects.filter(
                    organisation_id=OuterRef("pk"),
                    organisation_version=OuterRef("version"),
                    weights_version=weights.pk,
                )
            )
        ).values_list("pk", flat=True)[:limit]
    )
    gone = list(
        ExporterMatchState.objects.exclude(organisation__in=eligible).values_list("pk", flat=True)
    )
    report["organisations"] = queue.organisations(stale_orgs + gone)
    # Pending rows whose task never ran (a lost message): send them again.
    old = PendingRescore.objects.filter(queued_at__lt=now - timedelta(minutes=10))
    for kind, ids in (
        (
            PendingRescore.Kind.PRODUCT,
            list(old.filter(kind="product").values_list("object_id", flat=True)),
        ),
        (
            PendingRescore.Kind.ORGANISATION,
            list(old.filter(kind="organisation").values_list("object_id", flat=True)),
        ),
    ):
        if ids:
            queue.release(kind, ids)
            (queue.products if kind == PendingRescore.Kind.PRODUCT else queue.organisations)(ids)
            report["pending"] += len(ids)
    return report
