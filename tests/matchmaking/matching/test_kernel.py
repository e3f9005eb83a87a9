"""The compiled kernel gives exactly the per-pair reference: every list, order and component.

``scoring.reference_lists`` scores ALL pairs one by one; the kernel scores only the candidates
of each HS chapter. Equal lists prove that candidate generation never drops a pair that would
enter a product's top 20 (or an organisation's top 50) at or above the minimum worth showing.
Pure: no database.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import Phase, given, settings

from matchmaking.matching import chunks, engine, features, store
from matchmaking.matching.scoring import (
    ORGANISATION_TOP,
    PRODUCT_TOP,
    OrganisationFeatures,
    ProductFeatures,
    Weights,
    reference_lists,
)
from tests.matchmaking.matching.factories import as_rows, random_world, weights, worlds

# No shrinking: a failing world is printed as drawn; shrinking worlds through the compiled
# kernel can take many minutes.
PROPERTY = settings(
    max_examples=50,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def kernel_lists(products, exporters, w, *, depth=engine.ORGANISATION_KEEP):
    """The kernel's lists in the reference's shape: ids, scores and components."""
    pt = features.product_table(products)
    et = features.exporter_table(exporters, w)
    r = engine.run_kernel(pt, et, w, depth=depth)
    by_product = {}
    for i in range(len(pt)):
        n = int(r.top_n[i])
        by_product[int(pt.ids[i])] = [
            (int(et.ids[r.top_e[i, j]]), int(r.top_s[i, j]), tuple(int(c) for c in r.top_c[i, j]))
            for j in range(n)
        ]
    by_exporter = {}
    for e in range(len(et)):
        n = int(r.ex_n[e])
        by_exporter[int(et.ids[e])] = [
            (int(pt.ids[r.ex_p[e, j]]), int(r.ex_s[e, j]), tuple(int(c) for c in r.ex_c[e, j]))
            for j in range(n)
        ]
    return by_product, by_exporter, r


def assert_same_as_reference(products, exporters, w):
    expected_p, expected_e = reference_lists(products, exporters, w)
    got_p, got_e, r = kernel_lists(products, exporters, w)

    assert got_p == {pid: as_rows(rows) for pid, rows in expected_p.items()}
    for eid, rows in expected_e.items():
        # The kernel keeps a few more than the 50 shown; the first 50 are the reference's.
        assert got_e[eid][:ORGANISATION_TOP] == as_rows(rows), f"organisation {eid}"
        assert len(got_e[eid]) <= engine.ORGANISATION_KEEP
    return got_p, got_e, r


@PROPERTY
@given(worlds(), weights())
def test_the_kernel_lists_equal_the_per_pair_reference(world, w):
    assert_same_as_reference(*world, w)


@PROPERTY
@given(worlds(), weights(min_score=0))
def test_with_no_minimum_every_scoring_pair_is_a_candidate(world, w):
    assert_same_as_reference(*world, w)


@PROPERTY
@given(worlds(), weights(min_score=85))
def test_with_a_high_minimum_only_the_best_pairs_are_kept(world, w):
    got_p, got_e, _r = assert_same_as_reference(*world, w)
    assert all(score >= 850 for rows in got_p.values() for _id, score, _c in rows)


@pytest.mark.parametrize(
    ("seed", "min_score"), [(1, 0), (2, 20), (3, 40), (4, 60), (5, 40)], ids=lambda v: str(v)
)
def test_full_lists_and_many_ties_on_a_larger_world(seed, min_score):
    """Enough organisations to fill every product's 20 and enough products to fill the 50 shown
    (and the kept 60); coarse values make many scores equal, so ties decide places."""
    products, exporters = random_world(seed, n_products=260, n_exporters=45)
    w = Weights(min_score=min_score, month=seed)

    got_p, got_e, r = assert_same_as_reference(products, exporters, w)

    assert max(len(rows) for rows in got_p.values()) == PRODUCT_TOP
    assert max(len(rows) for rows in got_e.values()) == engine.ORGANISATION_KEEP
    scores = [score for rows in got_p.values() for _id, score, _c in rows]
    assert len(scores) > len(set(scores)) * 3, "the data should produce many equal scores"


def test_ties_go_to_the_lower_id_on_both_sides_whatever_the_input_order():
    w = Weights(min_score=0)
    # Identical features: every pair scores the same.
    products = [ProductFeatures(pid, 1, "030633", export_ready=True) for pid in (30, 4, 17, 9)]
    exporters = [OrganisationFeatures(eid, 1, ("0306",)) for eid in (8, 2, 5)]

    got_p, got_e, _r = assert_same_as_reference(products, exporters, w)

    assert [eid for eid, _s, _c in got_p[30]] == [2, 5, 8]
    assert [pid for pid, _s, _c in got_e[5]] == [4, 9, 17, 30]


def test_an_organisations_list_fed_by_several_chapters_keeps_each_entrys_components():
    w = Weights(min_score=0)
    products = [
        # Chapter 03 first: a weak crab (small capacity), then a better oil in chapter 15.
        ProductFeatures(5, 1, "030633", export_ready=True, capacity_kg=10, readiness=20),
        ProductFeatures(9, 1, "151590", export_ready=True, capacity_kg=5000, readiness=90),
    ]
    exporters = [OrganisationFeatures(1, 1, ("0306", "15"), min_order_kg=1000)]

    _p, got_e, _r = kernel_lists(products, exporters, w)
    _ep, expected_e = reference_lists(products, exporters, w)

    assert [pid for pid, _s, _c in got_e[1]] == [9, 5]
    assert got_e[1] == as_rows(expected_e[1])


def test_an_organisations_list_across_chapters_breaks_ties_by_product_id():
    """Products come to the kernel chapter by chapter; a product of a later chapter with a lower
    id still ranks first among equal scores."""
    w = Weights(min_score=0, fit_heading_pct=100, fit_chapter_pct=100)
    products = [
        ProductFeatures(50, 1, "030633", export_ready=True),
        ProductFeatures(10, 1, "151590", export_ready=True),
        ProductFeatures(30, 1, "160510", export_ready=True),
    ]
    exporters = [OrganisationFeatures(1, 1, ("03", "15", "16"))]

    _p, got_e, _r = assert_same_as_reference(products, exporters, w)

    assert [pid for pid, _s, _c in got_e[1]] == [10, 30, 50]


def test_a_kept_list_cut_at_its_depth_is_the_head_of_the_full_order():
    products, exporters = random_world(11, n_products=200, n_exporters=6)
    w = Weights(min_score=0)
    _p, deep, _r = kernel_lists(products, exporters, w, depth=200)
    _p, shallow, _r = kernel_lists(products, exporters, w, depth=ORGANISATION_TOP)

    for eid, rows in deep.items():
        assert shallow[eid] == rows[:ORGANISATION_TOP]


def test_scoring_in_chunks_and_merging_gives_the_same_lists():
    """What a full run does: chunks of one chapter and an id range, each with its own kernel
    call, then each organisation's partial lists merged by (score, product id)."""
    products, exporters = random_world(21, n_products=240, n_exporters=30)
    w = Weights(min_score=30)
    et = features.exporter_table(exporters, w)
    by_chapter = {}
    for p in sorted(products, key=lambda p: p.id):
        by_chapter.setdefault(p.hs_code[:2], []).append(p)
    parts, product_lists = [], {}
    for chapter_products in by_chapter.values():
        for start in range(0, len(chapter_products), 17):
            pt = features.product_table(chapter_products[start : start + 17])
            r = engine.run_kernel(pt, et, w)
            parts.append(chunks.partial_records(pt, et, r))
            for i in range(len(pt)):
                n = int(r.top_n[i])
                product_lists[int(pt.ids[i])] = (
                    [int(x) for x in et.ids[r.top_e[i, :n]]],
                    [int(x) for x in r.top_s[i, :n]],
                )
    records = np.concatenate(parts)
    records = records[
        np.lexsort(
            (records["product"], -records["score"].astype(np.int64), records["organisation"])
        )
    ]
    merged = {}
    for rec in records:
        merged.setdefault(int(rec["organisation"]), []).append(
            (int(rec["product"]), int(rec["score"]), tuple(int(c) for c in rec["components"]))
        )

    expected_p, expected_e = reference_lists(products, exporters, w)
    for eid, rows in expected_e.items():
        assert merged.get(eid, [])[:ORGANISATION_TOP] == as_rows(rows)
    for pid, rows in expected_p.items():
        assert product_lists[pid] == ([e for e, _p in rows], [p.score for _e, p in rows])


