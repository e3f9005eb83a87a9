"""Background work of the bulk import, and the one place that starts it.

The tasks are small, idempotent and given ids (never objects). ``start_import_job`` is how a
page, the API or the command line starts the job a large file needs (the service's
``ImportStep`` names it): the services never send tasks themselves.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.db import transaction

from bumdes_export.core.jobs import run_job, start_job
from bumdes_export.core.models import BackgroundJob
from products.access import AnyUser
from products.imports import services
from products.imports.models import ProductImport


@shared_task(acks_late=True)
def check_product_import(job_id: int, import_id: int) -> None:
    """The dry run of a large import file (``products.imports.services.check``)."""

    def body(job: BackgroundJob) -> dict[str, Any]:
        product_import = ProductImport.objects.get(pk=import_id)
        if product_import.status != ProductImport.Status.VALIDATING:
            return _summary(product_import)  # checked already: a retried task changes nothing
        return _summary(services.check(product_import, job=job))

    run_job(job_id, body)


@shared_task(acks_late=True)
def commit_product_import(job_id: int, import_id: int) -> None:
    """The commit of a large import file; the job's creator is recorded as the actor."""

    def body(job: BackgroundJob) -> dict[str, Any]:
        product_import = ProductImport.objects.get(pk=import_id)
        return _summary(services.commit(product_import, actor=job.created_by, job=job))

    run_job(job_id, body)


#: The task that runs each kind of job an ``ImportStep`` may name.
TASKS = {services.CHECK_JOB: check_product_import, services.COMMIT_JOB: commit_product_import}


def start_import_job(step: services.ImportStep, *, user: AnyUser) -> ProductImport:
    """Start the background job a step left for a large file (none: nothing to do); the job
    runs after commit, and the import records it so its page shows the progress."""
    product_import = step.product_import
    if not step.job:
        return product_import
    with transaction.atomic():
        job = start_job(
            step.job,
            TASKS[step.job],
            user=user,
            total=step.job_total,
            import_id=product_import.pk,
        )
        return services.attach_job(product_import, job)


def _summary(product_import: ProductImport) -> dict[str, Any]:
    return {
        "import": product_import.pk,
        "status": product_import.status,
        "rows": product_import.rows,
        "created": product_import.created,
        "updated": product_import.updated,
        "unchanged": product_import.unchanged,
        "rejected": product_import.rejected,
    }
