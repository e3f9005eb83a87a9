"""Export readiness as a pure function of the product's facts and the rules."""

from __future__ import annotations

from dataclasses import replace

from products.readiness import ProductFacts, RuleSpec, evaluate

LIVE_CRAB = ProductFacts(
    hs_code="030633",
    form="live",
    destinations=frozenset({"HK"}),
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
)

KI1 = RuleSpec(
    code="ki1",
    check="certificate",
    certificate_code="health-fish",
    hs_prefix="03",
    forms=("live", "fresh", "frozen"),
    weight=20,
    required=True,
    gap={"id": "KI-1 diperlukan", "en": "KI-1 health certificate needed"},
    next_step={"id": "Ajukan ke Barantin", "en": "Apply to Barantin"},
)
FORM_AHK = RuleSpec(
    code="ahk",
    check="certificate",
    certificate_code="coo-form-ahk",
    destinations=frozenset({"HK"}),
    weight=5,
    required=False,
    gap={"id": "Form AHK", "en": "Form AHK lets the buyer claim the tariff preference"},
)
NIB = RuleSpec(
    code="nib",
    check="bumdes_nib",
    weight=15,
    required=True,
    gap={"id": "NIB belum ada", "en": "NIB missing"},
)
RULES = [KI1, FORM_AHK, NIB]


def test_everything_held_scores_100_with_no_gaps():
    facts = replace(LIVE_CRAB, valid_certificates=frozenset({"health-fish", "coo-form-ahk"}))
    result = evaluate(facts, RULES)
    assert (result.score, result.gaps) == (100, ())


def test_live_crab_to_hong_kong_without_documents_lists_ki1_first_then_form_ahk():
    result = evaluate(LIVE_CRAB, RULES)
    assert [g.code for g in result.gaps] == ["ki1", "ahk"]
    assert [g.code for g in result.blocking] == ["ki1"]
    assert result.score == round(100 * 15 / 40)
    assert result.gaps[0].message("en") == "KI-1 health certificate needed"
    assert result.gaps[0].message("id") == "KI-1 diperlukan"
    assert result.gaps[0].step("en") == "Apply to Barantin"


def test_rules_apply_only_to_their_commodity_form_and_destination():
    banana_flour = replace(
        LIVE_CRAB, hs_code="110630", form="processed", destinations=frozenset({"JP"})
    )
    result = evaluate(banana_flour, RULES)
    assert result.applicable == 1  # only the NIB rule
    assert result.score == 100
    frozen_crab_to_china = replace(LIVE_CRAB, form="frozen", destinations=frozenset({"CN"}))
    assert [g.code for g in evaluate(frozen_crab_to_china, RULES).gaps] == ["ki1"]


def test_missing_nib_is_a_blocking_gap():
    result = evaluate(
        replace(LIVE_CRAB, bumdes_nib=False, valid_certificates=frozenset({"health-fish"})), RULES
    )
    assert [g.code for g in result.blocking] == ["nib"]


def test_no_applicable_rule_means_nothing_is_missing():
    assert evaluate(LIVE_CRAB, []).score == 100


def test_score_is_always_within_0_and_100_and_adding_a_certificate_never_lowers_it():
    import itertools

    certificates = ["health-fish", "coo-form-ahk", "halal"]
    for held in itertools.chain.from_iterable(
        itertools.combinations(certificates, n) for n in range(4)
    ):
        base = evaluate(replace(LIVE_CRAB, valid_certificates=frozenset(held)), RULES).score
        assert 0 <= base <= 100
        for extra in certificates:
            more = frozenset({*held, extra})
            assert evaluate(replace(LIVE_CRAB, valid_certificates=more), RULES).score >= base
