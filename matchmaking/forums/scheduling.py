"""Place accepted forum meetings into (slot, table) pairs: a pure algorithm, no ORM.

The problem
-----------
Each meeting has *resources* (ints the caller maps from parties and people) and the *slots*
where all of them are available. Two meetings sharing a resource never share a slot; a slot
holds at most one meeting per table; some (slot, table) pairs are blocked; confirmed meetings
(``FixedMeeting``) stay exactly where they are. Maximise the number of meetings placed.

Tables are interchangeable inside a slot, so the search works on *slots only*: a slot has a
capacity (its tables minus the blocked ones and those of fixed meetings) and tables are handed
out at the very end. What remains is a maximum independent set in the conflict graph of the
options (meeting, slot) -- a list edge colouring with capacities when meetings are pairs of
parties -- NP-hard, and dense forums, where each party is busy in most of the slots it is
available in, are the hard case: a plain greedy places about 88 % of the bench's planted forum.

The algorithm, and why
----------------------
1. **Greedy start, most-constrained first.** Meetings with the fewest allowed slots go first
   (they have the least room later), busier parties first among equals; each takes the free
   slot whose resources are least wanted by the meetings still waiting. About 96 %.
2. **Ejection chains** (``augment``): put a meeting out into one of its slots and move the
   meetings in its way (one per shared resource; or, in a full slot, one of its meetings: the
   table-capacity move) to other slots, recursively, depth-first with iterative deepening up to
   ``CHAIN_DEPTH``. Each step is applied and undone from a trail on failure, so a chain is
   valid by construction. Cheap, and fixes most of what greedy got wrong.
3. **Augmenting paths** (``alt_augment``), breadth-first and linear in the meetings, so they
   may be long: a path alternates insertions and removals and ends with one insertion more.
   Besides moving a removed meeting to another slot (as chains do), a removed meeting may stay
   out when two meetings it blocked take its place -- the matching-style move chains miss.
4. **Tabu search over valid partial schedules** (PartialCol-style, a strong local search for
   colouring), compiled with numba because it lives on millions of cheap moves: a move puts an
   unplaced meeting into one of its slots and ejects whatever blocks it (cost ``ejected - 1``,
   so a swap with one blocker is free and the search can walk across plateaus); right after,
   ejection chains of depth ``LOOKAHEAD`` try to re-place the ejected meetings. A meeting
   ejected from a slot may not go back there for a tenure that grows with the number out,
   unless that would beat the best schedule. When ``STALE_ITERATIONS`` pass without a new best
   the round ends; the next starts from the best schedule *kicked* (``KICK_SIZE`` random
   meetings ejected): randomised restarts. The best schedule seen is always what is returned.

It stops as soon as everything that can be placed is placed, else after ``ROUNDS`` rounds, so
the result is **deterministic for a seed** unless ``time_limit_s`` cuts the search first (then
the result depends on the machine's speed; it is always valid). Finally meetings get tables in
key order and each meeting left out gets a reason (``Unplaced``).

The compiled functions are cached on disk (``cache=True``): the first call on a machine
compiles them (tens of seconds), later processes load them in well under a second.

``check_schedule`` validates any result independently of the search; the tests use it on every
schedule they make.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from django.utils.translation import gettext_lazy as _

from matchmaking.forums.kernel import (
    BEST,
    BEST_OPT,
    FIXED,
    FREE,
    IT,
    LAST_GAIN,
    N_OUT,
    OPT_SLOT,
    OUT,
    OUT_POS,
    STATE,
    TABU,
    WHERE_OPT,
    _kick,
    _load,
    _seed,
    _tabu_run,
)

CHAIN_DEPTH = 3  # deepest ejection chain of the repair step (iterative deepening)
PATH_PASSES = 10  # at most this many passes of augmenting paths over the meetings out
ROUNDS = 50  # tabu rounds: the first, then restarts from the kicked best schedule
STALE_ITERATIONS = 20_000  # tabu iterations without a new best that end a round (at most)
LOOKAHEAD = 4  # after each tabu move, ejection chains of this depth re-place the ejected
TENURE_MIN, TENURE_PER_10_OUT = 10, 12  # tabu tenure: random(TENURE_MIN) + 1.2 x meetings out
KICK_SIZE = 6  # meetings ejected from the best schedule to start another round
CHUNK_SECONDS = 0.02  # compiled work between two looks at the clock


@dataclass(frozen=True)
class MeetingToPlace:
    """A meeting to schedule: the caller's id, who takes part, and when they all can."""

    key: int  # caller's id (a meeting request id)
    resources: tuple[int, ...]  # two meetings sharing a resource never share a slot
    slots: frozenset[int]  # slots where every party and person of the meeting is available


