"""Readiness per destination (pure): which rules apply where, what blocks, what advises."""

from dataclasses import replace

from products.readiness import ProductFacts, RuleSpec, evaluate, markets
from tests.products.readiness.test_evaluation import LIVE_CRAB

CRAB_FIELDS = frozenset({"species", "carapace_width_cm", "weight_g", "egg_bearing_excluded"})


def facts(**changes) -> ProductFacts:
    """The live crab of the evaluation tests, with its KI-1, targeting Hong Kong and China."""
    base = {
        "destinations": frozenset({"HK", "CN"}),
        "valid_certificates": frozenset({"health-fish"}),
        "template_fields": CRAB_FIELDS,
    }
    return replace(LIVE_CRAB, **{**base, **changes})


KI1 = RuleSpec("ki1", "certificate", 20, True, hs_prefix="03", certificate_code="health-fish")
FORM_AHK = RuleSpec(
    "form-ahk",
    "certificate",
    5,
    False,
    destinations=frozenset({"HK"}),
    certificate_code="coo-form-ahk",
)
FORM_E = RuleSpec(
    "form-e", "certificate", 5, False, destinations=frozenset({"CN"}), certificate_code="coo-form-e"
)
SIZE = RuleSpec(
    "crab-size",
    "specification",
    10,
    True,
    hs_prefix="0306",
    applies_when={"species": "scylla"},
    conditions=(
        {"field": "carapace_width_cm", "op": ">", "value": 12},
        {"field": "weight_g", "op": ">", "value": 150},
    ),
    any_condition=True,
    legal_basis="Permen KP 12/2020",
)
RULES = [KI1, FORM_AHK, FORM_E, SIZE]


def test_a_market_rule_applies_only_to_its_market():
    crab = facts(
        valid_certificates=frozenset({"health-fish", "coo-form-ahk"}),
        specification={"species": "scylla", "carapace_width_cm": 13},
    )
    hong_kong, china = markets.for_markets(crab, RULES, ["HK", "CN"])
    assert hong_kong.state == markets.READY
    assert china.state == markets.DOCUMENTS
    assert [g.code for g in china.market_gaps] == ["form-e"]
    # Japan: no rule of its own, nothing blocks.
    (japan,) = markets.for_markets(crab, RULES, ["JP"])
    assert japan.state == markets.READY
    assert markets.ready_for(crab, RULES, ["CN", "HK", "JP"]) == ["HK", "JP"]


def test_a_crab_below_the_minimum_is_blocked_everywhere_with_the_rule_named():
    small = facts(
        valid_certificates=frozenset({"health-fish", "coo-form-ahk"}),
        specification={"species": "scylla", "carapace_width_cm": 10, "weight_g": 120},
    )
    for market in markets.for_markets(small, RULES, ["HK", "CN", "JP"]):
        assert market.state == markets.BLOCKED
        assert [g.code for g in market.blocking] == ["crab-size"]
        assert market.blocking[0].legal_basis == "Permen KP 12/2020"
    readiness = evaluate(small, RULES)
    assert [g.code for g in readiness.blocking_everywhere] == ["crab-size"]


def test_either_size_suffices_and_what_is_unrecorded_is_said():
    heavy = facts(specification={"species": "scylla", "carapace_width_cm": 11, "weight_g": 200})
    assert "crab-size" not in {g.code for g in evaluate(heavy, RULES).gaps}
    unknown = evaluate(facts(specification={}), RULES)
    (gap,) = [g for g in unknown.gaps if g.code == "crab-size"]
    assert gap.required and gap.unrecorded == ("carapace_width_cm", "weight_g")


def test_a_rule_scoped_to_another_species_does_not_apply():
    blue = facts(specification={"species": "portunus", "carapace_width_cm": 9})
    assert "crab-size" not in {g.code for g in evaluate(blue, RULES).gaps}


def test_a_specification_rule_skips_products_whose_template_lacks_its_fields():
    shrimp = facts(hs_code="030636", template_fields=frozenset())
    assert "crab-size" not in {g.code for g in evaluate(shrimp, RULES).gaps}


def test_a_required_rule_awaiting_confirmation_advises():
    unconfirmed = RuleSpec(
        "blue-crab-size",
        "specification",
        10,
        True,
        hs_prefix="0306",
        conditions=({"field": "carapace_width_cm", "op": ">", "value": 10},),
        confirmed=False,
    )
    readiness = evaluate(facts(specification={"carapace_width_cm": 9}), [unconfirmed])
    (gap,) = readiness.gaps
    assert not gap.required and gap.awaiting_confirmation
    assert readiness.blocking == ()
    assert readiness.score == 0  # it still weighs in the score


def test_a_blocking_market_rule_closes_only_that_market():
    china_only = RuleSpec(
        "gacc",
        "certificate",
        10,
        True,
        destinations=frozenset({"CN"}),
        certificate_code="gacc",
    )
    crab = facts(specification={"species": "scylla", "carapace_width_cm": 13})
    hong_kong, china = markets.for_markets(crab, [china_only], ["HK", "CN"])
    assert hong_kong.state == markets.READY and china.state == markets.BLOCKED
    overall = evaluate(crab, [china_only])
    assert [g.code for g in overall.blocking] == ["gacc"]  # the product targets China ...
    assert overall.blocking_everywhere == ()  # ... but may still be export-ready elsewhere


def test_the_overall_score_counts_market_rules_of_the_products_own_markets_only():
    only_singapore = facts(
        destinations=frozenset({"SG"}), specification={"species": "scylla", "carapace_width_cm": 13}
    )
    assert {g.code for g in evaluate(only_singapore, RULES).gaps} == set()
    assert markets.rule_destinations(RULES) == {"HK", "CN"}


def test_the_split_rules_answer_as_the_full_evaluation():
    """``MarketRules.ready_for`` (the catalogue's quick way) agrees with ``for_markets`` over
    every combination of certificates, specification and BUMDes facts tried here."""
    import itertools

    gacc = RuleSpec(
        "gacc", "certificate", 10, True, destinations=frozenset({"CN"}), certificate_code="gacc"
    )
    rules = [*RULES, gacc]
    split = markets.MarketRules(rules)
    codes = ["HK", "CN", "SG", "JP"]
    certificate_sets = [
        frozenset(c)
        for n in range(4)
        for c in itertools.combinations(["health-fish", "coo-form-ahk", "coo-form-e", "gacc"], n)
    ]
    specifications = [
        {},
        {"species": "scylla", "carapace_width_cm": 13},
        {"species": "scylla", "weight_g": 90},
    ]
    for held, spec, verified, unconfirmed in itertools.product(
        certificate_sets, specifications, (True, False), (frozenset(), frozenset({"form"}))
    ):
        product = facts(
            valid_certificates=held,
            specification=spec,
            bumdes_verified=verified,
            unconfirmed=unconfirmed,
        )
        full = [
            m.destination
            for m in markets.for_markets(product, rules, codes)
            if m.state == markets.READY
        ]
        assert split.ready_for(product, codes) == full
