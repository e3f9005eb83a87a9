"""Listening to the change events of ``products`` and ``exporters`` (sent after commit, so the
rescores are sent at once)."""

from __future__ import annotations

from typing import Any

from exporters import events as exporter_events
from matchmaking.matching import tasks
from matchmaking.matching.follow_up import FollowUp
from products import events as product_events
from products.models import Product


def _product_changed(sender: Any, product_id: int, **kwargs: Any) -> None:
    tasks.send(FollowUp(products=(product_id,)))


def _products_imported(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    tasks.send(FollowUp(products=tuple(product_ids)))


def _bumdes_changed(sender: Any, bumdes_id: int, **kwargs: Any) -> None:
    products = Product.objects.filter(bumdes_id=bumdes_id).values_list("pk", flat=True)
    tasks.send(FollowUp(products=tuple(products)))


def _organisation_changed(sender: Any, organisation_id: int, **kwargs: Any) -> None:
    tasks.send(FollowUp(organisations=(organisation_id,)))


def connect() -> None:
    product_events.product_changed.connect(_product_changed, dispatch_uid="matching-product")
    product_events.products_imported.connect(_products_imported, dispatch_uid="matching-import")
    product_events.bumdes_changed.connect(_bumdes_changed, dispatch_uid="matching-bumdes")
    exporter_events.organisation_changed.connect(
        _organisation_changed, dispatch_uid="matching-organisation"
    )