@dataclass(frozen=True)
class FixedMeeting:
    """An already confirmed meeting: kept exactly at (slot, table)."""

    key: int
    resources: tuple[int, ...]
    slot: int
    table: int


class Unplaced(StrEnum):
    """Why a meeting could not be placed."""

    NO_COMMON_SLOT = "no_common_slot"  # the parties/people share no available slot at all
    PARTIES_BUSY = "parties_busy"  # every common slot is taken by another meeting of one of them
    NO_FREE_TABLE = "no_free_table"  # some common slots were free for them, but had no table


UNPLACED_LABELS = {
    Unplaced.NO_COMMON_SLOT: _("The participants have no available time slot in common."),
    Unplaced.PARTIES_BUSY: _(
        "Every common time slot is already taken by another meeting of a participant."
    ),
    Unplaced.NO_FREE_TABLE: _("No table is free in the time slots the participants share."),
}


@dataclass
class ScheduleResult:
    """Where each meeting goes, or why it could not go anywhere."""

    placed: dict[int, tuple[int, int]]  # key -> (slot, table)
    unplaced: dict[int, Unplaced]
    # for PARTIES_BUSY: the resources that were busy in the meeting's common slots
    blocked_by: dict[int, tuple[int, ...]] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)  # greedy/chains/tabu counts, seconds


# -- the public functions --------------------------------------------------------------------------


def place_meetings(
    meetings: Sequence[MeetingToPlace],
    slots: Sequence[int],
    tables: Sequence[int],
    fixed: Sequence[FixedMeeting] = (),
    blocked: Iterable[tuple[int, int]] = (),
    time_limit_s: float = 2.0,
    seed: int = 0,
    max_iterations: int | None = None,
) -> ScheduleResult:
    """Place as many ``meetings`` as possible; see the module docstring for the algorithm.

    Only slots listed in ``slots`` and tables in ``tables`` are used; ``blocked`` (slot, table)
    pairs and the (slot, table) of ``fixed`` meetings are never given out, and the resources of
    fixed meetings are busy in their slot. ``time_limit_s`` bounds the whole call (the first
    call on a machine also compiles the search, see above). ``max_iterations`` caps the tabu
    moves: with a cap the time limit does not reach, the result is the same on any machine.
    ``result.stats`` tells how many each phase had placed, the tabu moves and the seconds.
    """
    started = time.perf_counter()
    deadline = started + time_limit_s
    rng = random.Random(seed)
    engine = _Engine(meetings, slots, tables, fixed, blocked)
    engine.greedy(rng)
    stats: dict[str, float] = {"greedy": len(meetings) - len(engine.unplaced())}
    hopeless = {m for m in engine.unplaced() if not engine.placeable_ever(m)}
    engine.repair_chains([m for m in engine.unplaced() if m not in hopeless], deadline)
    stats["chains"] = len(meetings) - len(engine.unplaced())
    engine.repair_paths(hopeless, deadline)
    stats["paths"] = len(meetings) - len(engine.unplaced())
    if len(engine.unplaced()) > len(hopeless):
        budget = max_iterations if max_iterations is not None else 1 << 62
        stats["tabu_iterations"] = engine.tabu_search(hopeless, rng, deadline, budget)
        engine.fill()
    stats["placed"] = len(meetings) - len(engine.unplaced())
    stats["seconds"] = round(time.perf_counter() - started, 4)
    result = engine.result()
    result.stats = stats
    return result


