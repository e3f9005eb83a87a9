"""The compiled part of the meeting scheduler (``matchmaking.forums.scheduling``): the moves of
its repair step and tabu search over numpy arrays, compiled by Numba."""

from __future__ import annotations

import numpy as np
from numba import njit

FREE = -1  # a cell of the busy table: the resource is free in that slot
FIXED = -2  # the resource is taken by a confirmed meeting there: never moved

# -- the compiled tabu search (numba) ---------------------------------------------------------------
# The state lives in numpy arrays passed around as one tuple ``g`` (numba compiles a function
# once for that tuple's types); the names below index it. Meetings and options (meeting, slot)
# are numbered; ``BUSY`` is the flat (resource x slot) table, ``MEMBERS[s]`` the first
# ``COUNT[s]`` meetings in slot s, ``OUT`` the first ``STATE[N_OUT]`` meetings out, ``TABU`` per
# option the iteration until which it is tabu, ``TRAIL`` the changes since the last commit.
OPT_START, OPT_SLOT, OPT_CELLS, BUSY, WHERE, WHERE_OPT, COUNT, CAP = 0, 1, 2, 3, 4, 5, 6, 7
MEMBERS, MEMBER_POS, OUT, OUT_POS, TABU, TRAIL, STATE, BEST_OPT = 8, 9, 10, 11, 12, 13, 14, 15
# STATE entries
IT, BEST, LAST_GAIN, N_OUT, TRAIL_LEN = 0, 1, 2, 3, 4


@njit(cache=True)
def _place(g, m, k):
    """Put meeting m in its option k (recorded on the trail)."""
    opt_cells, busy, count = g[OPT_CELLS], g[BUSY], g[COUNT]
    s = g[OPT_SLOT][k]
    for j in range(opt_cells.shape[1]):
        c = opt_cells[k, j]
        if c < 0:
            break
        busy[c] = m
    g[WHERE][m] = s
    g[WHERE_OPT][m] = k
    g[MEMBERS][s, count[s]] = m
    g[MEMBER_POS][m] = count[s]
    count[s] += 1
    st = g[STATE]
    g[TRAIL][st[TRAIL_LEN], 0] = m
    g[TRAIL][st[TRAIL_LEN], 1] = -1
    st[TRAIL_LEN] += 1


@njit(cache=True)
def _unplace(g, m):
    """Take meeting m out of its slot (recorded on the trail)."""
    opt_cells, busy, count, members, member_pos = (
        g[OPT_CELLS],
        g[BUSY],
        g[COUNT],
        g[MEMBERS],
        g[MEMBER_POS],
    )
    k = g[WHERE_OPT][m]
    s = g[OPT_SLOT][k]
    for j in range(opt_cells.shape[1]):
        c = opt_cells[k, j]
        if c < 0:
            break
        busy[c] = FREE
    last = members[s, count[s] - 1]
    p = member_pos[m]
    members[s, p] = last
    member_pos[last] = p
    count[s] -= 1
    g[WHERE][m] = -1
    g[WHERE_OPT][m] = -1
    st = g[STATE]
    g[TRAIL][st[TRAIL_LEN], 0] = m
    g[TRAIL][st[TRAIL_LEN], 1] = k
    st[TRAIL_LEN] += 1


@njit(cache=True)
def _rollback(g, mark):
    """Undo the trail back to ``mark``, newest change first."""
    st, trail = g[STATE], g[TRAIL]
    while st[TRAIL_LEN] > mark:
        st[TRAIL_LEN] -= 1
        m = trail[st[TRAIL_LEN], 0]
        k = trail[st[TRAIL_LEN], 1]
        if k == -1:
            _unplace(g, m)
        else:
            _place(g, m, k)
        st[TRAIL_LEN] -= 1


@njit(cache=True)
def _out_add(g, m):
    """Add m to the meetings out."""
    st = g[STATE]
    g[OUT][st[N_OUT]] = m
    g[OUT_POS][m] = st[N_OUT]
    st[N_OUT] += 1


