"""Planted forum instances for ``bench_scheduling`` and the scheduler's tests.

A *planted* instance is built around a complete, conflict-free schedule that is then forgotten:
so the optimum is known (every planted meeting can be placed) and a scheduler that leaves one
out has measurably failed. Each party's availability is its planted slots plus every other slot
with probability ``extra_availability``; a request's allowed slots are the intersection of its
two parties' availability, as the forum service computes them. The *overbooked* variant adds
random requests between the same parties, for which no full placement need exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from matchmaking.forums.scheduling import MeetingToPlace


@dataclass
class PlantedForum:
    """A generated forum: parties are resources ``0..parties-1``; keys start at 1."""

    parties: int
    slots: list[int]
    tables: list[int]
    planted: list[MeetingToPlace]  # the planted requests, order shuffled
    extra: list[MeetingToPlace]  # the overbooking requests
    availability: list[frozenset[int]]  # per party
    planted_slot: dict[int, int]  # key -> the slot it was planted in (a known solution)


def _planted_counts(parties: int, tables: int, slots: int, meetings: int) -> list[int]:
    """Meetings per slot: as even as possible, never more than the tables or party pairs."""
    per_slot_max = min(tables, parties // 2)
    meetings = min(meetings, per_slot_max * slots)
    counts = [meetings // slots + (1 if i < meetings % slots else 0) for i in range(slots)]
    return counts


def planted_forum(
    *,
    parties: int = 500,
    tables: int = 60,
    slots: int = 40,
    meetings: int = 2000,
    extra: int = 300,
    seed: int = 1,
    extra_availability: float = 0.1,
) -> PlantedForum:
    """Generate a planted forum, reproducibly from ``seed``.

    Meetings are spread evenly over the slots; in each slot, random disjoint pairs of parties
    meet (so no party twice in a slot, no more meetings than tables). If ``meetings`` cannot fit
    (more than ``slots * min(tables, parties // 2)``) fewer are planted: ``len(forum.planted)``
    tells how many.
    """
    if parties < 2 or slots < 1 or tables < 1:
        raise ValueError("a forum needs at least 2 parties, 1 slot and 1 table")
    rng = random.Random(seed)
    slot_ids = list(range(1, slots + 1))
    pairs: list[tuple[int, int, int]] = []  # (party, party, planted slot)
    busy: list[set[int]] = [set() for _ in range(parties)]
    for slot, n in zip(slot_ids, _planted_counts(parties, tables, slots, meetings), strict=True):
        chosen = rng.sample(range(parties), 2 * n)
        for a, b in zip(chosen[::2], chosen[1::2], strict=True):
            pairs.append((a, b, slot))
            busy[a].add(slot)
            busy[b].add(slot)
    rng.shuffle(pairs)
    availability = [
        frozenset(s for s in slot_ids if s in busy[p] or rng.random() < extra_availability)
        for p in range(parties)
    ]
    planted = [
        MeetingToPlace(key=i, resources=(a, b), slots=availability[a] & availability[b])
        for i, (a, b, _slot) in enumerate(pairs, start=1)
    ]
    planted_slot = {i: slot for i, (_a, _b, slot) in enumerate(pairs, start=1)}
    extra_meetings = []
    for i in range(len(planted) + 1, len(planted) + extra + 1):
        a, b = rng.sample(range(parties), 2)
        extra_meetings.append(
            MeetingToPlace(key=i, resources=(a, b), slots=availability[a] & availability[b])
        )
    return PlantedForum(
        parties=parties,
        slots=slot_ids,
        tables=list(range(1, tables + 1)),
        planted=planted,
        extra=extra_meetings,
        availability=availability,
        planted_slot=planted_slot,
    )
