"""Background task of the catalogue: a full rebuild, e.g. nightly.

Every change in the registry already refreshes its entries (``receivers``); the rebuild
catches what sends no event: a certificate whose validity starts on a later date, region names
changed by a reference-data load. Schedule it with::

    CELERY_BEAT_SCHEDULE["refresh-catalogue"] = {
        "task": "products.catalogue.tasks.refresh_catalogue",
        "schedule": 24 * 3600.0,
    }
"""

from __future__ import annotations

from celery import shared_task

from products.catalogue import services


@shared_task(acks_late=True)
def refresh_catalogue() -> int:
    """Rebuild the catalogue from the registry; returns how many products it lists."""
    return services.refresh_all()
