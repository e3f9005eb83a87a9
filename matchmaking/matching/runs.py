"""Full rescores fanned out over the workers, and the periodic sweep that repairs the rest.

A run is planned as chunks (``chunks.plan_chunks``: one HS chapter, an id range of at most
``CHUNK_PRODUCTS`` products), one task each; any number of workers on any number of machines
take them from the broker. Each chunk writes its products' lists and its partial organisation
lists in one transaction; the last chunk to finish asks for the merge, which builds the
organisation lists under a lock on the run row (a duplicate merge waits, then finds the run
done).

Nothing here sends a task: each function returns its ``FollowUp`` (the chunks to send, the run
to merge, the ids to rescore) and ``matching.tasks`` sends it.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from bumdes_export.accounts.models import User
from bumdes_export.core.models import BackgroundJob
from bumdes_export.notifications.services import notify
from exporters.models import Organisation
from matchmaking.matching import chunks, engine, queue
from matchmaking.matching.features import MATCHED_KINDS
from matchmaking.matching.follow_up import NOTHING, FollowUp
from matchmaking.matching.models import (
    MatchRun,
    MatchRunChunk,
    OrganisationMatchState,
    PendingRescore,
    ProductMatches,
)
from products.models import Product

ACTIVE = (MatchRun.Status.RUNNING, MatchRun.Status.MERGING)
STUCK_AFTER = timedelta(minutes=15)  # a chunk not finished this long after it was sent or tried
GIVE_UP_AFTER = timedelta(hours=3)  # a run still open this long is failed (a fresh one follows)
MAX_ATTEMPTS = 5  # a chunk tried this often without finishing fails its run
LOST_AFTER = timedelta(minutes=10)  # a pending rescore whose task never started (lost message)


def active_run() -> MatchRun | None:
    return MatchRun.objects.filter(status__in=ACTIVE).order_by("-pk").first()


def start(
    *, user: User | None = None, chunk_products: int = chunks.CHUNK_PRODUCTS
) -> tuple[MatchRun, FollowUp]:
    """Plan a full rescore; returns the run and its chunks to send once the plan commits (or
    the run already going, and nothing to send, if there is one)."""
    with transaction.atomic():
        running = active_run()
        if running:
            return running, NOTHING
        weights = engine.get_or_create_current_weights()
        plan = chunks.plan_chunks(chunk_products)
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
        created = MatchRunChunk.objects.bulk_create(
            [
                MatchRunChunk(
                    run=run, number=n, chapter=chapter, first_product=first, last_product=last
                )
                for n, (chapter, first, last, _count) in enumerate(plan)
            ]
        )
        chunk_ids = (
            [chunk.pk for chunk in created]
            if created and created[0].pk
            else list(
                MatchRunChunk.objects.filter(run=run)
                .order_by("number")
                .values_list("pk", flat=True)
            )
        )
    # A run without products has nothing to score: it is merged at once.
    if not chunk_ids:
        return run, FollowUp(merges=(run.pk,))
    return run, FollowUp(chunks=tuple(chunk_ids))


def run_chunk(chunk_id: int) -> tuple[dict[str, int], FollowUp]:
    """Score one chunk and count it on the run's job; the last chunk done asks for the merge."""
    result = chunks.run_chunk(chunk_id)
    chunk = MatchRunChunk.objects.select_related("run").filter(pk=chunk_id).first()
    if chunk is None:
        return result, NOTHING
    run = chunk.run
    done = MatchRunChunk.objects.filter(run=run, done_at__isnull=False).count()
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).update(
            progress=min(done, run.chunks_total), heartbeat_at=timezone.now()
        )
    if done >= run.chunks_total and run.status == MatchRun.Status.RUNNING:
        return result, FollowUp(merges=(run.pk,))
    return result, NOTHING


