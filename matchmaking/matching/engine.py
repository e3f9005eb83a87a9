"""Computing matches: the kernel over feature tables, and the context every computation reads.

- ``run_kernel``: score every candidate pair of a product table against an organisation table,
  keeping both sides' best lists (``KernelResult``);
- ``context``: the weights in force, the lexicon and the organisations' table, cached per
  process and rebuilt when one of them changes;
- ``product_rows``: a kernel result as the product lists ``store`` writes.

Built on it: ``incremental`` (a product or an organisation changed) and ``chunks`` (a full run,
chunk by chunk, then merged). Organisation lists keep ``ORGANISATION_KEEP`` rows, more than the
``ORGANISATION_TOP`` shown, so that a list can lose a few before it must be recounted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np
from django.utils import timezone

from matchmaking.matching import features, kernel, store
from matchmaking.matching.features import Lexicon, OrganisationTable, ProductTable
from matchmaking.matching.models import MatchWeights
from matchmaking.matching.scoring import (
    ORGANISATION_TOP,
    PRODUCT_TOP,
    OrganisationFeatures,
    ProductFeatures,
    Weights,
)

ORGANISATION_KEEP = ORGANISATION_TOP + 10
_SHARES = kernel.share_table()

# Numba types a compiled function's ``__call__`` without its parameters: typed handles.
_score_block = cast("Callable[..., int]", kernel.score_block)
_fill_exporter_components = cast("Callable[..., None]", kernel.fill_exporter_components)


def weights_array(w: Weights) -> np.ndarray:
    values = [0] * kernel.WEIGHTS_LEN
    values[: len(w.as_points())] = w.as_points()
    values[kernel.W_FIT_HEADING] = w.fit_heading_pct
    values[kernel.W_FIT_CHAPTER] = w.fit_chapter_pct
    values[kernel.W_VOLUME_UNKNOWN] = w.volume_unknown_pct
    values[kernel.W_DIST_FULL] = w.distance_full_km
    values[kernel.W_DIST_ZERO] = w.distance_zero_km
    values[kernel.W_PREF_SHARE] = w.preference_share_pct
    values[kernel.W_SEASON_SHARE] = w.season_share_pct
    values[kernel.W_SEASON_MONTHS] = w.season_months
    values[kernel.W_MONTH] = w.month
    values[kernel.W_MIN_SCORE] = w.min_score
    return np.array(values, dtype=np.int64)


@dataclass
class KernelResult:
    pairs: int
    top_e: np.ndarray  # [products, PRODUCT_TOP] organisation index
    top_s: np.ndarray
    top_c: np.ndarray
    top_n: np.ndarray
    ex_p: np.ndarray  # [organisations, depth] product index
    ex_s: np.ndarray
    ex_c: np.ndarray
    ex_n: np.ndarray


def run_kernel(
    pt: ProductTable, et: OrganisationTable, w: Weights, *, depth: int = ORGANISATION_KEEP
) -> KernelResult:
    """Score every candidate pair of ``pt`` x ``et``, keeping both sides' best lists."""
    n, m = len(pt), max(len(et), 1)
    # An organisation's list from these products never holds more than there are products.
    depth = max(1, min(depth, n))
    result = KernelResult(
        pairs=0,
        top_e=np.zeros((n, PRODUCT_TOP), dtype=np.int64),
        top_s=np.zeros((n, PRODUCT_TOP), dtype=np.int64),
        top_c=np.zeros((n, PRODUCT_TOP, 6), dtype=np.int64),
        top_n=np.zeros(n, dtype=np.int64),
        ex_p=np.zeros((m, depth), dtype=np.int64),
        ex_s=np.zeros((m, depth), dtype=np.int64),
        ex_c=np.zeros((m, depth, 6), dtype=np.int64),
        ex_n=np.zeros(m, dtype=np.int64),
    )
    if not len(et) or not n:
        return result
    W = weights_array(w)
    for chapter, lo, hi in pt.chapter_runs():
        result.pairs += score_chunk(pt, et, W, lo, hi, chapter, result)
    fill_exporter_components(pt, et, W, result)
    return result


