"""Export readiness: rules as data, evaluated per product and per destination.

- ``evaluation``: the score and gaps of one product (pure);
- ``markets``: readiness per destination, the product x market matrix (pure);
- ``specification``: commodity specification templates and the conditions rules set (pure);
- ``models``: ``SpecificationTemplate`` (``ReadinessRule`` is in ``products.models``);
- ``selectors``: rules in force, matrices, the public document checklist;
- ``services``: specifications entered, rule changes followed up.

The names most callers need are re-exported here.
"""

from products.readiness.evaluation import (
    SUGGESTIONS_CONFIRMED,
    Gap,
    ProductFacts,
    Readiness,
    RuleSpec,
    applies,
    evaluate,
    is_met,
)

__all__ = [
    "SUGGESTIONS_CONFIRMED",
    "Gap",
    "ProductFacts",
    "Readiness",
    "RuleSpec",
    "applies",
    "evaluate",
    "is_met",
]
