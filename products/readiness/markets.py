"""Readiness per destination: the product x market matrix. Pure, like ``evaluation``.

For one market a product is
- ``blocked`` where a rule that blocks export (required and confirmed) is not met, whether the
  rule is general (the KI-1 certificate for live crab, the crab size) or the market's own;
- ``documents`` where nothing blocks but the market's own documents are missing (the certificate
  of origin of its agreement with Indonesia: without it the buyer pays the full duty);
- ``ready`` otherwise.

Whether the product may be offered at all is the ministry's curation (status export-ready),
shown beside the matrix, not folded into it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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

BLOCKED, DOCUMENTS, READY = "blocked", "documents", "ready"


@dataclass(frozen=True)
class MarketReadiness:
    destination: str
    readiness: Readiness

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return self.readiness.blocking

    @property
    def market_gaps(self) -> tuple[Gap, ...]:
        """Unmet rules of this market's own (certificate of origin form ...)."""
        return tuple(g for g in self.readiness.gaps if g.market_specific and not g.required)

    @property
    def state(self) -> str:
        if self.blocking:
            return BLOCKED
        return DOCUMENTS if self.market_gaps else READY


def for_markets(
    facts: ProductFacts, rules: list[RuleSpec], destinations: Iterable[str]
) -> list[MarketReadiness]:
    """The readiness for each destination, in the order given (duplicates dropped)."""
    return [
        MarketReadiness(code, evaluate(facts, rules, destination=code))
        for code in dict.fromkeys(destinations)
    ]


class MarketRules:
    """The rules split once for many products: those of every market and each market's own,
    so that ``ready_for`` checks each product's general rules once and then only the rules of
    each market (the catalogue works it out for every export-ready product). It answers as
    ``for_markets`` would: ready where no rule blocks and every market rule is met."""

    def __init__(self, rules: list[RuleSpec]) -> None:
        self.general = [r for r in (*rules, SUGGESTIONS_CONFIRMED) if not r.destinations]
        self.by_market: dict[str, list[RuleSpec]] = {}
        for rule in rules:
            for code in rule.destinations:
                self.by_market.setdefault(code, []).append(rule)

    def ready_for(self, facts: ProductFacts, destinations: Iterable[str]) -> list[str]:
        if any(
            rule.blocks and applies(rule, facts) and not is_met(rule, facts)
            for rule in self.general
        ):
            return []
        return [
            code
            for code in dict.fromkeys(destinations)
            if all(
                is_met(rule, facts)
                for rule in self.by_market.get(code, ())
                if applies(rule, facts, code)
            )
        ]


def ready_for(facts: ProductFacts, rules: list[RuleSpec], destinations: Iterable[str]) -> list[str]:
    """The destinations among ``destinations`` the product is ready for."""
    return MarketRules(rules).ready_for(facts, destinations)


def rule_destinations(rules: Iterable[RuleSpec]) -> set[str]:
    """The countries some rule names: the markets whose readiness differs from the rest."""
    return {code for rule in rules for code in rule.destinations}