def fill_exporter_components(
    pt: ProductTable, et: OrganisationTable, W: np.ndarray, r: KernelResult
) -> None:
    _fill_exporter_components(
        pt.chapter,
        pt.head,
        pt.sub,
        pt.cap,
        pt.certs,
        pt.markets,
        pt.province,
        pt.gateway,
        pt.dist,
        pt.readiness,
        pt.months,
        et.ch_start,
        et.ch_end,
        *_candidate_arrays(et),
        W,
        _SHARES,
        r.ex_p,
        r.ex_c,
        r.ex_n,
    )


def _candidate_arrays(et: OrganisationTable) -> tuple[np.ndarray, ...]:
    """The organisations' columns in the order both kernels take them."""
    return (
        et.ent_exporter,
        et.ent_head_lo,
        et.ent_head_hi,
        et.ent_sub_start,
        et.ent_sub_end,
        et.ent_subs,
        et.need,
        et.certs,
        et.certs_n,
        et.mk_start,
        et.mk_end,
        et.markets,
        et.pref_prov,
        et.pref_gw,
    )


def score_chunk(
    pt: ProductTable,
    et: OrganisationTable,
    W: np.ndarray,
    lo: int,
    hi: int,
    chapter: int,
    r: KernelResult,
) -> int:
    return _score_block(
        lo,
        hi,
        int(et.ch_start[chapter]),
        int(et.ch_end[chapter]),
        pt.ids,
        pt.head,
        pt.sub,
        pt.cap,
        pt.certs,
        pt.markets,
        pt.province,
        pt.gateway,
        pt.dist,
        pt.readiness,
        pt.months,
        pt.ready,
        *_candidate_arrays(et),
        W,
        _SHARES,
        r.top_e,
        r.top_s,
        r.top_c,
        r.top_n,
        r.ex_p,
        r.ex_s,
        r.ex_c,
        r.ex_n,
    )


def warm_up() -> None:
    """Compile the kernel (or load it from the on-disk cache) before the first real call."""
    w = Weights()
    pt = features.product_table([ProductFeatures(1, 1, "030633", export_ready=True)])
    et = features.exporter_table([OrganisationFeatures(1, 1, ("0306",))], w)
    run_kernel(pt, et, w)


# --- context: weights, lexicon and the organisations, cached per process -------------------


@dataclass
class Context:
    weights: Weights
    lexicon: Lexicon
    exporters: OrganisationTable
    features: dict[int, OrganisationFeatures]
    key: tuple[tuple[int, int, int], Weights]


_context: Context | None = None


def get_or_create_current_weights() -> MatchWeights:
    """The weights row in force; the defaults are saved as the first row when there is none."""
    row = MatchWeights.objects.order_by("-pk").first()
    return row or MatchWeights.objects.create()


def context() -> Context:
    """Weights, lexicon and the organisations' table; rebuilt only when one of them changed."""
    global _context
    w = features.weights_from(get_or_create_current_weights())
    lexicon = features.load_lexicon()
    key = (features.exporters_signature(), w)
    if _context is None or _context.key != key or _context.lexicon != lexicon:
        exporters = features.load_exporters(lexicon)
        _context = Context(
            weights=w,
            lexicon=lexicon,
            exporters=features.exporter_table(exporters, w),
            features={e.id: e for e in exporters},
            key=key,
        )
    return _context


def forget_context() -> None:
    global _context
    _context = None


def fingerprint(exporter: OrganisationFeatures) -> str:
    """Changes whenever anything the organisation's scores depend on changes."""
    data = repr({**exporter.__dict__, "version": 0}).encode()
    return hashlib.sha1(data).hexdigest()


def product_rows(
    pt: ProductTable, et: OrganisationTable, r: KernelResult, w: Weights
) -> Iterator[store.ProductRow]:
    """The products' lists of a kernel result, as ``store`` writes them."""
    now = timezone.now()
    for i in range(len(pt)):
        n = int(r.top_n[i])
        yield store.ProductRow(
            product_id=int(pt.ids[i]),
            product_version=int(pt.versions[i]),
            weights_version=w.version,
            best_score=int(r.top_s[i, 0]) if n else 0,
            size=n,
            entries=store.pack(et.ids[r.top_e[i, :n]], r.top_s[i, :n], r.top_c[i, :n]),
            computed_at=now,
        )
