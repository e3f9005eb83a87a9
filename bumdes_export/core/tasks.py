"""Periodic upkeep of the portal itself, and the round trip used to prove a worker is alive."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from bumdes_export.core.models import BackgroundJob
from bumdes_export.reference.models import Region

STALE_AFTER = timedelta(hours=2)


@shared_task
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def expire_stale_jobs() -> int:
    """Mark jobs failed whose runner died (no heartbeat for two hours), so pages stop waiting."""
    cutoff = timezone.now() - STALE_AFTER
    return (
        BackgroundJob.objects.filter(
            status__in=[BackgroundJob.Status.PENDING, BackgroundJob.Status.RUNNING],
            created_at__lt=cutoff,
        )
        .exclude(heartbeat_at__gte=cutoff)
        .update(
            status=BackgroundJob.Status.FAILED,
            message="The job stopped reporting progress and was abandoned.",
            finished_at=timezone.now(),
        )
    )


@shared_task
def roundtrip(token: str, region_code: str) -> dict[str, str | None]:
    """Echo a token and read a region, proving the worker shares the portal's database."""
    region = Region.objects.filter(code=region_code).values_list("name", flat=True).first()
    return {"token": token, "region": region, "database": connection.vendor}
