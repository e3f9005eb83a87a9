from celery import shared_task

from bumdes_export.core.jobs import report_progress, run_job
from bumdes_export.reference import services


@shared_task(acks_late=True)
def reload_reference_data(job_id: int) -> None:
    """Reload the shipped reference data as a background job (idempotent, safe to retry)."""

    def body(job):
        steps = services.load_steps()
        report_progress(job, 0, total=len(steps))
        results = {}
        for done, (name, step) in enumerate(steps, start=1):
            results[name] = step().as_dict()
            report_progress(job, done, message=name)
        return results

    run_job(job_id, body)
