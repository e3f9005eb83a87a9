"""Long jobs that never block a page.

With a broker the job's Celery task goes to the workers. In the embedded mode (no broker, Celery
eager) it runs in a daemon thread of the web process instead, so the request returns at once and
the page polls the job's progress either way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from bumdes_export.celery import app
from bumdes_export.core.models import BackgroundJob


def start_job(kind: str, task, *, user=None, total: int = 0, **kwargs) -> BackgroundJob:
    """Create a job and run ``task(job_id, **kwargs)`` in the background after commit."""
    job = BackgroundJob.objects.create(
        kind=kind, created_by=user if user and user.is_authenticated else None, total=total
    )

    def enqueue() -> None:
        if not tasks_in_process():
            task.delay(job.pk, **kwargs)
        elif getattr(settings, "BACKGROUND_JOBS_IN_THREAD", True) and not _sqlite_memory():
            threading.Thread(
                target=_run_in_thread, args=(task, job.pk, kwargs), daemon=True
            ).start()
        else:
            task.apply(args=(job.pk,), kwargs=kwargs)

    transaction.on_commit(enqueue)
    return job


def tasks_in_process() -> bool:
    """True in the embedded mode, where no broker is configured and Celery runs tasks eagerly."""
    return bool(app.conf.task_always_eager)


def _sqlite_memory() -> bool:
    # An in-memory test database is not visible from another thread's connection.
    name = str(connection.settings_dict.get("NAME", ""))
    return connection.vendor == "sqlite" and ("memory" in name or name == "")


def _run_in_thread(task, job_id: int, kwargs: dict) -> None:
    try:
        task.apply(args=(job_id,), kwargs=kwargs)
    finally:
        close_old_connections()
        connection.close()


def run_job(job_id: int, body: Callable[[BackgroundJob], dict]) -> None:
    """Run ``body`` for a job, recording start, result or failure. Safe to call twice."""
    job = BackgroundJob.objects.get(pk=job_id)
    if job.finished:
        return
    now = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.RUNNING, started_at=now, heartbeat_at=now
    )
    job.refresh_from_db()
    try:
        result = body(job)
    except Exception as exc:
        BackgroundJob.objects.filter(pk=job_id).update(
            status=BackgroundJob.Status.FAILED, message=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    BackgroundJob.objects.filter(pk=job_id).update(
        status=BackgroundJob.Status.DONE,
        result=result or {},
        progress=job.total,
        finished_at=timezone.now(),
    )


def report_progress(
    job: BackgroundJob, progress: int, *, total: int | None = None, message: str = ""
) -> None:
    fields = {"progress": progress, "heartbeat_at": timezone.now()}
    if total is not None:
        fields["total"] = job.total = total
    if message:
        fields["message"] = message
    fields["progress"] = min(progress, job.total) if job.total else progress
    BackgroundJob.objects.filter(pk=job.pk).update(**fields)