@njit(cache=True)
def _out_remove(g, m):
    """Remove m from the meetings out (the last one takes its place)."""
    st, out, out_pos = g[STATE], g[OUT], g[OUT_POS]
    st[N_OUT] -= 1
    last = out[st[N_OUT]]
    p = out_pos[m]
    out[p] = last
    out_pos[last] = p
    out_pos[m] = -1


@njit(cache=True)
def _blockers(g, k, blk, skip):
    """Distinct meetings holding option k's cells into blk; -1 if a fixed meeting or ``skip``."""
    opt_cells, busy = g[OPT_CELLS], g[BUSY]
    nb = 0
    for j in range(opt_cells.shape[1]):
        c = opt_cells[k, j]
        if c < 0:
            break
        b = busy[c]
        if b == FREE:
            continue
        if b < FREE or b == skip:  # FIXED, or the meeting not to eject
            return -1
        dup = False
        for i in range(nb):
            if blk[i] == b:
                dup = True
        if not dup:
            blk[nb] = b
            nb += 1
    return nb


@njit(cache=True)
def _free(g, k):
    """True when every cell of option k is free."""
    opt_cells, busy = g[OPT_CELLS], g[BUSY]
    for j in range(opt_cells.shape[1]):
        c = opt_cells[k, j]
        if c < 0:
            return True
        if busy[c] != FREE:
            return False
    return True


@njit(cache=True)
def _free_option(g, m, avoid):
    """An option of m (not in slot ``avoid``) that is free and has a table, or -1."""
    opt_start, opt_slot, count, cap = g[OPT_START], g[OPT_SLOT], g[COUNT], g[CAP]
    for k in range(opt_start[m], opt_start[m + 1]):
        s = opt_slot[k]
        if s != avoid and count[s] < cap[s] and _free(g, k):
            return k
    return -1


@njit(cache=True)
def _augment(g, m, depth, guard, scratch):
    """Place out-meeting m, ejecting blockers that must each find a place (depth levels).

    ``guard`` (the meeting that just ejected m) is never ejected back; ``scratch[depth]``
    holds this level's blockers. On failure the state is unchanged.
    """
    k = _free_option(g, m, -1)
    if k >= 0:
        _place(g, m, k)
        return True
    if depth == 0:
        return False
    opt_start, opt_slot, count, cap, members = (
        g[OPT_START],
        g[OPT_SLOT],
        g[COUNT],
        g[CAP],
        g[MEMBERS],
    )
    blk = scratch[depth]
    for k in range(opt_start[m], opt_start[m + 1]):
        s = opt_slot[k]
        nb = _blockers(g, k, blk, guard)
        if nb < 0 or cap[s] == 0:
            continue
        if nb == 0:  # free for m but full: move one meeting of s to a free slot
            for i in range(count[s]):
                v = members[s, i]
                kv = _free_option(g, v, s) if v != guard else -1
                if kv >= 0:
                    _unplace(g, v)
                    _place(g, v, kv)
                    _place(g, m, k)
                    return True
            continue
        if depth == 1:  # the blockers must fit elsewhere as things are: check before moving
            ok = True
            for i in range(nb):
                if _free_option(g, blk[i], s) < 0:
                    ok = False
                    break
            if not ok:
                continue
        mark = g[STATE][TRAIL_LEN]
        for i in range(nb):
            _unplace(g, blk[i])
        _place(g, m, k)
        ok = True
        for i in range(nb):
            if not _augment(g, blk[i], depth - 1, m, scratch):
                ok = False
                break
        if ok:
            return True
        _rollback(g, mark)
    return False


@njit(cache=True)
def _tabu_run(g, iterations, stale, tenure_min, tenure_per_10_out, lookahead):
    """Make at most ``iterations`` tabu moves; True when the round is over.

    The round is over when nothing is out, when ``stale`` moves brought no new best, or when
    no move is left at all. Every new best schedule is copied to ``BEST_OPT``.
    """
    st = g[STATE]
    blk = np.empty(g[OPT_CELLS].shape[1], np.int64)
    scratch = np.empty((lookahead + 1, g[OPT_CELLS].shape[1]), np.int64)
    for _step in range(iterations):
        if st[N_OUT] == 0 or st[IT] - st[LAST_GAIN] >= stale:
            return True
        st[IT] += 1
        u, k = _choose_move(g, blk)
        if u < 0:
            return True
        tenure = np.random.randint(tenure_min) + (tenure_per_10_out * st[N_OUT]) // 10
        _make_move(g, u, k, st[IT] + tenure, blk, lookahead, scratch)
        if st[N_OUT] < st[BEST]:
            st[BEST] = st[N_OUT]
            st[LAST_GAIN] = st[IT]
            g[BEST_OPT][:] = g[WHERE_OPT]
    return False


