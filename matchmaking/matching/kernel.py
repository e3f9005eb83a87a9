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
def _insert(scores, items, row, n, depth, total, item):
    """Insert into a row kept in descending score order (a new item goes after equal ones).

    Only scores and items move; components are worked out once the lists are final. The place
    is found by binary search, then the tail moves down in one plain copy loop."""
    lo_, hi_ = 0, n
    while lo_ < hi_:
        mid = (lo_ + hi_) >> 1
        if scores[row, mid] >= total:
            lo_ = mid + 1
        else:
            hi_ = mid
    end = n if n < depth else depth - 1
    for j in range(end, lo_, -1):
        scores[row, j] = scores[row, j - 1]
        items[row, j] = items[row, j - 1]
    scores[row, lo_] = total
    items[row, lo_] = item
    return n + 1 if n < depth else n


@njit(cache=True, nogil=True)
def _insert_by_id(scores, items, row, n, depth, total, item, ids):
    """As ``_insert``, but ties go to the lower id (lists fed by several blocks)."""
    key = ids[item]
    lo_, hi_ = 0, n
    while lo_ < hi_:
        mid = (lo_ + hi_) >> 1
        s = scores[row, mid]
        if s > total or (s == total and ids[items[row, mid]] < key):
            lo_ = mid + 1
        else:
            hi_ = mid
    end = n if n < depth else depth - 1
    for j in range(end, lo_, -1):
        scores[row, j] = scores[row, j - 1]
        items[row, j] = items[row, j - 1]
    scores[row, lo_] = total
    items[row, lo_] = item
    return n + 1 if n < depth else n


UNROLL = 4  # subheadings, certificates and markets of an organisation handled without loops
TILE = 2048  # products scored together against each organisation


@njit(cache=True, nogil=True, error_model="numpy")
def _totals(
    n_block,
    tot,
    sub,
    hbit_lo,
    hbit_hi,
    cap,
    certs,
    mk_a,
    mk_b,
    mk_c,
    mk_d,
    prov_bit,
    gw_bit,
    c_log_pref,
    c_log_nopref,
    c_ready,
    sa,
    sb,
    sc,
    sd,
    head_lo,
    head_hi,
    fit_sub,
    fit_head,
    fit_chapter,
    need,
    need2,
    need4,
    need10,
    vol_full,
    vol_half,
    vol_quarter,
    vol_tenth,
    vol_unknown,
    ra,
    rb,
    rc,
    rd,
    cert0,
    cert1,
    cert2,
    cert3,
    cert4,
    ba,
    bb,
    bc,
    bd,
    mk0,
    mk1,
    mk2,
    mk3,
    mk4,
    pp,
    pg,
    no_pref,
    threshold,
    ready,
    e_flag,
    flag,
):
    """Scores of one organisation against a tile of products, into ``tot``.

    ``flag`` marks the products whose score may enter a list (theirs: above ``threshold``; the
    organisation's: from ``e_flag``, export-ready ones only); returns how many are flagged, so
    that a tile where nothing enters costs nothing more.

    Compares, bit tests and selects only (no division, no inner loop, no data-dependent
    branch), so LLVM vectorises the loop; the organisation's up-to-four subheadings,
    certificates and markets are unrolled (absent ones padded so that they never match).
    """
    zero = np.uint64(0)
    flagged = 0
    for i in range(n_block):
        s = sub[i]
        found = (s == sa) | (s == sb) | (s == sc) | (s == sd)
        in_heading = ((head_lo & hbit_lo[i]) | (head_hi & hbit_hi[i])) != zero
        c_fit = fit_sub if found else (fit_head if in_heading else fit_chapter)
        c = cap[i]
        if c >= need:
            c_vol = vol_full
        elif c < 0:
            c_vol = vol_unknown
        elif c >= need2:
            c_vol = vol_half
        elif c >= need4:
            c_vol = vol_quarter
        elif c >= need10:
            c_vol = vol_tenth
        else:
            c_vol = 0
        ce = certs[i]
        held = (
            np.int64((ce & ra) != zero)
            + np.int64((ce & rb) != zero)
            + np.int64((ce & rc) != zero)
            + np.int64((ce & rd) != zero)
        )
        if held == 0:
            c_cert = cert0
        elif held == 1:
            c_cert = cert1
        elif held == 2:
            c_cert = cert2
        elif held == 3:
            c_cert = cert3
        else:
            c_cert = cert4
        held_mk = (
            np.int64((mk_a[i] & ba) != zero)
            + np.int64((mk_b[i] & bb) != zero)
            + np.int64((mk_c[i] & bc) != zero)
            + np.int64((mk_d[i] & bd) != zero)
        )
        if held_mk == 0:
            c_mk = mk0
        elif held_mk == 1:
            c_mk = mk1
        elif held_mk == 2:
            c_mk = mk2
        elif held_mk == 3:
            c_mk = mk3
        else:
            c_mk = mk4
        preferred = no_pref | (((pp & prov_bit[i]) | (pg & gw_bit[i])) != zero)
        c_log = c_log_pref[i] if preferred else c_log_nopref[i]
        t = c_fit + c_vol + c_cert + c_mk + c_log + c_ready[i]
        tot[i] = t
        f = np.int64(t > threshold[i]) | (ready[i] & np.int64(t >= e_flag))
        flag[i] = f
        flagged += f
    return flagged