def warm_up() -> None:
    """Compile the search (or load it from the on-disk cache) before the first real call: every
    pair of six parties asking to meet in three slots at two tables, more than fits, so that the
    tabu search runs too (a few hundred moves). Web processes call it as they start, the release
    step (``compile_kernels``) on a new machine."""
    parties = range(6)
    slots = frozenset(range(3))
    meetings = [
        MeetingToPlace(key=key, resources=pair, slots=slots)
        for key, pair in enumerate(((a, b) for a in parties for b in parties if a < b), start=1)
    ]
    place_meetings(meetings, sorted(slots), [0, 1], seed=0, max_iterations=300)


def greedy_schedule(
    meetings: Sequence[MeetingToPlace],
    slots: Sequence[int],
    tables: Sequence[int],
    fixed: Sequence[FixedMeeting] = (),
    blocked: Iterable[tuple[int, int]] = (),
) -> ScheduleResult:
    """The plain greedy baseline: in the given order, each meeting in its first free slot."""
    engine = _Engine(meetings, slots, tables, fixed, blocked)
    engine.plain_greedy()
    return engine.result()


def check_schedule(
    meetings: Sequence[MeetingToPlace],
    slots: Sequence[int],
    tables: Sequence[int],
    fixed: Sequence[FixedMeeting],
    blocked: Iterable[tuple[int, int]],
    result: ScheduleResult,
) -> list[str]:
    """Every rule ``result`` breaks, as messages; an empty list when it is valid.

    Checked independently of the search: each meeting placed or unplaced exactly once; a
    placement in an allowed, listed slot, at a listed table, never blocked nor shared with
    another meeting (fixed ones included), no resource twice in a slot; fixed meetings not
    rescheduled; each reason true of the final schedule (so no meeting left out could simply
    have been placed).
    """
    errors: list[str] = []
    slot_set, table_set, blocked_set = set(slots), set(tables), set(blocked)
    by_key = {m.key: m for m in meetings}
    if len(by_key) != len(meetings):
        errors.append("duplicate meeting keys")
    fixed_keys = {f.key for f in fixed}
    for key in set(result.placed) & set(result.unplaced):
        errors.append(f"meeting {key} is both placed and unplaced")
    for key in (set(result.placed) | set(result.unplaced)) - set(by_key):
        errors.append(f"meeting {key} is not one of the meetings to place")
    for key in set(by_key) - set(result.placed) - set(result.unplaced):
        errors.append(f"meeting {key} is neither placed nor unplaced")
    for key in fixed_keys & set(by_key):
        errors.append(f"fixed meeting {key} is among the meetings to place")
    table_owner: dict[tuple[int, int], int] = {(f.slot, f.table): f.key for f in fixed}
    resource_owner: dict[tuple[int, int], int] = {
        (f.slot, r): f.key for f in fixed for r in f.resources
    }
    for key, (slot, table) in sorted(result.placed.items()):
        meeting = by_key.get(key)
        if meeting is None:
            continue
        if slot not in meeting.slots:
            errors.append(f"meeting {key} placed in slot {slot}, not one of its slots")
        if slot not in slot_set:
            errors.append(f"meeting {key} placed in unknown slot {slot}")
        if table not in table_set:
            errors.append(f"meeting {key} placed at unknown table {table}")
        if (slot, table) in blocked_set:
            errors.append(f"meeting {key} placed at blocked table {table} in slot {slot}")
        other = table_owner.setdefault((slot, table), key)
        if other != key:
            errors.append(f"meetings {other} and {key} share table {table} in slot {slot}")
        for r in set(meeting.resources):
            other = resource_owner.setdefault((slot, r), key)
            if other != key:
                errors.append(f"meetings {other} and {key} share resource {r} in slot {slot}")
    if not errors:
        errors += _check_reasons(
            by_key, slot_set, table_set, blocked_set, table_owner, resource_owner, result
        )
    return errors


