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

    ``top_*`` rows are indexed by product index; ``ex_*`` rows by organisation index. Both keep
    their lists sorted by score, then by index (entries and products come in ascending id
    order, and an equal score never displaces an earlier one).
    """
    floor = W[W_MIN_SCORE] * 10
    w_fit = W[W_FIT]
    w_vol = W[W_VOLUME]
    w_cert = W[W_CERTS]
    w_mk = W[W_MARKETS]
    w_log = W[W_LOGISTICS]
    w_ready = W[W_READINESS]
    fit_pm_heading = W[W_FIT_HEADING] * 10
    fit_pm_chapter = W[W_FIT_CHAPTER] * 10
    unknown_pm = W[W_VOLUME_UNKNOWN] * 10
    pref_share = W[W_PREF_SHARE]
    p_depth = top_s.shape[1]
    e_depth = ex_s.shape[1]
    pairs = 0
    for p in range(lo, hi):
        row = p
        dist_pm, ready_pm = _product_parts(p, W, p_dist, p_readiness, p_months)
        log_pref = w_log * ((dist_pm * (100 - pref_share) + 1000 * pref_share) // 100) // 100
        log_nopref = w_log * ((dist_pm * (100 - pref_share)) // 100) // 100
        c_ready = w_ready * ready_pm // 100
        head = p_head[p]
        sub = p_sub[p]
        cap = p_cap[p]
        certs = p_certs[p]
        prov = p_province[p]
        gw = p_gateway[p]
        ready = p_ready[p]
        n = 0
        kth = -1
        for k in range(ent_lo, ent_hi):
            e = ent_exporter[k]
            # Product fit: subheading, else heading, else (being a candidate) the chapter.
            fit_pm = fit_pm_chapter
            found = False
            if sub >= 0:
                for j in range(ent_sub_start[k], ent_sub_end[k]):
                    if ent_subs[j] == sub:
                        found = True
                        break
            if found:
                fit_pm = 1000
            elif head >= 0:
                if head < 64:
                    if (ent_head_lo[k] >> np.uint64(head)) & np.uint64(1):
                        fit_pm = fit_pm_heading
                elif (ent_head_hi[k] >> np.uint64(head - 64)) & np.uint64(1):
                    fit_pm = fit_pm_heading
            c_fit = w_fit * fit_pm // 100
            # Volume.
            need = e_need[e]
            if need <= 0:
                vol_pm = 1000
            elif cap < 0:
                vol_pm = unknown_pm
            elif cap >= need:
                vol_pm = 1000
            else:
                vol_pm = cap * 1000 // need
            c_vol = w_vol * vol_pm // 100
            # Certificates.
            wanted = e_certs_n[e]
            if wanted == 0:
                c_cert = w_cert * 10
            else:
                c_cert = w_cert * shares[wanted, _bits(e_certs[e] & certs)] // 100
            # Markets.
            m0 = e_mk_start[e]
            m1 = e_mk_end[e]
            if m1 == m0:
                c_mk = w_mk * 10
            else:
                held = 0
                for j in range(m0, m1):
                    m = e_markets[j]
                    if (p_markets[p, m >> 6] >> np.uint64(m & 63)) & np.uint64(1):
                        held += 1
                c_mk = w_mk * shares[m1 - m0, held] // 100
            # Logistics: distance, and the organisation's preferred provinces or gateways.
            pp = e_pref_prov[e]
            pg = e_pref_gw[e]
            if (
                pp == 0
                and pg == 0
                or (prov >= 0 and (pp >> np.uint64(prov)) & np.uint64(1))
                or (gw >= 0 and (pg >> np.uint64(gw)) & np.uint64(1))
            ):
                c_log = log_pref
            else:
                c_log = log_nopref
            total = c_fit + c_vol + c_cert + c_mk + c_log + c_ready
            pairs += 1
            if total < floor or total == 0:
                continue
            # The product's best organisations.
            if n < p_depth or total > kth:
                pos = n if n < p_depth else p_depth - 1
                while pos > 0 and top_s[row, pos - 1] < total:
                    if pos < p_depth:
                        top_e[row, pos] = top_e[row, pos - 1]
                        top_s[row, pos] = top_s[row, pos - 1]
                        for c in range(6):
                            top_c[row, pos, c] = top_c[row, pos - 1, c]
                    pos -= 1
                top_e[row, pos] = e
                top_s[row, pos] = total
                top_c[row, pos, 0] = c_fit
                top_c[row, pos, 1] = c_vol
                top_c[row, pos, 2] = c_cert
                top_c[row, pos, 3] = c_mk
                top_c[row, pos, 4] = c_log
                top_c[row, pos, 5] = c_ready
                if n < p_depth:
                    n += 1
                if n == p_depth:
                    kth = top_s[row, p_depth - 1]
            # The organisation's best export-ready products.
            if ready:
                # Blocks of several chapters feed one list, so ties are broken by product id.
                m = ex_n[e]
                pid = p_id[p]
                last = e_depth - 1
                if (
                    m < e_depth
                    or total > ex_s[e, last]
                    or (total == ex_s[e, last] and pid < p_id[ex_p[e, last]])
                ):
                    pos = m if m < e_depth else last
                    while pos > 0 and (
                        ex_s[e, pos - 1] < total
                        or (ex_s[e, pos - 1] == total and p_id[ex_p[e, pos - 1]] > pid)
                    ):
                        if pos < e_depth:
                            ex_p[e, pos] = ex_p[e, pos - 1]
                            ex_s[e, pos] = ex_s[e, pos - 1]
                            for c in range(6):
                                ex_c[e, pos, c] = ex_c[e, pos - 1, c]
                        pos -= 1
                    ex_p[e, pos] = p
                    ex_s[e, pos] = total
                    ex_c[e, pos, 0] = c_fit
                    ex_c[e, pos, 1] = c_vol
                    ex_c[e, pos, 2] = c_cert
                    ex_c[e, pos, 3] = c_mk
                    ex_c[e, pos, 4] = c_log
                    ex_c[e, pos, 5] = c_ready
                    if m < e_depth:
                        ex_n[e] = m + 1
        top_n[row] = n
    return pairs
