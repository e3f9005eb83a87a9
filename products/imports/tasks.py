"""Background tasks of the bulk import. Small, idempotent, given ids (never objects)."""

from __future__ import annotations

from celery import shared_task

from bumdes_export.core.jobs import run_job


@shared_task(acks_late=True)
def check_product_import(job_id: int, import_id: int) -> None:
    """The dry run of a large import file (``products.imports.services.check``)."""
    from products.imports import services
    from products.imports.models import ProductImport

    def body(job):
        product_import = ProductImport.objects.get(pk=import_id)
        if product_import.status != ProductImport.Status.VALIDATING:
            return _summary(product_import)  # checked already: a retried task changes nothing
        return _summary(services.check(product_import, job=job))

    run_job(job_id, body)


@shared_task(acks_late=True)
def commit_product_import(job_id: int, import_id: int) -> None:
    """The commit of a large import file; the job's creator is recorded as the actor."""
    from products.imports import services
    from products.imports.models import ProductImport

    def body(job):
        product_import = ProductImport.objects.get(pk=import_id)
        return _summary(services.commit(product_import, actor=job.created_by, job=job))

    run_job(job_id, body)


def _summary(product_import) -> dict:
    return {
        "import": product_import.pk,
        "status": product_import.status,
        "rows": product_import.rows,
        "created": product_import.created,
        "updated": product_import.updated,
        "unchanged": product_import.unchanged,
        "rejected": product_import.rejected,
    }
