"""Listening to the registry's and the deals' change events (sent after commit): the regencies
concerned are counted again (``tallies``)."""

from __future__ import annotations

from typing import Any

from matchmaking.deals import events as deal_events
from matchmaking.oversight import tallies, tasks
from products import events as product_events


def _product_changed(sender: Any, product_id: int, **kwargs: Any) -> None:
    tasks.send_refresh(tallies.regencies_of_products([product_id]))


def _products_imported(sender: Any, product_ids: list[int], **kwargs: Any) -> None:
    tasks.send_refresh(tallies.regencies_of_products(product_ids))


def _bumdes_changed(sender: Any, bumdes_id: int, **kwargs: Any) -> None:
    tasks.send_refresh(tallies.regencies_of_bumdes([bumdes_id]))


def _deal_changed(sender: Any, product_id: int, **kwargs: Any) -> None:
    tasks.send_refresh(tallies.regencies_of_products([product_id]))


def connect() -> None:
    product_events.product_changed.connect(_product_changed, dispatch_uid="oversight-product")
    product_events.products_imported.connect(_products_imported, dispatch_uid="oversight-import")
    product_events.bumdes_changed.connect(_bumdes_changed, dispatch_uid="oversight-bumdes")
    deal_events.deal_changed.connect(_deal_changed, dispatch_uid="oversight-deal")
