"""Export readiness: a score from 0 to 100 and the list of what is missing, with next steps.

``evaluate`` is pure (no database): it takes the facts about one product and the active rules,
so it is easy to test and to run for many products at once. Messages are rendered in the
reader's language when read; only the score is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class Gap:
    code: str
    required: bool
    weight: int
    gap: dict[str, str]
    next_step: dict[str, str]
    check: str = ""  # the rule's requirement (ReadinessRule.Requirement)

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


def applies(rule: RuleSpec, facts: ProductFacts) -> bool:
    if rule.check == "suggestions_confirmed":
        return bool(facts.unconfirmed)
    if rule.hs_prefix and not facts.hs_code.startswith(rule.hs_prefix):
        return False
    if rule.forms and facts.form not in rule.forms:
        return False
    return not (rule.destinations and not rule.destinations & facts.destinations)


def is_met(rule: RuleSpec, facts: ProductFacts) -> bool:
    if rule.check == "certificate":
        return rule.certificate_code in facts.valid_certificates
    if rule.check == "suggestions_confirmed":
        return not facts.unconfirmed
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


def evaluate(facts: ProductFacts, rules: list[RuleSpec]) -> Readiness:
    """Score = the weight of the applicable rules that are met, over all applicable weight."""
    applicable = [r for r in (*rules, SUGGESTIONS_CONFIRMED) if applies(r, facts)]
    total = sum(r.weight for r in applicable)
    gaps = tuple(
        Gap(r.code, r.required, r.weight, r.gap, r.next_step, r.check)
        for r in applicable
        if not is_met(r, facts)
    )
    missing = sum(g.weight for g in gaps)
    score = 100 if total == 0 else round(100 * (total - missing) / total)
    ordered = tuple(sorted(gaps, key=lambda g: (not g.required, -g.weight, g.code)))
    return Readiness(score=score, gaps=ordered, applicable=len(applicable))
