"""Background jobs: progress, results, failures, and stale jobs abandoned by a dead runner."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from celery import shared_task
from django.utils import timezone

from bumdes_export.core.jobs import report_progress, run_job, start_job
from bumdes_export.core.models import BackgroundJob
from bumdes_export.core.tasks import expire_stale_jobs
from tests.conftest import ROOT


@shared_task
def count_to(job_id: int, n: int) -> None:
    def body(job):
        report_progress(job, 0, total=n)
        for i in range(1, n + 1):
            report_progress(job, i)
        return {"counted": n}

    run_job(job_id, body)


@shared_task
def explode(job_id: int) -> None:
    def body(job):
        raise ValueError("the file has no header row")

    run_job(job_id, body)


@pytest.mark.django_db
def test_a_job_runs_after_commit_and_records_its_result(
    ministry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job("test.count", count_to, user=ministry, n=3)
        assert BackgroundJob.objects.get(pk=job.pk).status == "pending"
    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.percent) == ("done", 3, 3, 100)
    assert job.result == {"counted": 3}
    assert job.created_by == ministry


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_with_its_reason(django_capture_on_commit_callbacks):
    with pytest.raises(ValueError), django_capture_on_commit_callbacks(execute=True):
        job = start_job("test.explode", explode)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "no header row" in job.message


@pytest.mark.django_db
def test_running_a_finished_job_again_changes_nothing():
    job = BackgroundJob.objects.create(kind="x", status="done", result={"a": 1})
    count_to.apply(args=(job.pk, 5))
    job.refresh_from_db()
    assert job.result == {"a": 1}


@pytest.mark.django_db
def test_jobs_without_a_heartbeat_for_two_hours_are_abandoned():
    old = timezone.now() - timedelta(hours=3)
    stale = BackgroundJob.objects.create(kind="x", status="running")
    alive = BackgroundJob.objects.create(kind="x", status="running")
    BackgroundJob.objects.filter(pk__in=[stale.pk, alive.pk]).update(created_at=old)
    BackgroundJob.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())

    assert expire_stale_jobs() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == "failed" and alive.status == "running"


def test_the_embedded_scheduler_runs_every_periodic_job(tmp_path):
    """In a fresh process, as `make run` starts it: every task must be found and run."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env["VAR_DIR"] = str(tmp_path)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=120)
    result = subprocess.run(
        [*manage, "run_scheduler", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "clear-expired-sessions -> 0" in result.stdout
    assert "expire-stale-jobs -> 0" in result.stdout
    assert "failed" not in result.stdout + result.stderr