def _check_reasons(
    by_key, slot_set, table_set, blocked_set, table_owner, resource_owner, result
) -> list[str]:
    """Each reason is true of the final schedule; no meeting left out fits anywhere as is."""
    errors = []
    for key, reason in sorted(result.unplaced.items()):
        meeting = by_key[key]
        common = sorted(meeting.slots & slot_set)
        party_free = [
            s for s in common if all((s, r) not in resource_owner for r in meeting.resources)
        ]
        with_table = [
            s
            for s in party_free
            if any((s, t) not in blocked_set and (s, t) not in table_owner for t in table_set)
        ]
        if with_table:
            errors.append(f"meeting {key} left out ({reason}) but fits in slot {with_table[0]}")
        if (reason == Unplaced.NO_COMMON_SLOT) != (not common):
            errors.append(f"meeting {key}: reason {reason} but common slots {common}")
        if reason == Unplaced.PARTIES_BUSY and party_free:
            errors.append(f"meeting {key}: reason {reason} but slot {party_free[0]} is free")
        if reason == Unplaced.NO_FREE_TABLE and not party_free:
            errors.append(f"meeting {key}: reason {reason} but its parties are busy everywhere")
    return errors


# -- the search state, greedy and repairs (Python) -------------------------------------------------


def _option_cells(options: list[tuple[int, tuple[int, ...]]], slot: int) -> tuple[int, ...]:
    """The cells of the option at ``slot``."""
    for s, cells in options:
        if s == slot:
            return cells
    return ()


