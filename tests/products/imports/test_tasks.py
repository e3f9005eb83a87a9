"""Large files: checked and imported by background jobs (``products.imports.tasks``)."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bumdes_export.core.models import BackgroundJob
from products.imports import services, tasks
from products.imports.models import ProductImport
from products.models import HistoryEntry, Product
from tests.products.factories import first_desa
from tests.products.imports.helpers import csv_bytes, upload

pytestmark = pytest.mark.django_db


# --- Large files in the background ------------------------------------------------------------------


def big_file(n: int, village: str, start: int = 0) -> bytes:
    return csv_bytes(
        *(
            f"{village},BUMDes Besar,Produk {i},030633,hidup,kg,{i},1"
            for i in range(start, start + n)
        )
    )


def test_a_large_file_is_checked_and_imported_by_a_background_job(
    as_role, settings, ministry, django_capture_on_commit_callbacks
):
    settings.PRODUCT_IMPORT_BACKGROUND_ROWS = 10
    client = as_role("ministry")
    data = big_file(25, first_desa("74.02.", 0))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("products:import_upload"), {"file": SimpleUploadedFile("besar.csv", data)}
        )
    product_import = ProductImport.objects.get()
    assert product_import.status == "validating" and product_import.job is not None
    page = client.get(response["Location"]).content.decode()
    assert f'data-job-url="{reverse("job_status", args=[product_import.job_id])}"' in page
    assert "<progress" in page and "Checking the file" in page
    assert (
        client.get(reverse("job_status", args=[product_import.job_id])).json()["status"]
        == "pending"
    )

    for callback in callbacks:
        callback()  # the job runs (in tests: at once, in this thread)
    product_import.refresh_from_db()
    assert (product_import.status, product_import.rows, product_import.created) == (
        "validated",
        25,
        25,
    )
    job = BackgroundJob.objects.get(pk=product_import.job_id)
    assert (job.status, job.percent, job.total) == ("done", 100, 25)
    assert job.result["created"] == 25
    assert "<progress" not in client.get(response["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("products:import_commit", args=[product_import.pk]))
    product_import.refresh_from_db()
    assert (product_import.status, product_import.created) == ("done", 25)
    assert product_import.job.kind == "products.import.commit"
    assert product_import.job.status == "done"
    assert Product.objects.count() == 25

    from rest_framework.test import APIClient

    api = APIClient()  # the API shows the job's progress
    api.force_authenticate(ministry)
    detail = api.get(f"/api/v1/imports/{product_import.pk}/").json()
    assert detail["progress"]["percent"] == 100 and detail["progress"]["status"] == "done"


def test_a_large_file_is_left_to_a_job_the_caller_starts(
    ministry, settings, django_capture_on_commit_callbacks
):
    settings.PRODUCT_IMPORT_BACKGROUND_ROWS = 2
    data = big_file(3, first_desa())
    product_import = services.create_import(user=ministry, file_name="p.csv", data=data)
    step = services.submit(product_import)
    assert (step.job, step.job_total) == (services.CHECK_JOB, 3)
    assert ProductImport.objects.get().status == "validating" and not BackgroundJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        product_import = tasks.start_import_job(step, user=ministry)
    assert product_import.job.kind == "products.import.check"
    product_import.refresh_from_db()
    assert product_import.status == "validated"

    step = services.start_commit(product_import, user=ministry)
    assert (step.job, step.job_total) == (services.COMMIT_JOB, 6)
    # Claimed together with the job it is handed to, in one transaction.
    assert ProductImport.objects.get().status == "validated" and Product.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        tasks.start_import_job(step, user=ministry)
    assert ProductImport.objects.get().status == "done" and Product.objects.count() == 3
    # A small file's step ran already: there is no job to start.
    small = services.create_import(
        user=ministry, file_name="s.csv", data=big_file(1, first_desa(), start=10)
    )
    step = services.submit(small)
    assert step.job == "" and step.product_import.status == "validated"
    assert tasks.start_import_job(step, user=ministry).job is None


def test_a_second_commit_job_is_refused_and_leaves_no_job(ministry, settings):
    settings.PRODUCT_IMPORT_BACKGROUND_ROWS = 2
    product_import = services.create_import(
        user=ministry, file_name="p.csv", data=big_file(3, first_desa())
    )
    services.submit(product_import, background=False)
    first = services.start_commit(product_import, user=ministry)
    second = services.start_commit(product_import, user=ministry)
    tasks.start_import_job(first, user=ministry)  # claims it (the job runs after commit)
    jobs = BackgroundJob.objects.count()
    with pytest.raises(ValidationError):
        tasks.start_import_job(second, user=ministry)
    assert BackgroundJob.objects.count() == jobs
    assert ProductImport.objects.get().status == "importing"


def test_the_background_tasks_are_idempotent(ministry):
    from products.imports.tasks import check_product_import, commit_product_import

    product_import = upload(ministry, big_file(3, first_desa()))
    job = BackgroundJob.objects.create(kind="products.import.check", created_by=ministry)
    check_product_import.apply(args=(job.pk, product_import.pk))  # checked already
    product_import.refresh_from_db()
    assert product_import.status == "validated"
    job = BackgroundJob.objects.create(kind="products.import.commit", created_by=ministry)
    commit_product_import.apply(args=(job.pk, product_import.pk))  # not claimed: no-op
    assert Product.objects.count() == 0
    services.save_fields(product_import, status="importing")
    job = BackgroundJob.objects.create(kind="products.import.commit", created_by=ministry)
    commit_product_import.apply(args=(job.pk, product_import.pk))
    assert Product.objects.count() == 3
    assert (
        HistoryEntry.objects.filter(kind="imported", product__isnull=False).first().actor
        == ministry
    )
    job = BackgroundJob.objects.create(kind="products.import.commit", created_by=ministry)
    commit_product_import.apply(args=(job.pk, product_import.pk))  # done already
    assert Product.objects.count() == 3


@pytest.mark.services
def test_a_large_file_runs_on_a_real_worker(real_worker, ministry, settings):
    """PostgreSQL and a Celery worker on Redis: the job runs in another process."""
    from bumdes_export import settings as project_settings

    # The worker reads the stored file from the media directory it was started with.
    settings.MEDIA_ROOT = project_settings.MEDIA_ROOT
    data = big_file(50, first_desa("74.02.", 0))
    product_import = services.create_import(user=ministry, file_name="besar.csv", data=data)
    try:
        tasks.start_import_job(services.submit(product_import, background=True), user=ministry)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            product_import = ProductImport.objects.get(pk=product_import.pk)
            if product_import.status != "validating":
                break
            time.sleep(0.5)
        assert (product_import.status, product_import.created) == ("validated", 50)
        tasks.start_import_job(
            services.start_commit(product_import, user=ministry, background=True), user=ministry
        )
        while time.monotonic() < deadline:
            product_import = ProductImport.objects.get(pk=product_import.pk)
            if product_import.status != "importing":
                break
            time.sleep(0.5)
        assert (product_import.status, product_import.created) == ("done", 50)
        # The job's own record is closed just after the import's (a moment later on a busy
        # machine).
        job = product_import.job
        while job.status == "running" and time.monotonic() < deadline:
            time.sleep(0.2)
            job.refresh_from_db()
        assert job.status == "done" and job.percent == 100
        assert HistoryEntry.objects.filter(kind="imported", product__isnull=False).count() == 50
    finally:
        product_import.file.delete(save=False)
