"""Background tasks of the product registry, and the one place that starts them.

Small, idempotent, given ids (never objects). ``start_readiness_refresh`` is how the admin starts
the recompute of every stored score after ministry staff changed the readiness rules; the
services never send tasks themselves.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from bumdes_export.core.jobs import report_progress, run_job, start_job
from bumdes_export.core.models import BackgroundJob
from products import services
from products.access import AnyUser

#: The kind of the job that recomputes every stored readiness score (``BackgroundJob.kind``).
READINESS_JOB = "products.readiness"


@shared_task(acks_late=True)
def remind_expiring_certificates() -> int:
    """Daily: reminders 60, 30 and 7 days before a certificate expires (once each)."""
    return services.remind_expiring_certificates()


@shared_task(acks_late=True)
def handle_lapsed_certificates() -> int:
    """Send export-ready products whose certificate lapsed back to review (periodic)."""
    return services.handle_lapsed_certificates()


@shared_task(acks_late=True)
def refresh_all_readiness(job_id: int) -> None:
    """Recompute every stored readiness score after ministry staff changed the rules or the
    specification templates; the people of the products whose score moved are told (a retry
    finds the scores stored and tells nobody twice)."""

    def body(job: BackgroundJob) -> dict[str, Any]:
        def progress(done: int, total: int) -> None:
            report_progress(job, done, total=total)

        rules = services.rules_in_force_codes()
        count = services.refresh_all_readiness(on_progress=progress, tell=True)
        return {"products": count, "rules": rules}

    run_job(job_id, body)


@shared_task(acks_late=True)
def refresh_readiness_when_rules_start_or_end() -> bool:
    """Periodic: when a rule's validity has started or ended since the last recompute (the
    rules in force differ from those the last one used), recompute every score; also once
    where no recompute ever recorded its rules (after an upgrade brought new rules). Returns
    whether it started one."""
    if not services.readiness_recompute_due(READINESS_JOB):
        return False
    start_readiness_refresh(user=None)
    return True


def start_readiness_refresh(*, user: AnyUser | None) -> BackgroundJob:
    """Recompute every stored score in the background (after commit)."""
    return start_job(READINESS_JOB, refresh_all_readiness, user=user)
