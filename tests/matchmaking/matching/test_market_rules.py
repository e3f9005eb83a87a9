"""The match score's market component reads the readiness rules: the markets a product's
certificates open come from the rules ministry staff edit, not from a map in the code."""

import pytest

from bumdes_export.reference.models import Country
from matchmaking.matching import features
from products.models import ReadinessRule

pytestmark = pytest.mark.django_db


def opened(lexicon, *certificates: str) -> set[str]:
    held = sum(1 << lexicon.certificate_codes[code] for code in certificates)
    bits = lexicon.markets_ready(held)
    return {code for code, i in lexicon.countries.items() if bits >> i & 1}


def test_each_preferential_form_opens_its_agreements_markets(regions):
    lexicon = features.load_lexicon()
    assert opened(lexicon, "coo-form-ahk") == {"HK"}
    assert opened(lexicon, "coo-form-e") == {"CN"}
    assert opened(lexicon, "coo-form-d") == {"BN", "KH", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}
    plain = opened(lexicon, "coo")
    assert {"JP", "US", "NL"} <= plain
    assert not {"HK", "CN", "SG"} & plain  # they ask for their own form
    assert opened(lexicon, "health-fish") == set()


def test_a_rule_change_changes_the_markets(regions):
    rule = ReadinessRule.objects.get(code="form-e-china")
    rule.destinations.add(Country.objects.get(code="JP"))
    lexicon = features.load_lexicon()
    assert opened(lexicon, "coo-form-e") == {"CN", "JP"}
    assert "JP" not in opened(lexicon, "coo")
    ReadinessRule.objects.filter(code="form-ahk-hong-kong").update(active=False)
    lexicon = features.load_lexicon()
    assert "HK" in opened(lexicon, "coo")  # no rule of its own left: any origin certificate


def test_a_market_asking_for_two_certificates_needs_both(regions):
    rule = ReadinessRule.objects.get(code="form-ahk-hong-kong")
    extra = ReadinessRule.objects.create(
        code="hk-health",
        requirement="certificate",
        certificate_type=rule.certificate_type.__class__.objects.get(code="health-fish"),
        weight=5,
        gap_id="x",
        gap_en="x",
    )
    extra.destinations.add(Country.objects.get(code="HK"))
    lexicon = features.load_lexicon()
    assert "HK" not in opened(lexicon, "coo-form-ahk")
    assert "HK" in opened(lexicon, "coo-form-ahk", "health-fish")


def test_a_products_matrix_covers_the_markets_of_its_best_matches(regions):
    from matchmaking.matching.models import OrganisationMatch
    from products import selectors as product_selectors
    from tests.matchmaking.matching.factories import make_bumdes, make_organisation, make_product

    product = make_product(make_bumdes(), certificates=("health-fish",))
    product.target_markets.set(["HK"])
    buyer = make_organisation(markets=("JP", "CN"))
    OrganisationMatch.objects.create(
        organisation=buyer,
        product=product,
        product_version=product.version,
        score=800,
        fit=300,
        volume=150,
        certificates=150,
        markets=0,
        logistics=100,
        readiness=100,
    )
    rows = {row.country.code: row for row in product_selectors.market_matrix(product)}
    assert list(rows) == ["HK", "CN", "JP"]  # its own market first, then those asked for
    assert rows["HK"].targeted and not rows["HK"].asked
    assert rows["JP"].asked and rows["CN"].asked
    # China asks for Form E besides what the product lacks everywhere (a verified BUMDes ...).
    assert "form-e-china" in {gap.code for gap in rows["CN"].readiness.market_gaps}
    assert "form-e-china" not in {gap.code for gap in rows["HK"].readiness.readiness.gaps}


def test_a_rule_for_some_products_is_not_the_markets(regions):
    """A halal rule for Malaysia on processed food (chapter 16) is each such product's
    readiness; fresh crab sold to Malaysia is not asked for halal by the market component."""
    from bumdes_export.reference.models import CertificateType

    rule = ReadinessRule.objects.create(
        code="halal-16-malaysia",
        requirement="certificate",
        certificate_type=CertificateType.objects.get(code="halal"),
        hs_prefix="16",
        weight=5,
        gap_id="x",
        gap_en="x",
    )
    rule.destinations.add(Country.objects.get(code="MY"))
    lexicon = features.load_lexicon()
    assert "MY" in opened(lexicon, "coo-form-d")
