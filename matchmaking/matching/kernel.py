"""The score of ``scoring.score_pair`` compiled with Numba over whole blocks of pairs.

A block is a run of products of one HS chapter against every organisation interested in that
chapter (the candidates: any other pair scores 0). For each product it keeps the best
organisations (as many as ``top_s`` has columns); for each organisation, the best export-ready
products (as many as ``ex_s`` has columns). The arithmetic is the specification's, integer for integer; the
per-product parts (distance, readiness and season) are worked out once per product rather than
once per pair, and shares are looked up in a table instead of divided.

Compiled on first use and cached on disk (``cache=True``); ``warm_up()`` compiles it ahead of
the first real call (workers do this when they start). ``nogil`` lets two threads share it.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Indexes into the weights array handed to the kernel.
W_FIT, W_VOLUME, W_CERTS, W_MARKETS, W_LOGISTICS, W_READINESS = range(6)
(
    W_FIT_HEADING,
    W_FIT_CHAPTER,
    W_VOLUME_UNKNOWN,
    W_DIST_FULL,
    W_DIST_ZERO,
    W_PREF_SHARE,
    W_SEASON_SHARE,
    W_SEASON_MONTHS,
    W_MONTH,
    W_MIN_SCORE,
) = range(6, 16)
WEIGHTS_LEN = 16

# share_table[wanted, held] == held * 1000 // wanted (row 0 unused: nothing wanted is 1000).
SHARE_TABLE_SIZE = 257


def share_table() -> np.ndarray:
    table = np.zeros((SHARE_TABLE_SIZE, SHARE_TABLE_SIZE), dtype=np.int64)
    for wanted in range(1, SHARE_TABLE_SIZE):
        for held in range(wanted + 1):
            table[wanted, held] = held * 1000 // wanted
    return table


@njit(cache=True, nogil=True, inline="always")
def _bits(x):
    count = 0
    while x:
        x &= x - np.uint64(1)
        count += 1
    return count


@njit(cache=True, nogil=True)
def _product_parts(p, W, p_dist, p_readiness, p_months):
    """Distance and readiness per-mille of one product (the parts that do not depend on the
    organisation)."""
    d = p_dist[p]
    full = W[W_DIST_FULL]
    zero = W[W_DIST_ZERO]
    if d < 0:
        dist_pm = 500
    elif d <= full:
        dist_pm = 1000
    elif d >= zero:
        dist_pm = 0
    else:
        dist_pm = (zero - d) * 1000 // (zero - full)
    n_months = W[W_SEASON_MONTHS]
    available = 0
    for ahead in range(n_months):
        if (p_months[p] >> ((W[W_MONTH] - 1 + ahead) % 12)) & 1:
            available += 1
    season_pm = available * 1000 // n_months
    share = W[W_SEASON_SHARE]
    ready_pm = (p_readiness[p] * 10 * (100 - share) + season_pm * share) // 100
    return dist_pm, ready_pm


@njit(cache=True, nogil=True)
def _insert(scores, items, comps, row, n, depth, total, item, c):
    """Insert into a row kept in descending score order (a new item goes after equal ones)."""
    pos = n if n < depth else depth - 1
    while pos > 0 and scores[row, pos - 1] < total:
        if pos < depth:
            scores[row, pos] = scores[row, pos - 1]
            items[row, pos] = items[row, pos - 1]
            for j in range(6):
                comps[row, pos, j] = comps[row, pos - 1, j]
        pos -= 1
    scores[row, pos] = total
    items[row, pos] = item
    for j in range(6):
        comps[row, pos, j] = c[j]
    return n + 1 if n < depth else n


@njit(cache=True, nogil=True)
def _insert_by_id(scores, items, comps, row, n, depth, total, item, c, ids):
    """As ``_insert``, but ties go to the lower id (lists fed by several blocks)."""
    pos = n if n < depth else depth - 1
    while pos > 0 and (
        scores[row, pos - 1] < total
        or (scores[row, pos - 1] == total and ids[items[row, pos - 1]] > ids[item])
    ):
        if pos < depth:
            scores[row, pos] = scores[row, pos - 1]
            items[row, pos] = items[row, pos - 1]
            for j in range(6):
                comps[row, pos, j] = comps[row, pos - 1, j]
        pos -= 1
    scores[row, pos] = total
    items[row, pos] = item
    for j in range(6):
        comps[row, pos, j] = c[j]
    return n + 1 if n < depth else n


@njit(cache=True, nogil=True)
def score_block(
    lo,
    hi,
    ent_lo,
    ent_hi,
    # products
    p_id,
    p_head,
    p_sub,
    p_cap,
    p_certs,
    p_markets,
    p_province,
    p_gateway,
    p_dist,
    p_readiness,
    p_months,
    p_ready,
    # candidate entries of the chapter
    ent_exporter,
    ent_head_lo,
    ent_head_hi,
    ent_sub_start,
    ent_sub_end,
    ent_subs,
    # organisations
    e_need,
    e_certs,
    e_certs_n,
    e_mk_start,
    e_mk_end,
    e_markets,
    e_pref_prov,
    e_pref_gw,
    W,
    shares,
    # outputs
    top_e,
    top_s,
    top_c,
    top_n,
    ex_p,
    ex_s,
    ex_c,
    ex_n,
):
    """Score products ``lo:hi`` against entries ``ent_lo:ent_hi``; returns the pairs scored.

    The organisation is the outer loop: everything about it is worked out once, and the inner
    loop streams through the block's products (contiguous arrays). ``top_*`` rows are indexed
    by product index, ``ex_*`` rows by organisation index; both lists stay sorted by score,
    ties to the lower id.
    """
    floor = W[W_MIN_SCORE] * 10
    w_fit = W[W_FIT]
    w_vol = W[W_VOLUME]
    w_cert = W[W_CERTS]
    w_mk = W[W_MARKETS]
    w_log = W[W_LOGISTICS]
    w_ready = W[W_READINESS]
    c_fit_sub = w_fit * 1000 // 100
    c_fit_head = w_fit * (W[W_FIT_HEADING] * 10) // 100
    c_fit_chapter = w_fit * (W[W_FIT_CHAPTER] * 10) // 100
    c_vol_full = w_vol * 1000 // 100
    c_vol_unknown = w_vol * (W[W_VOLUME_UNKNOWN] * 10) // 100
    pref_share = W[W_PREF_SHARE]
    p_depth = top_s.shape[1]
    e_depth = ex_s.shape[1]
    n_block = hi - lo
    # Per product: the parts that do not depend on the organisation, and the list threshold
    # (a pair enters the product's list when it scores above it).
    c_log_pref = np.empty(n_block, dtype=np.int64)
    c_log_nopref = np.empty(n_block, dtype=np.int64)
    c_ready = np.empty(n_block, dtype=np.int64)
    threshold = np.empty(n_block, dtype=np.int64)
    entry_floor = max(floor - 1, 0)
    for i in range(n_block):
        p = lo + i
        dist_pm, ready_pm = _product_parts(p, W, p_dist, p_readiness, p_months)
        c_log_pref[i] = w_log * ((dist_pm * (100 - pref_share) + 1000 * pref_share) // 100) // 100
        c_log_nopref[i] = w_log * ((dist_pm * (100 - pref_share)) // 100) // 100
        c_ready[i] = w_ready * ready_pm // 100
        n = top_n[p]
        threshold[i] = top_s[p, p_depth - 1] if n == p_depth else entry_floor
    comps = np.empty(6, dtype=np.int64)
    for k in range(ent_lo, ent_hi):
        e = ent_exporter[k]
        head_lo = ent_head_lo[k]
        head_hi = ent_head_hi[k]
        s0 = ent_sub_start[k]
        s1 = ent_sub_end[k]
        need = e_need[e]
        req = e_certs[e]
        wanted = e_certs_n[e]
        c_cert_none = w_cert * 10
        m0 = e_mk_start[e]
        m1 = e_mk_end[e]
        n_markets = m1 - m0
        pp = e_pref_prov[e]
        pg = e_pref_gw[e]
        no_pref = pp == 0 and pg == 0
        # The organisation's own list: its threshold and size, kept in locals.
        m = ex_n[e]
        last = e_depth - 1
        e_threshold = ex_s[e, last] if m == e_depth else entry_floor
        e_last_id = p_id[ex_p[e, last]] if m == e_depth else -1
        for i in range(n_block):
            p = lo + i
            # Product fit: subheading, else heading, else (a candidate) the chapter.
            c_fit = c_fit_chapter
            sub = p_sub[p]
            found = False
            for j in range(s0, s1):
                if ent_subs[j] == sub:
                    found = True
                    break
            if found:
                c_fit = c_fit_sub
            else:
                head = p_head[p]
                if head >= 0:
                    if head < 64:
                        if (head_lo >> np.uint64(head)) & np.uint64(1):
                            c_fit = c_fit_head
                    elif (head_hi >> np.uint64(head - 64)) & np.uint64(1):
                        c_fit = c_fit_head
            # Volume.
            cap = p_cap[p]
            if need <= 0 or cap >= need:
                c_vol = c_vol_full
            elif cap < 0:
                c_vol = c_vol_unknown
            else:
                c_vol = w_vol * (cap * 1000 // need) // 100
            # Certificates.
            if wanted == 0:
                c_cert = c_cert_none
            else:
                c_cert = w_cert * shares[wanted, _bits(req & p_certs[p])] // 100
            # Markets.
            if n_markets == 0:
                c_mk = w_mk * 10
            else:
                held = 0
                for j in range(m0, m1):
                    mk = e_markets[j]
                    if (p_markets[p, mk >> 6] >> np.uint64(mk & 63)) & np.uint64(1):
                        held += 1
                c_mk = w_mk * shares[n_markets, held] // 100
            # Logistics: distance, and the organisation's preferred provinces or gateways.
            if no_pref:
                c_log = c_log_pref[i]
            else:
                prov = p_province[p]
                gw = p_gateway[p]
                if (prov >= 0 and (pp >> np.uint64(prov)) & np.uint64(1)) or (
                    gw >= 0 and (pg >> np.uint64(gw)) & np.uint64(1)
                ):
                    c_log = c_log_pref[i]
                else:
                    c_log = c_log_nopref[i]
            total = c_fit + c_vol + c_cert + c_mk + c_log + c_ready[i]
            enters_product = total > threshold[i]
            enters_exporter = p_ready[p] and (
                total > e_threshold or (total == e_threshold and m == e_depth and p_id[p] < e_last_id)
            )
            if not enters_product and not enters_exporter:
                continue
            comps[0] = c_fit
            comps[1] = c_vol
            comps[2] = c_cert
            comps[3] = c_mk
            comps[4] = c_log
            comps[5] = c_ready[i]
            if enters_product:
                n = _insert(top_s, top_e, top_c, p, top_n[p], p_depth, total, e, comps)
                top_n[p] = n
                if n == p_depth:
                    threshold[i] = top_s[p, p_depth - 1]
            if enters_exporter:
                m = _insert_by_id(ex_s, ex_p, ex_c, e, m, e_depth, total, p, comps, p_id)
                if m == e_depth:
                    e_threshold = ex_s[e, last]
                    e_last_id = p_id[ex_p[e, last]]
        ex_n[e] = m
    return n_block * (ent_hi - ent_lo)
