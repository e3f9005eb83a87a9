"""Events the registry announces after a transaction commits.

The matching engine listens to these (it lives in ``matchmaking``, which this app never imports).
Receivers get ids, never objects, so they can hand them straight to a Celery task.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

#: A BUMDes was created or changed. kwargs: ``bumdes_id``.
bumdes_changed = Signal()
#: A product, its certificates or its photos changed. kwargs: ``product_id``, ``version``.
product_changed = Signal()
#: Products were written in bulk by an import. kwargs: ``product_ids``.
products_imported = Signal()


def announce_bumdes(bumdes_id: int) -> None:
    transaction.on_commit(lambda: bumdes_changed.send(sender="products", bumdes_id=bumdes_id))


def announce_product(product_id: int, version: int) -> None:
    transaction.on_commit(
        lambda: product_changed.send(sender="products", product_id=product_id, version=version)
    )


def announce_import(product_ids: list[int]) -> None:
    transaction.on_commit(
        lambda: products_imported.send(sender="products", product_ids=list(product_ids))
    )