class _Engine:
    """The search state: slots and resources as dense indices, a flat busy table, a trail.

    ``busy[r * S + s]`` is the meeting holding resource ``r`` in slot ``s`` (or FREE/FIXED);
    ``cells[m][s]`` lists meeting ``m``'s busy-table cells in slot ``s`` so that checking or
    changing a placement touches only those few cells.
    """

    def __init__(
        self,
        meetings: Sequence[MeetingToPlace],
        slots: Sequence[int],
        tables: Sequence[int],
        fixed: Sequence[FixedMeeting],
        blocked: Iterable[tuple[int, int]],
    ) -> None:
        self.meetings = list(meetings)
        self.slot_ids = list(dict.fromkeys(slots))
        slot_index = {s: i for i, s in enumerate(self.slot_ids)}
        n_slots = len(self.slot_ids)
        resource_index: dict[int, int] = {}
        self.res: list[tuple[int, ...]] = []
        for meeting in self.meetings:
            rs = tuple(resource_index.setdefault(r, len(resource_index)) for r in meeting.resources)
            self.res.append(tuple(dict.fromkeys(rs)))
        self.resource_ids = list(resource_index)
        self.n_slots = n_slots
        self.busy = [FREE] * (len(resource_index) * n_slots)
        self.free_tables = self._free_tables(tables, fixed, blocked, slot_index)
        self.cap = [len(self.free_tables[s]) for s in self.slot_ids]
        for f in fixed:
            s = slot_index.get(f.slot)
            if s is None:
                continue
            for r in f.resources:
                if r in resource_index:
                    self.busy[resource_index[r] * n_slots + s] = FIXED
        # options[m]: (slot index, cells) in the caller's slot order
        self.options: list[list[tuple[int, tuple[int, ...]]]] = []
        for m, meeting in enumerate(self.meetings):
            allowed = sorted(slot_index[s] for s in meeting.slots if s in slot_index)
            self.options.append([(s, tuple(r * n_slots + s for r in self.res[m])) for s in allowed])
        # users[c]: the options (meeting, slot, cells) that need busy-table cell c
        self.users: list[list[tuple[int, int, tuple[int, ...]]]] = [[] for _ in self.busy]
        for m, opts in enumerate(self.options):
            for s, cells in opts:
                for c in cells:
                    self.users[c].append((m, s, cells))
        self.where = [-1] * len(self.meetings)
        self.count = [0] * n_slots
        self.members: list[set[int]] = [set() for _ in range(n_slots)]
        self.trail: list[tuple[int, int]] = []  # (meeting, slot it was in or -1 if unplaced)

    @staticmethod
    def _free_tables(tables, fixed, blocked, slot_index) -> dict[int, list[int]]:
        """Per slot id, the tables neither blocked nor taken by a fixed meeting, in order."""
        taken = set(blocked) | {(f.slot, f.table) for f in fixed}
        tables = list(dict.fromkeys(tables))
        return {s: [t for t in tables if (s, t) not in taken] for s in slot_index}

    # -- state changes -------------------------------------------------------------------------

    def place(self, m: int, s: int, cells: tuple[int, ...]) -> None:
        busy = self.busy
        for c in cells:
            busy[c] = m
        self.where[m] = s
        self.count[s] += 1
        self.members[s].add(m)
        self.trail.append((m, -1))

    def unplace(self, m: int) -> None:
        s = self.where[m]
        busy = self.busy
        n = self.n_slots
        for r in self.res[m]:
            busy[r * n + s] = FREE
        self.where[m] = -1
        self.count[s] -= 1
        self.members[s].discard(m)
        self.trail.append((m, s))

    def rollback(self, mark: int) -> None:
        """Undo every change after ``mark`` on the trail, newest first."""
        trail = self.trail
        n = self.n_slots
        while len(trail) > mark:
            m, s = trail.pop()
            if s == -1:
                self.unplace(m)
            else:
                self.place(m, s, tuple(r * n + s for r in self.res[m]))
            trail.pop()  # the undo's own entry

    def load(self, where: list[int]) -> None:
        """Replace the current schedule by ``where`` (meeting -> slot index or -1)."""
        for m, s in enumerate(self.where):
            if s >= 0:
                self.unplace(m)
        n = self.n_slots
        for m, s in enumerate(where):
            if s >= 0:
                self.place(m, s, tuple(r * n + s for r in self.res[m]))
        self.trail.clear()

    # -- queries -------------------------------------------------------------------------------

    def fits(self, m: int) -> tuple[int, tuple[int, ...]] | None:
        """The first allowed slot where ``m`` fits as things are, or None."""
        busy, count, cap = self.busy, self.count, self.cap
        for s, cells in self.options[m]:
            if count[s] < cap[s] and all(busy[c] == FREE for c in cells):
                return s, cells
        return None

    def placeable_ever(self, m: int) -> bool:
        """False when no move can ever place ``m``: confirmed meetings or no tables everywhere."""
        busy, cap = self.busy, self.cap
        return any(
            cap[s] > 0 and all(busy[c] != FIXED for c in cells) for s, cells in self.options[m]
        )

    def unplaced(self) -> list[int]:
        return [m for m, s in enumerate(self.where) if s < 0]

    # -- 1. greedy -----------------------------------------------------------------------------

    def greedy(self, rng: random.Random) -> None:
        """Most-constrained first; each takes the free slot its resources are least wanted in."""
        n = self.n_slots
        demand = [0] * len(self.busy)  # unplaced meetings wanting resource r in slot s
        degree = [0] * len(self.resource_ids)
        for m, opts in enumerate(self.options):
            for r in self.res[m]:
                degree[r] += 1
            for _s, cells in opts:
                for c in cells:
                    demand[c] += 1
        tie = [rng.random() for _ in self.meetings]
        order = sorted(
            range(len(self.meetings)),
            key=lambda m: (len(self.options[m]), -sum(degree[r] for r in self.res[m]), tie[m]),
        )
        busy, count, cap = self.busy, self.count, self.cap
        for m in order:
            best = None
            best_score = 0
            for s, cells in self.options[m]:
                if count[s] >= cap[s] or any(busy[c] != FREE for c in cells):
                    continue
                score = sum(demand[c] for c in cells) * n + (count[s] * n) // max(cap[s], 1)
                if best is None or score < best_score:
                    best, best_score = (s, cells), score
            for _s, cells in self.options[m]:
                for c in cells:
                    demand[c] -= 1
            if best is not None:
                self.place(m, *best)
        self.trail.clear()

    def plain_greedy(self) -> None:
        """The baseline: meetings in the given order, each in its first free slot."""
        for m in range(len(self.meetings)):
            spot = self.fits(m)
            if spot is not None:
                self.place(m, *spot)
        self.trail.clear()

    # -- 2. ejection chains --------------------------------------------------------------------

    def augment(self, m: int, depth: int, path: set[int]) -> bool:
        """Place ``m``, moving blocking meetings elsewhere recursively (``depth`` levels).

        On success the state holds the new placements; on failure it is unchanged. Meetings on
        the current chain (``path``) are never ejected again, which keeps chains finite.
        """
        spot = self.fits(m)
        if spot is not None:
            self.place(m, *spot)
            return True
        if depth == 0:
            return False
        path.add(m)
        busy, cap = self.busy, self.cap
        for s, cells in self.options[m]:
            blockers: list[int] = []
            for c in cells:
                b = busy[c]
                if b == FIXED or b in path:
                    break
                if b >= 0 and b not in blockers:
                    blockers.append(b)
            else:
                if blockers:
                    if self._eject_and_place(m, s, cells, blockers, depth, path):
                        path.discard(m)
                        return True
                elif cap[s] > 0 and self._capacity_move(m, s, cells, path):
                    path.discard(m)
                    return True
        path.discard(m)
        return False

    def _eject_and_place(self, m, s, cells, blockers, depth, path) -> bool:
        mark = len(self.trail)
        for b in blockers:
            self.unplace(b)
        self.place(m, s, cells)
        if all(self.augment(b, depth - 1, path) for b in blockers):
            return True
        self.rollback(mark)
        return False

    def _capacity_move(self, m, s, cells, path) -> bool:
        """Slot ``s`` is free for ``m`` but full: move one of its meetings to a free slot."""
        for v in sorted(self.members[s] - path):
            spot = self._fits_elsewhere(v, s)
            if spot is not None:
                self.unplace(v)
                self.place(v, *spot)
                self.place(m, s, cells)
                return True
        return False

    def _fits_elsewhere(self, v: int, here: int) -> tuple[int, tuple[int, ...]] | None:
        busy, count, cap = self.busy, self.count, self.cap
        for s, cells in self.options[v]:
            if s != here and count[s] < cap[s] and all(busy[c] == FREE for c in cells):
                return s, cells
        return None

    def _other_blocker(self, cells: tuple[int, ...], removed: int) -> int:
        """The one meeting other than ``removed`` holding one of ``cells``: FREE if none,
        FIXED if a confirmed meeting or two meetings do."""
        busy = self.busy
        blocker = FREE
        for c in cells:
            b = busy[c]
            if b in (FREE, removed):
                continue
            if b == FIXED or (blocker != FREE and b != blocker):
                return FIXED
            blocker = b
        return blocker

    def alt_augment(self, root: int, limit: int = 1 << 30) -> bool:
        """Augmenting path in the conflict graph, breadth-first: one more meeting placed.

        It alternates insertions and removals. Each removed meeting ``y`` (a BFS node, visited
        once) opens two kinds of insertion: ``y`` itself in another of its slots (a relocation,
        as in the chains above) or an unplaced meeting in ``y``'s slot that only ``y`` blocked
        (a swap: ``y`` may stay out). Each insertion has at most one other meeting in its way,
        which becomes the next node; an insertion with none ends the path, which then inserts
        one meeting more than it removes. Removals first, then insertions, each checked; the
        state is unchanged if the path turns out inconsistent.
        """
        count, cap, where = self.count, self.cap, self.where
        options, users = self.options, self.users
        # parent[y] = (previous node, inserted meeting, its slot, its cells)
        parent: dict[int, tuple[int, int, int, tuple[int, ...]]] = {}
        frontier: list[int] = []
        for s, cells in options[root]:
            b = self._other_blocker(cells, FREE)
            if b >= 0 and b not in parent:
                parent[b] = (-1, root, s, cells)
                frontier.append(b)
            elif b == FREE and count[s] < cap[s]:
                self.place(root, s, cells)
                return True
        visited = 0
        while frontier and visited < limit:
            nxt: list[int] = []
            for y in frontier:
                visited += 1
                sy = where[y]
                for s, cells in options[y]:
                    if s == sy:
                        continue
                    b = self._other_blocker(cells, FREE)
                    if b == FREE and count[s] < cap[s]:
                        return self._apply_path(y, (y, s, cells), parent)
                    if b >= 0 and b not in parent:
                        parent[b] = (y, y, s, cells)
                        nxt.append(b)
                for c in _option_cells(options[y], sy):
                    for z, s, cells in users[c]:
                        if s != sy or where[z] >= 0 or z == root:
                            continue
                        b = self._other_blocker(cells, y)
                        if b == FREE:
                            return self._apply_path(y, (z, s, cells), parent)
                        if b >= 0 and b not in parent:
                            parent[b] = (y, z, s, cells)
                            nxt.append(b)
            frontier = nxt
        return False

    def _apply_path(self, last: int, final, parent) -> bool:
        removals = []
        inserts = [final]
        y = last
        while y != -1:
            prev, z, s, cells = parent[y]
            removals.append(y)
            inserts.append((z, s, cells))
            y = prev
        busy, count, cap = self.busy, self.count, self.cap
        mark = len(self.trail)
        for y in removals:
            self.unplace(y)
        for z, s, cells in inserts:
            if self.where[z] >= 0 or count[s] >= cap[s] or any(busy[c] != FREE for c in cells):
                self.rollback(mark)
                return False
            self.place(z, s, cells)
        return True

    def repair_chains(self, candidates: list[int], deadline: float) -> None:
        """Iterative deepening: cheap chains for everyone first, then longer ones."""
        for depth in range(1, CHAIN_DEPTH + 1):
            for m in candidates:
                if self.where[m] < 0:
                    self.augment(m, depth, set())
                    self.trail.clear()
                if time.perf_counter() > deadline:
                    return

    def repair_paths(self, hopeless: set[int], deadline: float) -> None:
        """Augmenting paths for every meeting out, until a pass places none."""
        for _pass in range(PATH_PASSES):
            gained = 0
            for m in self.unplaced():
                if m not in hopeless and self.alt_augment(m):
                    gained += 1
                self.trail.clear()
                if time.perf_counter() > deadline:
                    return
            if not gained:
                return

    # -- 3. tabu search ------------------------------------------------------------------------

    def tabu_search(
        self, hopeless: set[int], rng: random.Random, deadline: float, budget: int
    ) -> int:
        """Tabu rounds (compiled: ``_tabu_run``), each from the kicked best; returns iterations.

        ``hopeless`` meetings (no move can ever place them) stay out of the search; at most
        ``budget`` moves in all. The clock is read between chunks of compiled work sized to
        about ``CHUNK_SECONDS``. Ends with the best schedule found loaded in the state.
        """
        g = self._arrays()
        state, best_opt, where_opt = g[STATE], g[BEST_OPT], g[WHERE_OPT]
        skip = np.zeros(len(self.meetings), dtype=np.bool_)
        skip[list(hopeless)] = True
        best_opt[:] = where_opt
        state[BEST] = int(np.count_nonzero((where_opt < 0) & ~skip))
        _seed(rng.randrange(1 << 30))
        stale = min(STALE_ITERATIONS, max(1_000, 10 * len(g[OPT_SLOT])))  # small: give up soon
        params = (stale, TENURE_MIN, TENURE_PER_10_OUT, LOOKAHEAD)
        iterations, chunk = 0, 100
        for round_ in range(ROUNDS):
            if state[BEST] == 0 or iterations >= budget or time.perf_counter() > deadline:
                break
            if round_:
                self._kick(g, rng)
            out = np.flatnonzero((where_opt < 0) & ~skip)
            g[OUT][: len(out)] = out
            g[OUT_POS][:] = -1
            g[OUT_POS][out] = np.arange(len(out))
            state[N_OUT], state[IT], state[LAST_GAIN] = len(out), 0, 0
            g[TABU][:] = 0
            while True:
                started = time.perf_counter()
                steps = min(chunk, budget - iterations - int(state[IT]))
                if started > deadline or steps <= 0 or _tabu_run(g, steps, *params):
                    break
                took = time.perf_counter() - started
                chunk = max(10, min(int(chunk * CHUNK_SECONDS / max(took, 1e-4)), 2 * chunk))
            iterations += int(state[IT])
        slot_of = g[OPT_SLOT]
        self.load([int(slot_of[k]) if k >= 0 else -1 for k in best_opt])
        return iterations

    @staticmethod
    def _kick(g: tuple[np.ndarray, ...], rng: random.Random) -> None:
        """Back to the best schedule, then eject ``KICK_SIZE`` random meetings from it."""
        _load(g, g[BEST_OPT])
        placed = np.flatnonzero(g[WHERE_OPT] >= 0).tolist()
        victims = rng.sample(placed, min(KICK_SIZE, len(placed)))
        _kick(g, np.array(victims, dtype=np.int64))

    def _arrays(self) -> tuple[np.ndarray, ...]:
        """The state as the arrays of the compiled search, in the order of ``OPT_START``...

        Options (meeting, slot) are numbered: meeting ``m`` owns options ``opt_start[m]`` to
        ``opt_start[m + 1] - 1``, with their slot and busy-table cells (padded with -1).
        Options that can never be used (a confirmed meeting's resource, no table) are left out.
        """
        n = len(self.meetings)
        usable = [
            [
                (s, cells)
                for s, cells in opts
                if self.cap[s] > 0 and all(self.busy[c] != FIXED for c in cells)
            ]
            for opts in self.options
        ]
        opt_start = np.zeros(n + 1, dtype=np.int64)
        opt_start[1:] = np.cumsum([len(o) for o in usable])
        width = max((len(r) for r in self.res), default=1) or 1
        opt_slot = np.zeros(int(opt_start[-1]), dtype=np.int64)
        opt_cells = np.full((int(opt_start[-1]), width), -1, dtype=np.int64)
        current = np.full(n, -1, dtype=np.int64)
        for m, opts in enumerate(usable):
            for i, (s, cells) in enumerate(opts):
                k = opt_start[m] + i
                opt_slot[k] = s
                opt_cells[k, : len(cells)] = cells
                if self.where[m] == s:
                    current[m] = k
        busy = np.array([FIXED if b == FIXED else FREE for b in self.busy], dtype=np.int64)
        cap = np.array(self.cap, dtype=np.int64)
        g = (
            opt_start,
            opt_slot,
            opt_cells,
            busy,
            np.full(n, -1, dtype=np.int64),  # WHERE
            np.full(n, -1, dtype=np.int64),  # WHERE_OPT
            np.zeros(self.n_slots, dtype=np.int64),  # COUNT
            cap,
            np.zeros((self.n_slots, max(int(cap.max(initial=0)), 1)), dtype=np.int64),  # MEMBERS
            np.full(n, -1, dtype=np.int64),  # MEMBER_POS
            np.zeros(n, dtype=np.int64),  # OUT
            np.full(n, -1, dtype=np.int64),  # OUT_POS
            np.zeros(len(opt_slot), dtype=np.int64),  # TABU
            np.zeros((4 * n + 64, 2), dtype=np.int64),  # TRAIL
            np.zeros(8, dtype=np.int64),  # STATE
            np.full(n, -1, dtype=np.int64),  # BEST_OPT
        )
        _load(g, current)
        return g

    def fill(self) -> None:
        """Place every meeting out that fits as things are (a last, cheap safety pass)."""
        for m in self.unplaced():
            spot = self.fits(m)
            if spot is not None:
                self.place(m, *spot)
        self.trail.clear()

    # -- result --------------------------------------------------------------------------------

    def result(self) -> ScheduleResult:
        """Tables in key order within each slot; a reason for every meeting left out."""
        placed: dict[int, tuple[int, int]] = {}
        for s, slot_id in enumerate(self.slot_ids):
            in_slot = sorted(self.members[s], key=lambda m: self.meetings[m].key)
            for m, table in zip(in_slot, self.free_tables[slot_id], strict=False):
                placed[self.meetings[m].key] = (slot_id, table)
        unplaced: dict[int, Unplaced] = {}
        blocked_by: dict[int, tuple[int, ...]] = {}
        for m in self.unplaced():
            reason, resources = self._reason(m)
            unplaced[self.meetings[m].key] = reason
            if resources:
                blocked_by[self.meetings[m].key] = resources
        return ScheduleResult(placed=placed, unplaced=unplaced, blocked_by=blocked_by)

    def _reason(self, m: int) -> tuple[Unplaced, tuple[int, ...]]:
        if not self.options[m]:
            return Unplaced.NO_COMMON_SLOT, ()
        busy_resources: set[int] = set()
        party_free = False
        for _s, cells in self.options[m]:
            taken = [r for r, c in zip(self.res[m], cells, strict=True) if self.busy[c] != FREE]
            busy_resources.update(taken)
            party_free = party_free or not taken
        if party_free:
            return Unplaced.NO_FREE_TABLE, ()
        return Unplaced.PARTIES_BUSY, tuple(sorted(self.resource_ids[r] for r in busy_resources))
