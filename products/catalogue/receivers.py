"""The catalogue follows the registry: each event rewrites the entries it concerns.

The events are sent after commit (``products.events``); the refresh runs right away, a few
queries whatever the number of products. A failure is logged and never breaks the write that
caused it: ``services.refresh_all()`` rebuilds the catalogue.
"""

from __future__ import annotations

import logging

from products import events
from products.catalogue import (
    services,
    tasks,  # noqa: F401 - registers refresh_catalogue with Celery
)

logger = logging.getLogger(__name__)


def on_product_changed(sender, product_id: int, version: int | None = None, **kwargs) -> None:
    try:
        services.refresh_entries([product_id])
    except Exception:
        logger.exception("Catalogue entry of product %s not refreshed", product_id)


def on_bumdes_changed(sender, bumdes_id: int, **kwargs) -> None:
    try:
        services.refresh_bumdes(bumdes_id)
    except Exception:
        logger.exception("Catalogue entries of BUMDes %s not refreshed", bumdes_id)


def on_products_imported(sender, product_ids: list[int], **kwargs) -> None:
    try:
        services.refresh_entries(product_ids)
    except Exception:
        logger.exception(
            "Catalogue entries of %d imported products not refreshed", len(product_ids)
        )


def connect() -> None:
    """Listen to the registry's events (from ``ProductsConfig.ready``); registers the
    catalogue's Celery task too (``tasks``, imported above)."""
    events.product_changed.connect(on_product_changed, dispatch_uid="catalogue.product_changed")
    events.bumdes_changed.connect(on_bumdes_changed, dispatch_uid="catalogue.bumdes_changed")
    events.products_imported.connect(
        on_products_imported, dispatch_uid="catalogue.products_imported"
    )
