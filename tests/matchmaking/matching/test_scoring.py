"""The score of one pair (``scoring.score_pair``), as properties that hold for any data.

Pure: no database. Scores are tenths of a point, 0 to 1000.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaking.matching import reasons, scoring
from matchmaking.matching.scoring import (
    COMPONENTS,
    ORGANISATION_TOP,
    PRODUCT_TOP,
    OrganisationFeatures,
    ProductFeatures,
    Weights,
    score_pair,
)
from tests.matchmaking.matching.factories import (
    CERT_BITS,
    MARKET_POOL,
    exporter_features,
    product_features,
    weights,
    worlds,
)

PROPERTY = settings(max_examples=50, deadline=None, database=None)


def pair_of(product, exporter, w):
    return score_pair(product, exporter, w)


def others(pair) -> tuple[int, ...]:
    """Every component but product fit."""
    return pair.components[1:]


# --- Range and shape ----------------------------------------------------------------------


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_the_score_is_between_0_and_100_points_and_is_the_sum_of_its_components(p, e, w):
    pair = score_pair(p, e, w)

    assert 0 <= pair.score <= 1000
    assert len(pair.components) == len(COMPONENTS)
    assert pair.score == sum(pair.components)
    for points, weight in zip(pair.components, w.as_points(), strict=True):
        assert 0 <= points <= weight * 10


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_an_organisation_without_interest_in_the_products_chapter_is_no_match(p, e, w):
    e = replace(e, interests=tuple(i for i in e.interests if i[:2] != p.hs_code[:2]))

    pair = score_pair(p, e, w)

    assert pair.score == 0
    assert pair.components == (0, 0, 0, 0, 0, 0)
    assert pair.fit_level == scoring.FIT_NONE


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_a_shared_chapter_earns_at_least_the_chapter_credit(p, e, w):
    e = replace(e, interests=(*e.interests, p.hs_code[:2]))

    pair = score_pair(p, e, w)

    assert pair.fit_level >= scoring.FIT_CHAPTER
    assert pair.components[0] >= w.fit * w.fit_chapter_pct * 10 // 100


def test_a_perfect_pair_scores_100_points_and_an_empty_profile_asks_for_nothing():
    w = Weights(month=3)
    product = ProductFeatures(
        1, 1, "030633", export_ready=True, capacity_kg=5000, distance_km=10, readiness=100
    )
    organisation = OrganisationFeatures(1, 1, ("030633",))

    pair = score_pair(product, organisation, w)

    assert pair.score == 1000
    assert pair.components == tuple(points * 10 for points in w.as_points())
    assert pair.fit_level == scoring.FIT_SUBHEADING


def test_the_components_of_a_known_pair():
    """Worked out by hand from the default weights."""
    w = Weights(month=1)
    product = ProductFeatures(
        7,
        1,
        "030633",
        capacity_kg=1200,  # more than the 1,000 kg needed
        certificates=0b01,  # one of the two required
        ready_markets=1 << 5,  # one of the two markets
        province=2,
        distance_km=800,  # half-way between 100 and 1,500 km
        readiness=60,
        available_months=0b001,  # January only: 1 of the 3 coming months
    )
    organisation = OrganisationFeatures(
        3,
        1,
        ("0306",),
        min_order_kg=1000,
        required_certificates=0b11,
        markets=(5, 9),
        preferred_provinces=1 << 4,  # not the product's
    )

    pair = score_pair(product, organisation, w)

    assert pair.fit_level == scoring.FIT_HEADING
    assert pair.components == (
        30 * 700 // 100,  # heading: 70 %
        15 * 1000 // 100,  # the whole volume
        15 * 500 // 100,  # half the certificates
        10 * 500 // 100,  # half the markets
        15 * ((500 * 60 + 0 * 40) // 100) // 100,  # distance 50 %, outside the preferred area
        15 * ((600 * 70 + 333 * 30) // 100) // 100,  # readiness 60 %, season 1 of 3 months
    )
    assert pair.score == sum(pair.components)


# --- Monotonicity: more of a good thing never lowers the score ----------------------------


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.sampled_from(CERT_BITS))
def test_holding_a_certificate_the_organisation_requires_never_lowers_the_score(p, e, w, bit):
    e = replace(e, required_certificates=e.required_certificates | 1 << bit)
    without = replace(p, certificates=p.certificates & ~(1 << bit))
    with_it = replace(p, certificates=p.certificates | 1 << bit)

    assert score_pair(with_it, e, w).score >= score_pair(without, e, w).score


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.sampled_from(CERT_BITS))
def test_requiring_a_certificate_the_product_holds_never_lowers_the_score(p, e, w, bit):
    p = replace(p, certificates=p.certificates | 1 << bit)
    before = replace(e, required_certificates=e.required_certificates & ~(1 << bit))
    after = replace(e, required_certificates=e.required_certificates | 1 << bit)

    assert score_pair(p, after, w).score >= score_pair(p, before, w).score


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.sampled_from(CERT_BITS))
def test_a_certificate_nobody_asked_for_changes_nothing(p, e, w, bit):
    e = replace(e, required_certificates=e.required_certificates & ~(1 << bit))
    with_it = replace(p, certificates=p.certificates | 1 << bit)
    without = replace(p, certificates=p.certificates & ~(1 << bit))

    assert score_pair(with_it, e, w) == score_pair(without, e, w)


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_a_finer_hs_match_never_scores_below_a_coarser_one_everything_else_equal(p, e, w):
    code = p.hs_code
    subheading = score_pair(p, replace(e, interests=(code,)), w)
    heading = score_pair(p, replace(e, interests=(code[:4],)), w)
    chapter = score_pair(p, replace(e, interests=(code[:2],)), w)
    other_heading = "99" if code[2:4] == "98" else "98"
    same_chapter_only = score_pair(p, replace(e, interests=(code[:2] + other_heading,)), w)

    assert (subheading.fit_level, heading.fit_level, chapter.fit_level) == (3, 2, 1)
    assert same_chapter_only.fit_level == scoring.FIT_CHAPTER
    assert subheading.score >= heading.score >= chapter.score == same_chapter_only.score
    assert others(subheading) == others(heading) == others(chapter)


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_the_finest_of_several_interests_counts(p, e, w):
    code = p.hs_code
    mixed = replace(e, interests=tuple(sorted({code[:2], code[:4], code, "9999"})))

    assert score_pair(p, mixed, w) == score_pair(p, replace(e, interests=(code,)), w)


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.sampled_from(MARKET_POOL))
def test_documents_for_one_more_destination_market_never_lower_the_score(p, e, w, market):
    e = replace(e, markets=tuple(sorted(set(e.markets) | {market})))
    without = replace(p, ready_markets=p.ready_markets & ~(1 << market))
    with_it = replace(p, ready_markets=p.ready_markets | 1 << market)

    assert score_pair(with_it, e, w).score >= score_pair(without, e, w).score


@PROPERTY
@given(
    product_features(), exporter_features(), weights(), st.integers(0, 5000), st.integers(0, 5000)
)
def test_a_shorter_distance_to_the_gateway_never_lowers_the_score(p, e, w, d1, d2):
    near, far = sorted((d1, d2))

    assert (
        score_pair(replace(p, distance_km=near), e, w).score
        >= score_pair(replace(p, distance_km=far), e, w).score
    )


@PROPERTY
@given(
    product_features(),
    exporter_features(),
    weights(),
    st.integers(0, 300_000),
    st.integers(0, 300_000),
)
def test_a_larger_capacity_never_lowers_the_score(p, e, w, c1, c2):
    small, large = sorted((c1, c2))

    assert (
        score_pair(replace(p, capacity_kg=large), e, w).score
        >= score_pair(replace(p, capacity_kg=small), e, w).score
    )


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.integers(0, 100_000))
def test_a_larger_minimum_order_never_raises_the_score(p, e, w, more):
    p = replace(p, capacity_kg=abs(p.capacity_kg))
    larger = replace(e, min_order_kg=e.min_order_kg + more)

    assert score_pair(p, larger, w).score <= score_pair(p, e, w).score


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.integers(0, 100), st.integers(0, 100))
def test_a_higher_readiness_never_lowers_the_score(p, e, w, r1, r2):
    low, high = sorted((r1, r2))

    assert (
        score_pair(replace(p, readiness=high), e, w).score
        >= score_pair(replace(p, readiness=low), e, w).score
    )


@PROPERTY
@given(product_features(), exporter_features(), weights(), st.integers(0, 11))
def test_one_more_month_of_harvest_never_lowers_the_score(p, e, w, month):
    more = replace(p, available_months=p.available_months | 1 << month)

    assert score_pair(more, e, w).score >= score_pair(p, e, w).score


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_being_in_a_preferred_province_never_lowers_the_score(p, e, w):
    p = replace(p, province=abs(p.province))
    preferred = replace(e, preferred_provinces=e.preferred_provinces | 1 << p.province)
    elsewhere = replace(
        e,
        preferred_provinces=(e.preferred_provinces & ~(1 << p.province)) or 1 << 62,
        preferred_gateways=0,
    )

    assert score_pair(p, preferred, w).score >= score_pair(p, elsewhere, w).score


@PROPERTY
@given(product_features(), exporter_features(), weights())
def test_the_score_reads_only_features_not_ids_or_versions(p, e, w):
    renamed_p = replace(p, id=p.id + 1, version=p.version + 1)
    renamed_e = replace(e, id=e.id + 1, version=e.version + 1)

    assert score_pair(renamed_p, renamed_e, replace(w, version=w.version + 1)) == score_pair(
        p, e, w
    )


# --- The per-pair reference lists ---------------------------------------------------------


@settings(max_examples=30, deadline=None, database=None)
@given(worlds(max_products=25, max_exporters=8), weights())
def test_the_reference_lists_are_the_best_pairs_above_the_minimum_in_order(world, w):
    products, exporters = world
    by_product, by_exporter = scoring.reference_lists(products, exporters, w)
    floor = w.min_score * 10

    assert set(by_product) == {p.id for p in products}
    assert set(by_exporter) == {e.id for e in exporters}
    ready = {p.id for p in products if p.export_ready}
    for product in products:
        row = by_product[product.id]
        assert len(row) <= PRODUCT_TOP
        keys = [(-pair.score, eid) for eid, pair in row]
        assert keys == sorted(keys) and len({eid for eid, _ in row}) == len(row)
        assert all(pair.score >= floor and pair.score > 0 for _eid, pair in row)
        everyone = sorted(
            (-score_pair(product, e, w).score, e.id)
            for e in exporters
            if 0 < score_pair(product, e, w).score >= floor
        )
        assert keys == everyone[:PRODUCT_TOP]
    for exporter in exporters:
        row = by_exporter[exporter.id]
        assert len(row) <= ORGANISATION_TOP
        assert {pid for pid, _ in row} <= ready
        keys = [(-pair.score, pid) for pid, pair in row]
        assert keys == sorted(keys)


def test_min_score_0_still_leaves_out_pairs_that_score_nothing():
    w = Weights(fit=0, volume=0, certificates=100, markets=0, logistics=0, readiness=0, min_score=0)
    product = ProductFeatures(1, 1, "030633", export_ready=True)
    wants = OrganisationFeatures(2, 1, ("03",), required_certificates=0b1)
    other_chapter = OrganisationFeatures(3, 1, ("15",))

    by_product, by_exporter = scoring.reference_lists([product], [wants, other_chapter], w)

    assert score_pair(product, wants, w).fit_level == scoring.FIT_CHAPTER
    assert by_product == {1: []}
    assert by_exporter == {2: [], 3: []}


# --- Reasons -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["id", "en"])
@PROPERTY
@given(product_features(), exporter_features(), weights(), st.sampled_from((2, 4, 6)))
def test_every_component_has_one_reason_in_the_readers_language(language, p, e, w, level):
    e = replace(e, interests=(*e.interests, p.hs_code[:level]))
    pair = score_pair(p, e, w)

    with translation.override(language):
        text = reasons.reasons(pair.components, w)
        view = reasons.components_view(pair.components, w)

    assert len(text) == len(COMPONENTS)
    assert all(isinstance(line, str) and line.strip() for line in text)
    assert list(view) == list(COMPONENTS)
    for name, points in zip(COMPONENTS, pair.components, strict=True):
        assert view[name]["points"] == points / 10
        assert view[name]["max"] == getattr(w, name)
        assert view[name]["label"].strip()


def test_reasons_say_which_hs_level_matched():
    w = Weights()
    product = ProductFeatures(1, 1, "030633")
    with translation.override("en"):
        lines = {
            interest: reasons.reasons(
                score_pair(product, OrganisationFeatures(1, 1, (interest,)), w).components, w
            )[0]
            for interest in ("030633", "0306", "03")
        }

    assert "subheading" in lines["030633"]
    assert "heading" in lines["0306"] and "subheading" not in lines["0306"]
    assert "chapter" in lines["03"]
