"""``python manage.py bench_scheduling``: how well and how fast forum meetings are scheduled.

Builds a planted forum (``matchmaking.forums.scheduling_bench.planted_forum``, reproducible from
``--seed``): ``--parties`` parties (500), ``--tables`` tables (60), ``--slots`` slots (40) and
a complete conflict-free schedule of ``--meetings`` meetings (2,000: about 50 per slot, random
pairs of parties, nobody twice in a slot). Each party's availability is its planted slots plus
every other slot with probability 0.1; the schedule is forgotten and ``place_meetings`` asked
to place the requests again (resources = the two parties), which it can do in full. The
*overbooked* variant adds ``--extra`` random requests between the same parties (300; allowed
slots = the two parties' common availability), for which no full placement need exist. A plain
greedy (in request order, each in its first free slot) is run on the planted variant for
comparison.

Each ``place_meetings`` call is timed (wall clock, building its input excluded); both results
are validated with ``check_schedule`` (an invalid schedule fails the command). The compiled
part of the search is warmed up on a tiny forum first, outside the timings (numba compiles it
once per machine and caches it). ``cold_first_call_s``: the same planted call as the first
call of a fresh process after a deploy's release step, on a fresh compiled cache
(``matchmaking.management.cold_start``), beside ``warm_call_s``, its second. Needs no database. Logs go to stderr; stdout has a short
report and, as its last line, one JSON object.
"""

from __future__ import annotations

import json
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from matchmaking.forums.scheduling import (
    MeetingToPlace,
    ScheduleResult,
    check_schedule,
    greedy_schedule,
    place_meetings,
)
from matchmaking.forums.scheduling_bench import planted_forum
from matchmaking.management import cold_start

PLANTED_TIME_LIMIT_S = 2.0
OVERBOOKED_TIME_LIMIT_S = 4.5  # the target is 5 s for the whole call


class Command(BaseCommand):
    help = "Benchmark the forum meeting scheduler on a planted forum (no database needed)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--parties", type=int, default=500)
        parser.add_argument("--tables", type=int, default=60)
        parser.add_argument("--slots", type=int, default=40)
        parser.add_argument("--meetings", type=int, default=2000)
        parser.add_argument("--extra", type=int, default=300)

    def handle(self, *args, seed, parties, tables, slots, meetings, extra, **options):
        self._log(f"generating the forum (seed {seed})")
        try:
            forum = planted_forum(
                parties=parties,
                tables=tables,
                slots=slots,
                meetings=meetings,
                extra=extra,
                seed=seed,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if len(forum.planted) < meetings:
            self._log(
                f"only {len(forum.planted)} of {meetings} meetings fit "
                f"{slots} slots x min({tables} tables, {parties // 2} pairs): planted fewer"
            )
        self._log("warming up the compiled search")
        warm = planted_forum(parties=12, tables=3, slots=4, meetings=10, extra=4, seed=seed)
        place_meetings(warm.planted + warm.extra, warm.slots, warm.tables, seed=seed)

        greedy = greedy_schedule(forum.planted, forum.slots, forum.tables)
        self._validate("greedy", forum, forum.planted, greedy)
        planted, planted_s = self._run("planted", forum, forum.planted, seed, PLANTED_TIME_LIMIT_S)
        over_meetings = forum.planted + forum.extra
        over, over_s = self._run("overbooked", forum, over_meetings, seed, OVERBOOKED_TIME_LIMIT_S)

        self._log("cold start: the release step, then the first call in a fresh process")
        cold = cold_start.measure(
            "from matchmaking.forums.scheduling import place_meetings\n"
            "from matchmaking.forums.scheduling_bench import planted_forum\n"
            f"forum = planted_forum(parties={parties}, tables={tables}, slots={slots}, "
            f"meetings={meetings}, extra={extra}, seed={seed})\n"
            "def run():\n"
            "    place_meetings(forum.planted, forum.slots, forum.tables, "
            f"time_limit_s={PLANTED_TIME_LIMIT_S}, seed={seed})\n"
        )
        figures = {
            "parties": parties,
            "tables": len(forum.tables),
            "slots": len(forum.slots),
            "planted_requested": len(forum.planted),
            "planted_placed": len(planted.placed),
            "planted_seconds": round(planted_s, 3),
            "overbooked_requested": len(over_meetings),
            "overbooked_placed": len(over.placed),
            "overbooked_seconds": round(over_s, 3),
            "overbooked_unplaced": dict(Counter(str(r) for r in over.unplaced.values())),
            "greedy_planted_placed": len(greedy.placed),
            "seed": seed,
            # The planted call in a fresh process after a deploy's release step, and again.
            "cold_first_call_s": cold["cold_first_call_s"],
            "warm_call_s": cold["warm_call_s"],
            "cold_process_ready_s": cold["process_ready_s"],
            "release_seconds": cold["release_seconds"],
        }
        self._report(figures, planted, over)
        self.stdout.write(json.dumps(figures))

    def _run(
        self,
        name: str,
        forum,
        meetings: list[MeetingToPlace],
        seed: int,
        time_limit_s: float,
    ) -> tuple[ScheduleResult, float]:
        self._log(f"{name}: placing {len(meetings)} requests")
        started = time.perf_counter()
        result = place_meetings(
            meetings, forum.slots, forum.tables, time_limit_s=time_limit_s, seed=seed
        )
        seconds = time.perf_counter() - started
        self._log(f"{name}: {len(result.placed)} placed in {seconds:.3f} s; {result.stats}")
        self._validate(name, forum, meetings, result)
        return result, seconds

    def _validate(self, name, forum, meetings, result) -> None:
        errors = check_schedule(meetings, forum.slots, forum.tables, (), (), result)
        if errors:
            raise CommandError(f"{name}: invalid schedule: " + "; ".join(errors[:10]))

    def _report(self, figures: dict, planted: ScheduleResult, over: ScheduleResult) -> None:
        f = figures
        lines = [
            f"Forum: {f['parties']} parties, {f['tables']} tables, {f['slots']} slots "
            f"(seed {f['seed']})",
            f"planted:    {f['planted_placed']:>5} of {f['planted_requested']} placed "
            f"in {f['planted_seconds']:.3f} s "
            f"(plain greedy: {f['greedy_planted_placed']})",
            f"overbooked: {f['overbooked_placed']:>5} of {f['overbooked_requested']} placed "
            f"in {f['overbooked_seconds']:.3f} s",
        ]
        for reason, n in sorted(f["overbooked_unplaced"].items()):
            lines.append(f"  unplaced, {reason}: {n}")
        lines.append(
            f"after a deploy (release step {f['release_seconds']} s): a fresh process ready in "
            f"{f['cold_process_ready_s']} s, its first planted call {f['cold_first_call_s']} s, "
            f"the next {f['warm_call_s']} s"
        )
        for line in lines:
            self.stdout.write(line)

    def _log(self, message: str) -> None:
        self.stderr.write(f"bench_scheduling: {message}")