@njit(cache=True)
def _choose_move(g, blk):
    """The cheapest move (meeting out, option), ties broken at random (reservoir sampling).

    Cost = meetings ejected - 1: -1 for a free slot, 0 for a swap with one blocker or a full
    slot. Tabu moves are skipped unless they would beat the best; if every move is tabu, the
    cheapest tabu move is made anyway. (-1, -1) when there is no move at all.
    """
    st, out, tabu = g[STATE], g[OUT], g[TABU]
    opt_start, opt_slot, count, cap = g[OPT_START], g[OPT_SLOT], g[COUNT], g[CAP]
    it, n_out = st[IT], st[N_OUT]
    best_cost = tabu_cost = 1 << 30
    n_best = n_tabu = 0
    mu = mk = tu = tk = -1
    for i in range(n_out):
        u = out[i]
        for k in range(opt_start[u], opt_start[u + 1]):
            nb = _blockers(g, k, blk, -3)
            s = opt_slot[k]
            if nb < 0:
                continue
            if nb > 0:
                cost = nb - 1
            elif count[s] < cap[s]:
                cost = -1
            else:
                cost = 0  # a full slot: one of its meetings goes out
            if tabu[k] > it and n_out + cost >= st[BEST]:
                if cost < tabu_cost:
                    tabu_cost, n_tabu, tu, tk = cost, 1, u, k
                elif cost == tabu_cost:
                    n_tabu += 1
                    if np.random.randint(n_tabu) == 0:
                        tu, tk = u, k
            elif cost < best_cost:
                best_cost, n_best, mu, mk = cost, 1, u, k
            elif cost == best_cost:
                n_best += 1
                if np.random.randint(n_best) == 0:
                    mu, mk = u, k
    if mu < 0:
        return tu, tk
    return mu, mk


@njit(cache=True)
def _make_move(g, u, k, tabu_until, blk, lookahead, scratch):
    """Put ``u`` in option ``k``, eject what blocks it, then try to re-place the ejected.

    An ejected meeting may not go back to the slot it left before iteration ``tabu_until``.
    """
    s = g[OPT_SLOT][k]
    count, where_opt = g[COUNT], g[WHERE_OPT]
    nb = _blockers(g, k, blk, -3)
    if nb == 0 and count[s] >= g[CAP][s]:
        blk[0] = g[MEMBERS][s, np.random.randint(count[s])]
        nb = 1
    for i in range(nb):
        b = blk[i]
        g[TABU][where_opt[b]] = tabu_until
        _unplace(g, b)
        _out_add(g, b)
    _out_remove(g, u)
    _place(g, u, k)
    for i in range(nb):
        b = blk[i]
        if lookahead > 0 and where_opt[b] < 0 and _augment(g, b, lookahead, u, scratch):
            _out_remove(g, b)
    g[STATE][TRAIL_LEN] = 0


@njit(cache=True)
def _load(g, opts):
    """Replace the schedule by ``opts`` (meeting -> option index or -1)."""
    where_opt = g[WHERE_OPT]
    for m in range(where_opt.shape[0]):
        if where_opt[m] >= 0:
            _unplace(g, m)
    for m in range(opts.shape[0]):
        if opts[m] >= 0:
            _place(g, m, opts[m])
    g[STATE][TRAIL_LEN] = 0


@njit(cache=True)
def _kick(g, victims):
    """Eject ``victims`` (placed meetings): the perturbation between two rounds."""
    for m in victims:
        _unplace(g, m)
    g[STATE][TRAIL_LEN] = 0


@njit(cache=True)
def _seed(seed):
    """Seed numba's own generator (distinct from numpy's): the search's randomness."""
    np.random.seed(seed)
