"""Writing product lists: many at once (a chunk of a full run) or a few, always guarded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matchmaking.matching import store
from matchmaking.matching.models import ProductMatches
from tests.matchmaking.matching.factories import make_bumdes, make_product

pytestmark = pytest.mark.django_db


def _row(product_id: int, version: int, weights: int, organisations: list[int]) -> store.ProductRow:
    scores = [900 - i for i in range(len(organisations))]
    components = [[300, 150, 150, 100, 100, 100 - i] for i in range(len(organisations))]
    return store.ProductRow(
        product_id=product_id,
        product_version=version,
        weights_version=weights,
        best_score=scores[0] if scores else 0,
        size=len(organisations),
        entries=store.pack(organisations, scores, components),
        computed_at=timezone.now(),
    )


@pytest.mark.parametrize("count", [3, 250])  # 250 takes the bulk (COPY) path on PostgreSQL
def test_lists_written_in_bulk_read_back_and_older_ones_never_win(regions, count):
    bumdes = make_bumdes()
    products = [make_product(bumdes, name_id=f"Produk {i}") for i in range(count)]
    store.write_product_lists(_row(p.pk, 5, 2, [7, 8, 9]) for p in products)

    stored = {row.pk: row for row in ProductMatches.objects.all()}
    assert len(stored) == count
    first = stored[products[0].pk]
    assert [m.organisation_id for m in store.unpack(first.entries)] == [7, 8, 9]
    assert store.unpack(first.entries)[0].components == (300, 150, 150, 100, 100, 100)

    # An older product version, or older weights, leaves every stored list as it is ...
    store.write_product_lists(_row(p.pk, 4, 2, [1]) for p in products)
    store.write_product_lists(_row(p.pk, 5, 1, [1]) for p in products)
    assert all(
        [m.organisation_id for m in store.unpack(row.entries)] == [7, 8, 9]
        for row in ProductMatches.objects.all()
    )
    # ... and a newer one replaces them, an empty list included.
    store.write_product_lists(_row(p.pk, 6, 2, []) for p in products)
    assert set(ProductMatches.objects.values_list("size", "product_version")) == {(0, 6)}