def merge(run_id: int) -> tuple[dict[str, int], FollowUp]:
    """Merge a run whose chunks are all done, under a lock on the run row, and close its job.

    Returns the counts and what changed during the run, to rescore once the merge commits."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status not in ACTIVE:
            return {"skipped": 1}, NOTHING
        if MatchRunChunk.objects.filter(run=run, done_at__isnull=True).exists():
            return {"waiting": 1}, NOTHING
        result, follow_up = chunks.merge_run(run)
        if run.job_id:
            BackgroundJob.objects.filter(pk=run.job_id).update(
                status=BackgroundJob.Status.DONE,
                progress=run.chunks_total,
                finished_at=timezone.now(),
                result=result,
            )
        _tell_starter(run, done=True)
    return result, follow_up


def fail(run: MatchRun, message: str) -> None:
    """Close a run that cannot finish, so that a fresh one can start."""
    closed = MatchRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        status=MatchRun.Status.FAILED, finished_at=timezone.now()
    )
    if closed:  # once, though a run may be failed from more than one place
        _tell_starter(run, done=False, message=message)
    if run.job_id:
        BackgroundJob.objects.filter(pk=run.job_id).exclude(
            status=BackgroundJob.Status.DONE
        ).update(status=BackgroundJob.Status.FAILED, message=message, finished_at=timezone.now())


def _tell_starter(run: MatchRun, *, done: bool, message: str = "") -> None:
    """Tell whoever started a full rescore that it finished or failed."""
    if run.started_by is None:
        return
    notify(
        run.started_by,
        kind="rescore.done" if done else "rescore.failed",
        subject=gettext_lazy("Full rescore done") if done else gettext_lazy("Full rescore failed"),
        template="matchmaking/email/rescore_finished.txt",
        context={"run": run, "done": done, "message": message},
        link=reverse("matching:gaps") + "#rescore",
    )


def progress(run: MatchRun) -> dict[str, int | str]:
    done = MatchRunChunk.objects.filter(run=run, done_at__isnull=False).count()
    return {"chunks_done": done, "chunks_total": run.chunks_total, "status": run.status}


def sweep(*, limit: int = 20_000) -> tuple[dict[str, int], FollowUp]:
    """Find what is missing, stale or stuck, and return it to be queued again. Safe to run at
    any time, as often as wanted.

    The report counts what the follow-up will queue afresh: products and organisations not
    waiting for a task yet, and pending rescores whose task was lost (released here, so that
    they are sent again)."""
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
    follow_up = NOTHING
    if run and run.started_at < now - STUCK_AFTER:
        # Only chunks nobody has tried for a while: a long run's chunks still queued behind
        # others are not sent twice.
        open_chunks = list(
            MatchRunChunk.objects.filter(run=run, done_at__isnull=True)
            .filter(Q(attempted_at__isnull=True) | Q(attempted_at__lt=now - STUCK_AFTER))
            .values_list("pk", flat=True)
        )
        follow_up = FollowUp(chunks=tuple(open_chunks))
        if not MatchRunChunk.objects.filter(run=run, done_at__isnull=True).exists():
            follow_up |= FollowUp(merges=(run.pk,))
        report["runs_resent"] = len(open_chunks)
    weights = engine.get_or_create_current_weights()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    outdated = ProductMatches.objects.filter(
        Q(weights_version__lt=weights.pk) | Q(computed_at__lt=month_start)
    ).exists()
    if not run and outdated:
        _run, full_run = start()
        report["full_run"] = 1
        return report, follow_up | full_run
    if run:
        return report, follow_up
    missing = list(
        Product.objects.filter(
            ~Exists(
                ProductMatches.objects.filter(
                    product_id=OuterRef("pk"), product_version=OuterRef("version")
                )
            )
        ).values_list("pk", flat=True)[:limit]
    )
    eligible = Organisation.objects.filter(
        status=Organisation.Status.VERIFIED, kind__in=MATCHED_KINDS
    )
    stale_orgs = list(
        eligible.filter(
            ~Exists(
                OrganisationMatchState.objects.filter(
                    organisation_id=OuterRef("pk"),
                    organisation_version=OuterRef("version"),
                    weights_version=weights.pk,
                )
            )
        ).values_list("pk", flat=True)[:limit]
    )
    gone = list(
        OrganisationMatchState.objects.exclude(organisation__in=eligible).values_list(
            "pk", flat=True
        )
    )
    organisations = set(stale_orgs + gone)
    report["products"] = len(set(missing) - queue.waiting(queue.Kind.PRODUCT, missing))
    report["organisations"] = len(
        organisations - queue.waiting(queue.Kind.ORGANISATION, organisations)
    )
    # Pending rows whose task never ran (a lost message): released, to be sent again.
    old = PendingRescore.objects.filter(queued_at__lt=now - LOST_AFTER)
    lost_products = list(old.filter(kind=queue.Kind.PRODUCT).values_list("object_id", flat=True))
    lost_organisations = list(
        old.filter(kind=queue.Kind.ORGANISATION).values_list("object_id", flat=True)
    )
    for kind, ids in (
        (queue.Kind.PRODUCT, lost_products),
        (queue.Kind.ORGANISATION, lost_organisations),
    ):
        if ids:
            queue.release(kind, ids)
            report["pending"] += len(ids)
    return report, FollowUp(
        products=tuple(sorted(set(missing) | set(lost_products))),
        organisations=tuple(sorted(organisations | set(lost_organisations))),
    )
