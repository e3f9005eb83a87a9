"""Export readiness: a score from 0 to 100 and the list of what is missing, with next steps.

``evaluate`` is pure (no database): it takes the facts about one product and the active rules,
so it is easy to test and to run for many products at once. Messages are rendered in the
reader's language when read; only the score is stored.

A rule blocks export when it is required *and* confirmed by the ministry; a required rule whose
figures await confirmation advises (``Gap.awaiting_confirmation``). Evaluated for one
destination, a rule naming destinations applies only if the destination is among them; without a
destination (the product's overall score), if the product targets or has shipped to one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from products.readiness import specification


@dataclass(frozen=True)
class RuleSpec:
    code: str
    check: str
    weight: int
    required: bool
    hs_prefix: str = ""
    forms: tuple[str, ...] = ()
    destinations: frozenset[str] = frozenset()
    certificate_code: str | None = None
    gap: dict[str, str] = field(default_factory=dict)
    next_step: dict[str, str] = field(default_factory=dict)
    confirmed: bool = True
    legal_basis: str = ""
    #: Specification rules: the product's specification must meet these (all, or any one).
    conditions: tuple[Mapping[str, Any], ...] = ()
    any_condition: bool = False
    #: Only products whose specification agrees (or does not say): ``{"species": "scylla"}``.
    applies_when: Mapping[str, Any] = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return self.required and self.confirmed


@dataclass(frozen=True)
class ProductFacts:
    hs_code: str
    form: str
    destinations: frozenset[str]
    valid_certificates: frozenset[str]
    bumdes_nib: bool
    bumdes_npwp: bool
    bumdes_legal_entity: bool
    bumdes_verified: bool
    has_photo: bool
    has_price: bool
    has_capacity: bool
    has_harvest_calendar: bool
    has_packaging: bool
    has_english: bool
    # Values the portal suggested on import and nobody confirmed (hs_code, form, unit).
    unconfirmed: frozenset[str] = frozenset()
    # The commodity specification (``Product.specification``) and the fields of the
    # product's specification template (a specification rule applies only to products whose
    # template has the fields it reads).
    specification: Mapping[str, Any] = field(default_factory=dict)
    template_fields: frozenset[str] = frozenset()


def assumed_facts(
    hs_code: str, form: str, destination: str, template_fields: frozenset[str] = frozenset()
) -> ProductFacts:
    """A product known only by its code, form and market, everything else taken as in hand:
    the facts that ask which rules apply to such a shipment, not which are met (the
    checklist)."""
    return ProductFacts(
        hs_code=hs_code,
        form=form,
        destinations=frozenset({destination}),
        valid_certificates=frozenset(),
        bumdes_nib=True,
        bumdes_npwp=True,
        bumdes_legal_entity=True,
        bumdes_verified=True,
        has_photo=True,
        has_price=True,
        has_capacity=True,
        has_harvest_calendar=True,
        has_packaging=True,
        has_english=True,
        template_fields=template_fields,
    )


@dataclass(frozen=True)
class Gap:
    code: str
    required: bool
    weight: int
    gap: dict[str, str]
    next_step: dict[str, str]
    check: str = ""  # the rule's requirement (ReadinessRule.Requirement)
    legal_basis: str = ""
    certificate_code: str | None = None
    # Required by the rule but not blocking until the ministry confirms its figures.
    awaiting_confirmation: bool = False
    # The rule names destinations: the gap is about a market's own documents or rules.
    market_specific: bool = False
    # Specification fields the rule reads that the product has not recorded.
    unrecorded: tuple[str, ...] = ()

    def message(self, language: str) -> str:
        return _pick(self.gap, language)

    def step(self, language: str) -> str:
        return _pick(self.next_step, language)


@dataclass(frozen=True)
class Readiness:
    score: int
    gaps: tuple[Gap, ...]
    applicable: int

    @property
    def blocking(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.required)

    @property
    def blocking_everywhere(self) -> tuple[Gap, ...]:
        """What keeps the product from being export-ready at all: blocking gaps of rules that
        name no destination (a market's own blocking rule only closes that market)."""
        return tuple(g for g in self.gaps if g.required and not g.market_specific)


def _pick(texts: dict[str, str], language: str) -> str:
    return texts.get(language[:2]) or texts.get("id") or texts.get("en") or ""


#: Built in, not data: a product whose HS code, form or unit the portal suggested on import is
#: not ready until an officer confirms them (it weighs nothing: the score stays what the
#: product's own facts make it).
SUGGESTIONS_CONFIRMED = RuleSpec(
    code="suggestions-confirmed",
    check="suggestions_confirmed",
    weight=0,
    required=True,
    gap={
        "id": "Kode HS, bentuk atau satuan adalah saran portal saat impor dan belum dikonfirmasi",
        "en": "The HS code, form or unit was suggested by the portal on import and is not "
        "confirmed yet",
    },
    next_step={
        "id": "Buka produk, periksa nilai yang disarankan, lalu konfirmasi atau ubah.",
        "en": "Open the product, check the suggested values, then confirm or change them.",
    },
)


def applies(rule: RuleSpec, facts: ProductFacts, destination: str | None = None) -> bool:
    if rule.check == "suggestions_confirmed":
        return bool(facts.unconfirmed)
    if rule.hs_prefix and not facts.hs_code.startswith(rule.hs_prefix):
        return False
    if rule.forms and facts.form not in rule.forms:
        return False
    if rule.check == "specification" and not (
        specification.fields_read(rule.conditions, rule.applies_when) <= facts.template_fields
    ):
        return False
    if rule.applies_when and not specification.in_scope(rule.applies_when, facts.specification):
        return False
    if not rule.destinations:
        return True
    if destination is not None:
        return destination in rule.destinations
    return bool(rule.destinations & facts.destinations)


def is_met(rule: RuleSpec, facts: ProductFacts) -> bool:
    if rule.check == "certificate":
        return rule.certificate_code in facts.valid_certificates
    if rule.check == "suggestions_confirmed":
        return not facts.unconfirmed
    if rule.check == "specification":
        return specification.conditions_met(
            rule.conditions, rule.any_condition, facts.specification
        )
    return {
        "bumdes_nib": facts.bumdes_nib,
        "bumdes_npwp": facts.bumdes_npwp,
        "bumdes_legal_entity": facts.bumdes_legal_entity,
        "bumdes_verified": facts.bumdes_verified,
        "photo": facts.has_photo,
        "price": facts.has_price,
        "capacity": facts.has_capacity,
        "harvest_calendar": facts.has_harvest_calendar,
        "packaging": facts.has_packaging,
        "english_name": facts.has_english,
    }[rule.check]


def gap_of(rule: RuleSpec, facts: ProductFacts | None = None) -> Gap:
    """The gap an unmet rule leaves (``facts``: the product's, to say what it has not
    recorded)."""
    unrecorded: tuple[str, ...] = ()
    if rule.check == "specification" and facts is not None:
        values = facts.specification
        fields = [c["field"] for c in rule.conditions]
        # "Any one" is unmet only if none is; what is unrecorded is worth saying either way.
        unrecorded = tuple(dict.fromkeys(f for f in fields if values.get(f) is None))
    return Gap(
        rule.code,
        rule.blocks,
        rule.weight,
        rule.gap,
        rule.next_step,
        rule.check,
        legal_basis=rule.legal_basis,
        certificate_code=rule.certificate_code,
        awaiting_confirmation=rule.required and not rule.confirmed,
        market_specific=bool(rule.destinations),
        unrecorded=unrecorded,
    )


def evaluate(
    facts: ProductFacts, rules: list[RuleSpec], destination: str | None = None
) -> Readiness:
    """Score = the weight of the applicable rules that are met, over all applicable weight.
    With ``destination``, the readiness for that market (see the module)."""
    applicable = [r for r in (*rules, SUGGESTIONS_CONFIRMED) if applies(r, facts, destination)]
    total = sum(r.weight for r in applicable)
    gaps = tuple(gap_of(r, facts) for r in applicable if not is_met(r, facts))
    missing = sum(g.weight for g in gaps)
    score = 100 if total == 0 else round(100 * (total - missing) / total)
    ordered = tuple(sorted(gaps, key=lambda g: (not g.required, -g.weight, g.code)))
    return Readiness(score=score, gaps=ordered, applicable=len(applicable))