def test_nothing_to_score():
    w = Weights()
    empty = engine.run_kernel(
        features.product_table([]),
        features.exporter_table([OrganisationFeatures(1, 1, ("03",))], w),
        w,
    )
    assert empty.pairs == 0 and not empty.ex_n.any()

    no_exporters = engine.run_kernel(
        features.product_table([ProductFeatures(1, 1, "030633")]), features.exporter_table([], w), w
    )
    assert no_exporters.pairs == 0 and not no_exporters.top_n.any()


def test_only_candidates_of_the_products_chapter_are_scored():
    w = Weights()
    products = [ProductFeatures(1, 1, "030633"), ProductFeatures(2, 1, "151590")]
    exporters = [
        OrganisationFeatures(1, 1, ("03",)),
        OrganisationFeatures(2, 1, ("0306", "15")),
        OrganisationFeatures(3, 1, ("09",)),
    ]
    pt = features.product_table(products)
    r = engine.run_kernel(pt, features.exporter_table(exporters, w), w)

    assert r.pairs == 3  # crab x {1, 2}, oil x {2}; organisation 3 is never a candidate


@PROPERTY
@given(worlds(max_products=12, max_exporters=10), weights())
def test_packed_product_lists_read_back_as_stored(world, w):
    products, exporters = world
    pt = features.product_table(products)
    et = features.exporter_table(exporters, w)
    r = engine.run_kernel(pt, et, w)
    expected, _e = reference_lists(products, exporters, replace(w))

    for row in engine.product_rows(pt, et, r, w):
        entries = [(m.organisation_id, m.score, m.components) for m in store.unpack(row.entries)]
        assert entries == as_rows(expected[row.product_id])
        assert row.size == len(entries)
        assert row.best_score == (entries[0][1] if entries else 0)
        assert row.weights_version == w.version