@njit(cache=True, nogil=True)
def _pair(
    p,
    i,
    e,
    k,
    W,
    shares,
    p_head,
    p_sub,
    p_cap,
    p_certs,
    p_markets,
    p_province,
    p_gateway,
    ent_head_lo,
    ent_head_hi,
    ent_sub_start,
    ent_sub_end,
    ent_subs,
    e_need,
    e_certs,
    e_certs_n,
    e_mk_start,
    e_mk_end,
    e_markets,
    e_pref_prov,
    e_pref_gw,
    c_log_pref,
    c_log_nopref,
    c_ready,
    comps,
):
    """One pair's components, the plain way (organisations too big to unroll, and inserts)."""
    w_fit = W[W_FIT]
    c_fit = w_fit * (W[W_FIT_CHAPTER] * 10) // 100
    found = False
    for j in range(ent_sub_start[k], ent_sub_end[k]):
        if ent_subs[j] == p_sub[p]:
            found = True
            break
    head = p_head[p]
    if found:
        c_fit = w_fit * 1000 // 100
    elif head >= 0:
        if head < 64:
            if (ent_head_lo[k] >> np.uint64(head)) & np.uint64(1):
                c_fit = w_fit * (W[W_FIT_HEADING] * 10) // 100
        elif (ent_head_hi[k] >> np.uint64(head - 64)) & np.uint64(1):
            c_fit = w_fit * (W[W_FIT_HEADING] * 10) // 100
    w_vol = W[W_VOLUME]
    need = e_need[e]
    cap = p_cap[p]
    if need <= 0 or cap >= need:
        c_vol = w_vol * 10
    elif cap < 0:
        c_vol = w_vol * (W[W_VOLUME_UNKNOWN] * 10) // 100
    elif cap * 2 >= need:
        c_vol = w_vol * 750 // 100
    elif cap * 4 >= need:
        c_vol = w_vol * 500 // 100
    elif cap * 10 >= need:
        c_vol = w_vol * 250 // 100
    else:
        c_vol = 0
    wanted = e_certs_n[e]
    if wanted == 0:
        c_cert = W[W_CERTS] * 10
    else:
        c_cert = W[W_CERTS] * shares[wanted, _bits(e_certs[e] & p_certs[p])] // 100
    m0 = e_mk_start[e]
    m1 = e_mk_end[e]
    if m1 == m0:
        c_mk = W[W_MARKETS] * 10
    else:
        held = 0
        for j in range(m0, m1):
            mk = e_markets[j]
            if (p_markets[p, mk >> 6] >> np.uint64(mk & 63)) & np.uint64(1):
                held += 1
        c_mk = W[W_MARKETS] * shares[m1 - m0, held] // 100
    pp = e_pref_prov[e]
    pg = e_pref_gw[e]
    prov = p_province[p]
    gw = p_gateway[p]
    if (pp == 0 and pg == 0) or (
        (prov >= 0 and (pp >> np.uint64(prov)) & np.uint64(1))
        or (gw >= 0 and (pg >> np.uint64(gw)) & np.uint64(1))
    ):
        c_log = c_log_pref[i]
    else:
        c_log = c_log_nopref[i]
    comps[0] = c_fit
    comps[1] = c_vol
    comps[2] = c_cert
    comps[3] = c_mk
    comps[4] = c_log
    comps[5] = c_ready[i]
    return c_fit + c_vol + c_cert + c_mk + c_log + c_ready[i]


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

    Fills the components of the products' lists; those of the organisations' lists, which
    several blocks feed, are filled once at the end by ``fill_exporter_components``.

    The organisation is the outer loop: everything about it is worked out once, then
    ``_totals`` scores the whole block for it in one vectorised pass, and only the few products
    that enter a list are looked at again. ``top_*`` rows are indexed by product index,
    ``ex_*`` rows by organisation index; both lists stay sorted by score, ties to the lower id.
    """
    floor = W[W_MIN_SCORE] * 10
    w_fit = W[W_FIT]
    w_vol = W[W_VOLUME]
    w_cert = W[W_CERTS]
    w_mk = W[W_MARKETS]
    w_log = W[W_LOGISTICS]
    w_ready = W[W_READINESS]
    c_fit3 = np.array(
        [
            w_fit * 1000 // 100,
            w_fit * (W[W_FIT_HEADING] * 10) // 100,
            w_fit * (W[W_FIT_CHAPTER] * 10) // 100,
        ],
        dtype=np.int64,
    )
    c_vol_full = w_vol * 1000 // 100
    c_vol_unknown = w_vol * (W[W_VOLUME_UNKNOWN] * 10) // 100
    c_vol_half = w_vol * 750 // 100
    c_vol_quarter = w_vol * 500 // 100
    c_vol_tenth = w_vol * 250 // 100
    pref_share = W[W_PREF_SHARE]
    p_depth = top_s.shape[1]
    e_depth = ex_s.shape[1]
    n_block = hi - lo
    # The block's products as contiguous, precomputed columns.
    sub = np.empty(n_block, dtype=np.int64)
    hbit_lo = np.zeros(n_block, dtype=np.uint64)
    hbit_hi = np.zeros(n_block, dtype=np.uint64)
    cap = np.empty(n_block, dtype=np.int64)
    certs = np.empty(n_block, dtype=np.uint64)
    mk_words = np.zeros((5, n_block), dtype=np.uint64)  # row 4 stays zero (padding)
    prov_bit = np.zeros(n_block, dtype=np.uint64)
    gw_bit = np.zeros(n_block, dtype=np.uint64)
    c_log_pref = np.empty(n_block, dtype=np.int64)
    c_log_nopref = np.empty(n_block, dtype=np.int64)
    c_ready = np.empty(n_block, dtype=np.int64)
    threshold = np.empty(n_block, dtype=np.int64)
    tot = np.empty(TILE, dtype=np.int64)
    flag = np.empty(TILE, dtype=np.int64)
    ready_blk = np.empty(n_block, dtype=np.int64)
    entry_floor = max(floor - 1, 0)
    one = np.uint64(1)
    for i in range(n_block):
        p = lo + i
        dist_pm, ready_pm = _product_parts(p, W, p_dist, p_readiness, p_months)
        c_log_pref[i] = w_log * ((dist_pm * (100 - pref_share) + 1000 * pref_share) // 100) // 100
        c_log_nopref[i] = w_log * ((dist_pm * (100 - pref_share)) // 100) // 100
        c_ready[i] = w_ready * ready_pm // 100
        threshold[i] = top_s[p, p_depth - 1] if top_n[p] == p_depth else entry_floor
        sub[i] = p_sub[p]
        ready_blk[i] = 1 if p_ready[p] else 0
        head = p_head[p]
        if 0 <= head < 64:
            hbit_lo[i] = one << np.uint64(head)
        elif head >= 64:
            hbit_hi[i] = one << np.uint64(head - 64)
        cap[i] = p_cap[p]
        certs[i] = p_certs[p]
        for w in range(4):
            mk_words[w, i] = p_markets[p, w]
        if p_province[p] >= 0:
            prov_bit[i] = one << np.uint64(p_province[p])
        if p_gateway[p] >= 0:
            gw_bit[i] = one << np.uint64(p_gateway[p])
    comps = np.empty(6, dtype=np.int64)
    subs4 = np.empty(4, dtype=np.int64)
    req4 = np.empty(4, dtype=np.uint64)
    mk_word4 = np.empty(4, dtype=np.int64)
    mk_bit4 = np.empty(4, dtype=np.uint64)
    c_cert_by_held = np.empty(5, dtype=np.int64)
    c_mk_by_held = np.empty(5, dtype=np.int64)
    # Tiles of products small enough to stay in the CPU cache while every organisation of
    # the chapter streams past them (a whole block would be read from memory each time).
    for t0 in range(0, n_block, TILE):
        t1 = min(t0 + TILE, n_block)
        nt = t1 - t0
        for k in range(ent_lo, ent_hi):
            e = ent_exporter[k]
            # The organisation's own list: its threshold and size, kept in locals.
            m = ex_n[e]
            last = e_depth - 1
            e_threshold = ex_s[e, last] if m == e_depth else entry_floor
            e_last_id = p_id[ex_p[e, last]] if m == e_depth else -1
            e_flag = e_threshold if m == e_depth else entry_floor + 1
            need = e_need[e]
            wanted = e_certs_n[e]
            m0 = e_mk_start[e]
            m1 = e_mk_end[e]
            n_markets = m1 - m0
            pp = e_pref_prov[e]
            pg = e_pref_gw[e]
            no_pref = pp == 0 and pg == 0
            s0 = ent_sub_start[k]
            s1 = ent_sub_end[k]
            unrolled = s1 - s0 <= 4 and wanted <= 4 and n_markets <= 4
            if unrolled:
                for j in range(4):
                    subs4[j] = ent_subs[s0 + j] if s0 + j < s1 else -2
                    mk_word4[j] = 4
                    mk_bit4[j] = 0
                    req4[j] = 0
                for j in range(n_markets):
                    mk = e_markets[m0 + j]
                    mk_word4[j] = mk >> 6
                    mk_bit4[j] = one << np.uint64(mk & 63)
                bits = e_certs[e]
                j = 0
                for b in range(64):
                    if (bits >> np.uint64(b)) & one:
                        req4[j] = one << np.uint64(b)
                        j += 1
                for held in range(5):
                    if wanted == 0:
                        c_cert_by_held[held] = w_cert * 10
                    else:
                        c_cert_by_held[held] = w_cert * shares[wanted, min(held, wanted)] // 100
                    if n_markets == 0:
                        c_mk_by_held[held] = w_mk * 10
                    else:
                        c_mk_by_held[held] = w_mk * shares[n_markets, min(held, n_markets)] // 100
                # A capacity covers 1/k of the need when capacity * k >= need, i.e. when it is at
                # least ceil(need / k); no need of 0 or less reaches here with a step below full.
                big = np.int64(1) << np.int64(62)
                need_full = need if need > 0 else -big
                flagged = _totals(
                    nt,
                    tot,
                    sub[t0:t1],
                    hbit_lo[t0:t1],
                    hbit_hi[t0:t1],
                    cap[t0:t1],
                    certs[t0:t1],
                    mk_words[mk_word4[0], t0:t1],
                    mk_words[mk_word4[1], t0:t1],
                    mk_words[mk_word4[2], t0:t1],
                    mk_words[mk_word4[3], t0:t1],
                    prov_bit[t0:t1],
                    gw_bit[t0:t1],
                    c_log_pref[t0:t1],
                    c_log_nopref[t0:t1],
                    c_ready[t0:t1],
                    subs4[0],
                    subs4[1],
                    subs4[2],
                    subs4[3],
                    ent_head_lo[k],
                    ent_head_hi[k],
                    c_fit3[0],
                    c_fit3[1],
                    c_fit3[2],
                    need_full,
                    (need + 1) // 2,
                    (need + 3) // 4,
                    (need + 9) // 10,
                    c_vol_full,
                    c_vol_half,
                    c_vol_quarter,
                    c_vol_tenth,
                    c_vol_unknown,
                    req4[0],
                    req4[1],
                    req4[2],
                    req4[3],
                    c_cert_by_held[0],
                    c_cert_by_held[1],
                    c_cert_by_held[2],
                    c_cert_by_held[3],
                    c_cert_by_held[4],
                    mk_bit4[0],
                    mk_bit4[1],
                    mk_bit4[2],
                    mk_bit4[3],
                    c_mk_by_held[0],
                    c_mk_by_held[1],
                    c_mk_by_held[2],
                    c_mk_by_held[3],
                    c_mk_by_held[4],
                    pp,
                    pg,
                    no_pref,
                    threshold[t0:t1],
                    ready_blk[t0:t1],
                    e_flag,
                    flag,
                )
            else:
                flagged = nt
                for i in range(t0, t1):
                    flag[i - t0] = 1
                    tot[i - t0] = _pair(
                        lo + i,
                        i,
                        e,
                        k,
                        W,
                        shares,
                        p_head,
                        p_sub,
                        p_cap,
                        p_certs,
                        p_markets,
                        p_province,
                        p_gateway,
                        ent_head_lo,
                        ent_head_hi,
                        ent_sub_start,
                        ent_sub_end,
                        ent_subs,
                        e_need,
                        e_certs,
                        e_certs_n,
                        e_mk_start,
                        e_mk_end,
                        e_markets,
                        e_pref_prov,
                        e_pref_gw,
                        c_log_pref,
                        c_log_nopref,
                        c_ready,
                        comps,
                    )
            if flagged == 0:
                continue
            for i in range(t0, t1):
                if not flag[i - t0]:
                    continue
                total = tot[i - t0]
                p = lo + i
                enters_product = total > threshold[i]
                enters_exporter = p_ready[p] and (
                    total > e_threshold
                    or (total == e_threshold and m == e_depth and p_id[p] < e_last_id)
                )
                if enters_product:
                    n = _insert(top_s, top_e, p, top_n[p], p_depth, total, e)
                    top_n[p] = n
                    if n == p_depth:
                        threshold[i] = top_s[p, p_depth - 1]
                if enters_exporter:
                    m = _insert_by_id(ex_s, ex_p, e, m, e_depth, total, p, p_id)
                    if m == e_depth:
                        e_threshold = ex_s[e, last]
                        e_last_id = p_id[ex_p[e, last]]
            ex_n[e] = m
    # Components of the entries now in the lists, pair by pair (a few per product).
    entries = ent_exporter[ent_lo:ent_hi]
    for i in range(n_block):
        p = lo + i
        for j in range(top_n[p]):
            e = top_e[p, j]
            k = ent_lo + np.searchsorted(entries, e)
            _pair(
                p,
                i,
                e,
                k,
                W,
                shares,
                p_head,
                p_sub,
                p_cap,
                p_certs,
                p_markets,
                p_province,
                p_gateway,
                ent_head_lo,
                ent_head_hi,
                ent_sub_start,
                ent_sub_end,
                ent_subs,
                e_need,
                e_certs,
                e_certs_n,
                e_mk_start,
                e_mk_end,
                e_markets,
                e_pref_prov,
                e_pref_gw,
                c_log_pref,
                c_log_nopref,
                c_ready,
                comps,
            )
            for c in range(6):
                top_c[p, j, c] = comps[c]
    return n_block * (ent_hi - ent_lo)


@njit(cache=True, nogil=True)
def fill_exporter_components(
    p_chapter,
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
    ch_start,
    ch_end,
    ent_exporter,
    ent_head_lo,
    ent_head_hi,
    ent_sub_start,
    ent_sub_end,
    ent_subs,
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
    ex_p,
    ex_c,
    ex_n,
):
    """The components of every entry of the organisations' lists, pair by pair."""
    w_log = W[W_LOGISTICS]
    share = W[W_PREF_SHARE]
    log_pref = np.empty(1, dtype=np.int64)
    log_nopref = np.empty(1, dtype=np.int64)
    ready = np.empty(1, dtype=np.int64)
    comps = np.empty(6, dtype=np.int64)
    for e in range(len(ex_n)):
        for j in range(ex_n[e]):
            p = ex_p[e, j]
            ch = p_chapter[p]
            k0 = ch_start[ch]
            k = k0 + np.searchsorted(ent_exporter[k0 : ch_end[ch]], e)
            dist_pm, ready_pm = _product_parts(p, W, p_dist, p_readiness, p_months)
            log_pref[0] = w_log * ((dist_pm * (100 - share) + 1000 * share) // 100) // 100
            log_nopref[0] = w_log * ((dist_pm * (100 - share)) // 100) // 100
            ready[0] = W[W_READINESS] * ready_pm // 100
            _pair(
                p,
                0,
                e,
                k,
                W,
                shares,
                p_head,
                p_sub,
                p_cap,
                p_certs,
                p_markets,
                p_province,
                p_gateway,
                ent_head_lo,
                ent_head_hi,
                ent_sub_start,
                ent_sub_end,
                ent_subs,
                e_need,
                e_certs,
                e_certs_n,
                e_mk_start,
                e_mk_end,
                e_markets,
                e_pref_prov,
                e_pref_gw,
                log_pref,
                log_nopref,
                ready,
                comps,
            )
            for c in range(6):
                ex_c[e, j, c] = comps[c]
