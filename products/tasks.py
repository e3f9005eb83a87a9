"""Background tasks of the product registry. Small, idempotent, given ids (never objects)."""

from __future__ import annotations

from celery import shared_task

from bumdes_export.core.jobs import run_job


@shared_task(acks_late=True)
def handle_lapsed_certificates() -> int:
    """Send export-ready products whose certificate lapsed back to review (periodic)."""
    from products import services

    return services.handle_lapsed_certificates()


@shared_task(acks_late=True)
def refresh_all_readiness(job_id: int) -> None:
    """Recompute every stored readiness score, e.g. after ministry staff changed the rules."""
    from bumdes_export.core.jobs import report_progress
    from products import services

    def body(job):
        def progress(done: int, total: int) -> None:
            report_progress(job, done, total=total)

        return {"products": services.refresh_all_readiness(on_progress=progress)}

    run_job(job_id, body)
