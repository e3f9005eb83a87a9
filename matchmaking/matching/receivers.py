"""Listening to the change events of ``products`` and ``exporters`` (sent after commit)."""

from __future__ import annotations

from exporters import events as exporter_events
from products import events as product_events


def _product_changed(sender, product_id: int, **kwargs) -> None:
    from matchmaking.matching import queue

    queue.products([product_id])


def _products_imported(sender, product_ids: list[int], **kwargs) -> None:
    from matchmaking.matching import queue

    queue.products(product_ids)


def _bumdes_changed(sender, bumdes_id: int, **kwargs) -> None:
    from matchmaking.matching import queue
    from products.models import Product

    queue.products(Product.objects.filter(bumdes_id=bumdes_id).values_list("pk", flat=True))


def _organisation_changed(sender, organisation_id: int, **kwargs) -> None:
    from matchmaking.matching import queue

    queue.organisations([organisation_id])


def connect() -> None:
    product_events.product_changed.connect(_product_changed, dispatch_uid="matching-product")
    product_events.products_imported.connect(_products_imported, dispatch_uid="matching-import")
    product_events.bumdes_changed.connect(_bumdes_changed, dispatch_uid="matching-bumdes")
    exporter_events.organisation_changed.connect(
        _organisation_changed, dispatch_uid="matching-organisation"
    )
