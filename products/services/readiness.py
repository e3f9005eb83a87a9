"""The stored readiness score of products, and the rules it is computed from.

A product's score is recomputed on every change to it (``refresh_readiness``). The rules are data
that ministry staff edit in the admin; every write of a rule goes through
``save_readiness_rule`` / ``delete_readiness_rules``, after which every stored score is stale: the
caller (the admin) starts the recompute with ``products.tasks.start_readiness_refresh``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import F

from products import events, selectors
from products.models import Product, ReadinessRule
from products.readiness import Readiness

#: Called now and then while every score is recomputed: ``(done, total)``.
Progress = Callable[[int, int], None]


def refresh_readiness(product: Product) -> Readiness:
    """Recompute and store the readiness score; bump the version so listeners see the change.
    The facts are read afresh: the caller's product (or its BUMDes) may be an older copy."""
    fresh = Product.objects.select_related("bumdes").get(pk=product.pk)
    readiness = selectors.readiness_of(fresh)
    Product.objects.filter(pk=product.pk).update(
        readiness_score=readiness.score, version=F("version") + 1
    )
    product.readiness_score = readiness.score
    product.refresh_from_db(fields=["version"])
    events.announce_product(product.pk, product.version)
    return readiness


def refresh_all_readiness(on_progress: Progress | None = None) -> int:
    """Recompute every product's stored score, e.g. after ministry staff changed the rules."""
    ids = list(Product.objects.values_list("pk", flat=True))
    for done, pk in enumerate(ids, start=1):
        with transaction.atomic():
            refresh_readiness(Product.objects.select_related("bumdes").get(pk=pk))
        if on_progress and done % 100 == 0:
            on_progress(done, len(ids))
    return len(ids)


def save_readiness_rule(rule: ReadinessRule) -> None:
    """Save a rule edited by ministry staff. Every stored score is stale afterwards, once its
    destinations are saved too (see the module)."""
    rule.save()


@transaction.atomic
def delete_readiness_rules(rules: Iterable[ReadinessRule]) -> int:
    """Delete rules (one, or the admin's bulk selection); returns how many. Every stored score
    is stale afterwards (see the module)."""
    ids = [rule.pk for rule in rules]
    _total, by_model = ReadinessRule.objects.filter(pk__in=ids).delete()
    return by_model.get(ReadinessRule._meta.label, 0)
