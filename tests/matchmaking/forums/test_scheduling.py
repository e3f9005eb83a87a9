"""The forum meeting scheduler (``matchmaking.forums.scheduling``): pure, no database.

Every result is checked with ``check_schedule``; small random instances are compared with a
brute-force optimum.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaking.forums.scheduling import (
    UNPLACED_LABELS,
    FixedMeeting,
    MeetingToPlace,
    ScheduleResult,
    Unplaced,
    _Engine,
    check_schedule,
    greedy_schedule,
    place_meetings,
)
from matchmaking.forums.scheduling_bench import planted_forum


def meeting(key: int, resources: tuple[int, ...], slots: set[int]) -> MeetingToPlace:
    return MeetingToPlace(key=key, resources=resources, slots=frozenset(slots))


def valid(meetings, slots, tables, fixed=(), blocked=(), **kwargs) -> ScheduleResult:
    """``place_meetings`` on the instance; fails the test if the result breaks a rule."""
    result = place_meetings(meetings, slots, tables, fixed, blocked, **kwargs)
    assert check_schedule(meetings, slots, tables, fixed, blocked, result) == []
    return result


def brute_force_optimum(meetings, slots, tables, fixed=(), blocked=()) -> int:
    """The most meetings placeable, by trying every assignment of slots (tiny instances)."""
    capacity = {
        s: sum(1 for t in tables if (s, t) not in set(blocked) | {(f.slot, f.table) for f in fixed})
        for s in slots
    }
    fixed_busy = {(f.slot, r) for f in fixed for r in f.resources}
    choices = [[None, *sorted(m.slots & set(slots))] for m in meetings]
    best = 0
    for assignment in itertools.product(*choices):
        used = set(fixed_busy)
        count = dict.fromkeys(slots, 0)
        ok = True
        for m, s in zip(meetings, assignment, strict=True):
            if s is None:
                continue
            cells = {(s, r) for r in m.resources}
            count[s] += 1
            if cells & used or count[s] > capacity[s]:
                ok = False
                break
            used |= cells
        if ok:
            best = max(best, sum(s is not None for s in assignment))
    return best


# -- random instances ----------------------------------------------------------------------------


@st.composite
def instances(draw, max_meetings: int = 14):
    """Small forums: meetings over a few resources and slots, confirmed meetings, blocked tables."""
    slots = list(range(1, draw(st.integers(1, 5)) + 1))
    tables = list(range(10, 10 + draw(st.integers(1, 3))))
    n_resources = draw(st.integers(2, 7))
    resource = st.integers(0, n_resources - 1)
    meetings = []
    for key in range(1, draw(st.integers(0, max_meetings)) + 1):
        resources = tuple(draw(st.lists(resource, min_size=1, max_size=3)))
        allowed = draw(st.sets(st.integers(0, len(slots) + 1), max_size=len(slots) + 1))
        meetings.append(meeting(key, resources, allowed))
    blocked = draw(st.sets(st.tuples(st.sampled_from(slots), st.sampled_from(tables)), max_size=3))
    fixed: list[FixedMeeting] = []
    taken: set[tuple[int, int]] = set(blocked)
    busy: set[tuple[int, int]] = set()
    for key in range(100, 100 + draw(st.integers(0, 3))):
        slot, table = draw(st.sampled_from(slots)), draw(st.sampled_from(tables))
        resources = tuple(draw(st.lists(resource, min_size=1, max_size=2)))
        if (slot, table) in taken or {(slot, r) for r in resources} & busy:
            continue
        taken.add((slot, table))
        busy |= {(slot, r) for r in resources}
        fixed.append(FixedMeeting(key=key, resources=resources, slot=slot, table=table))
    return meetings, slots, tables, fixed, sorted(blocked)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 3))
def test_random_instances_valid(instance, seed):
    meetings, slots, tables, fixed, blocked = instance
    result = valid(meetings, slots, tables, fixed, blocked, seed=seed, time_limit_s=1.0)
    assert set(result.placed) | set(result.unplaced) == {m.key for m in meetings}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(max_meetings=6))
def test_random_instances_optimal(instance):
    meetings, slots, tables, fixed, blocked = instance
    result = valid(meetings, slots, tables, fixed, blocked, time_limit_s=1.0)
    assert len(result.placed) == brute_force_optimum(meetings, slots, tables, fixed, blocked)


@settings(max_examples=60, deadline=None)
@given(instances())
def test_greedy_baseline_valid(instance):
    meetings, slots, tables, fixed, blocked = instance
    result = greedy_schedule(meetings, slots, tables, fixed, blocked)
    assert check_schedule(meetings, slots, tables, fixed, blocked, result) == []


# -- the rules, one by one -----------------------------------------------------------------------


def test_fixed_meetings_kept_and_respected():
    fixed = [FixedMeeting(key=100, resources=(1, 2), slot=1, table=10)]
    meetings = [
        meeting(1, (1, 3), {1, 2}),  # party 1 is in the fixed meeting in slot 1
        meeting(2, (4, 5), {1}),  # slot 1 has one table left, table 11
    ]
    result = valid(meetings, [1, 2], [10, 11], fixed)
    assert result.placed == {1: (2, 10), 2: (1, 11)}
    assert 100 not in result.placed and 100 not in result.unplaced


def test_blocked_tables_never_used():
    blocked = [(1, 10), (2, 10), (2, 11)]
    meetings = [meeting(k, (2 * k, 2 * k + 1), {1, 2}) for k in range(1, 4)]
    result = valid(meetings, [1, 2], [10, 11], blocked=blocked)
    assert sorted(result.placed.values()) == [(1, 11)]
    assert set(result.unplaced.values()) == {Unplaced.NO_FREE_TABLE}


def test_no_common_slot():
    meetings = [meeting(1, (1, 2), set()), meeting(2, (3, 4), {7})]  # 7 is not a forum slot
    result = valid(meetings, [1, 2], [10])
    assert result.unplaced == {1: Unplaced.NO_COMMON_SLOT, 2: Unplaced.NO_COMMON_SLOT}


def test_parties_busy_names_the_blocking_resources():
    fixed = [
        FixedMeeting(key=100, resources=(1, 9), slot=1, table=10),
        FixedMeeting(key=101, resources=(2, 7), slot=2, table=10),
    ]
    meetings = [meeting(1, (1, 2), {1, 2}), meeting(2, (3, 4), {2})]
    result = valid(meetings, [1, 2], [10, 11], fixed)
    assert result.placed == {2: (2, 11)}
    assert result.unplaced == {1: Unplaced.PARTIES_BUSY}
    assert result.blocked_by == {1: (1, 2)}  # 1 busy in slot 1, 2 in slot 2


def test_parties_busy_with_each_other():
    """Two requests of the same party for its only slot: one is placed, one is busy."""
    meetings = [meeting(1, (1, 2), {1}), meeting(2, (1, 3), {1})]
    result = valid(meetings, [1], [10, 11])
    assert len(result.placed) == 1
    (key,) = result.unplaced
    assert result.unplaced[key] == Unplaced.PARTIES_BUSY
    assert result.blocked_by[key] == (1,)


def test_capacity_exhausted_is_no_free_table():
    meetings = [meeting(k, (2 * k, 2 * k + 1), {1}) for k in range(1, 4)]
    result = valid(meetings, [1], [10, 11])
    assert len(result.placed) == 2
    assert list(result.unplaced.values()) == [Unplaced.NO_FREE_TABLE]
    assert result.blocked_by == {}


def test_every_reason_has_a_label():
    assert set(UNPLACED_LABELS) == set(Unplaced)
    assert all(str(label) for label in UNPLACED_LABELS.values())


def test_same_resource_twice_in_a_meeting():
    result = valid([meeting(1, (1, 1), {1})], [1], [10])
    assert result.placed == {1: (1, 10)}


def test_check_schedule_catches_violations():
    meetings = [meeting(1, (1, 2), {1}), meeting(2, (2, 3), {1, 2})]
    fixed = [FixedMeeting(key=100, resources=(5,), slot=2, table=10)]
    bad = ScheduleResult(placed={1: (1, 10), 2: (1, 10)}, unplaced={})
    errors = check_schedule(meetings, [1, 2], [10, 11], fixed, [(1, 11)], bad)
    assert any("share table" in e for e in errors)
    assert any("share resource 2" in e for e in errors)
    wrong_slot = ScheduleResult(placed={1: (2, 11)}, unplaced={2: Unplaced.NO_COMMON_SLOT})
    errors = check_schedule(meetings, [1, 2], [10, 11], fixed, [], wrong_slot)
    assert any("not one of its slots" in e for e in errors)
    lazy = ScheduleResult(placed={1: (1, 10)}, unplaced={2: Unplaced.PARTIES_BUSY})
    errors = check_schedule(meetings, [1, 2], [10, 11], fixed, [], lazy)
    assert any("fits in slot 2" in e for e in errors)
    blocked = ScheduleResult(placed={1: (1, 11), 2: (2, 10)}, unplaced={})
    errors = check_schedule(meetings, [1, 2], [10, 11], fixed, [(1, 11)], blocked)
    assert any("blocked table" in e for e in errors)
    assert any("meetings 100 and 2 share table 10" in e for e in errors)


# -- repair beats greedy -------------------------------------------------------------------------


def test_repair_moves_a_blocking_meeting():
    """Greedy in request order puts A in slot 1, leaving B nowhere; moving A to 2 fits both."""
    meetings = [meeting(1, (1, 2), {1, 2}), meeting(2, (1, 3), {1})]
    greedy = greedy_schedule(meetings, [1, 2], [10])
    assert len(greedy.placed) == 1 and greedy.unplaced == {2: Unplaced.PARTIES_BUSY}
    assert valid(meetings, [1, 2], [10]).placed == {1: (2, 10), 2: (1, 10)}
    engine = _Engine(meetings, [1, 2], [10], (), ())
    engine.plain_greedy()
    assert engine.where == [0, -1]
    assert engine.augment(1, 1, set())  # the ejection chain itself
    assert engine.where == [1, 0]


def test_repair_table_capacity_move():
    """One table: A took slot 1 first; B only fits slot 1, so A must move to free the table."""
    meetings = [meeting(1, (1, 2), {1, 2}), meeting(2, (3, 4), {1})]
    assert len(greedy_schedule(meetings, [1, 2], [10]).placed) == 1
    engine = _Engine(meetings, [1, 2], [10], (), ())
    engine.plain_greedy()
    assert engine.augment(1, 1, set())
    assert engine.where == [1, 0]
    assert valid(meetings, [1, 2], [10]).placed == {1: (2, 10), 2: (1, 10)}


def test_repair_chain_of_three_moves():
    """A chain: C needs slot 1 (held by B), B moves to 2 (held by A), A moves to 3."""
    meetings = [
        meeting(1, (2, 3), {2, 3}),  # A
        meeting(2, (1, 2), {1, 2}),  # B
        meeting(3, (1, 4), {1}),  # C
    ]
    engine = _Engine(meetings, [1, 2, 3], [10], (), ())
    engine.place(0, 1, engine.options[0][0][1])  # A in slot 2
    engine.place(1, 0, engine.options[1][0][1])  # B in slot 1
    assert not engine.augment(2, 1, set())  # one level is not enough
    assert engine.where == [1, 0, -1]
    assert engine.alt_augment(2)
    assert engine.where == [2, 1, 0]
    assert len(valid(meetings, [1, 2, 3], [10]).placed) == 3


def test_swap_out_one_to_place_two():
    """B in slot 1 blocks both C and D; taking B out and putting C and D in gains one."""
    meetings = [
        meeting(1, (1, 2), {1}),  # B
        meeting(2, (1, 3), {1}),  # C
        meeting(3, (2, 4), {1}),  # D
    ]
    greedy = greedy_schedule(meetings, [1], [10, 11])
    assert list(greedy.placed) == [1]
    result = valid(meetings, [1], [10, 11])
    assert sorted(result.placed) == [2, 3]
    assert result.unplaced == {1: Unplaced.PARTIES_BUSY}


# -- planted forums ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_forum_fully_placed(seed):
    forum = planted_forum(parties=120, tables=16, slots=12, meetings=180, extra=0, seed=seed)
    assert len(forum.planted) == 180
    assert all(forum.planted_slot[m.key] in m.slots for m in forum.planted)
    result = valid(forum.planted, forum.slots, forum.tables, seed=seed)
    assert len(result.placed) == 180
    assert len(greedy_schedule(forum.planted, forum.slots, forum.tables).placed) < 180


def test_planted_forum_overbooked_valid():
    forum = planted_forum(parties=120, tables=16, slots=12, meetings=180, extra=40, seed=4)
    meetings = forum.planted + forum.extra
    result = valid(meetings, forum.slots, forum.tables, seed=4, time_limit_s=1.0)
    assert len(result.placed) >= 180


def test_planted_forum_caps_meetings_to_what_fits():
    forum = planted_forum(parties=60, tables=8, slots=10, meetings=120, extra=20, seed=1)
    assert len(forum.planted) == 80  # 10 slots x 8 tables
    assert len(forum.extra) == 20
    for m in forum.planted + forum.extra:
        a, b = m.resources
        assert m.slots == forum.availability[a] & forum.availability[b]


def test_deterministic_for_a_seed():
    """Fully placed: the search ends by itself. Overbooked: an iteration cap ends it."""
    forum = planted_forum(parties=120, tables=16, slots=12, meetings=170, extra=30, seed=7)
    for meetings, cap in ((forum.planted, None), (forum.planted + forum.extra, 3000)):
        runs = [
            place_meetings(
                meetings, forum.slots, forum.tables, seed=3, time_limit_s=60, max_iterations=cap
            )
            for _ in range(2)
        ]
        assert runs[0].placed == runs[1].placed
        assert runs[0].unplaced == runs[1].unplaced
        assert runs[0].stats["tabu_iterations"] == runs[1].stats["tabu_iterations"]
    assert runs[0].stats["tabu_iterations"] <= 3000


def test_time_limit_is_kept():
    forum = planted_forum(parties=300, tables=40, slots=30, meetings=1200, extra=300, seed=2)
    meetings = forum.planted + forum.extra
    place_meetings(meetings[:20], forum.slots, forum.tables)  # compiled search loaded
    result = valid(meetings, forum.slots, forum.tables, time_limit_s=0.5)
    assert result.stats["seconds"] < 1.0
