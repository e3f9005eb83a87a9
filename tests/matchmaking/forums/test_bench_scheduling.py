"""``manage.py bench_scheduling`` on a small forum: a report, then one JSON line; no database."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command

REQUIRED = {
    "parties",
    "tables",
    "slots",
    "planted_requested",
    "planted_placed",
    "planted_seconds",
    "overbooked_requested",
    "overbooked_placed",
    "overbooked_seconds",
    "greedy_planted_placed",
    "seed",
    "cold_first_call_s",
    "warm_call_s",
    "cold_process_ready_s",
    "release_seconds",
}


def test_bench_scheduling_small_forum():
    stdout, stderr = StringIO(), StringIO()
    call_command(
        "bench_scheduling",
        "--parties", "60", "--tables", "8", "--slots", "10", "--meetings", "120", "--extra", "20",
        stdout=stdout,
        stderr=stderr,
    )  # fmt: skip
    lines = stdout.getvalue().strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) >= REQUIRED
    assert figures["planted_placed"] == figures["planted_requested"]
    # 120 meetings cannot fit 10 slots x 8 tables: the generator plants what fits, and says so
    assert figures["planted_requested"] == 80
    assert "only 80 of 120 meetings fit" in stderr.getvalue()
    assert figures["overbooked_requested"] == 100
    # After a deploy's release step, a fresh web process is ready before its first call.
    assert figures["release_seconds"] > 0 and figures["cold_process_ready_s"] > 0
    assert figures["cold_first_call_s"] > 0 and figures["warm_call_s"] > 0
    assert "after a deploy (release step" in stdout.getvalue()
    assert figures["planted_requested"] <= figures["overbooked_placed"] <= 100
    assert figures["greedy_planted_placed"] <= figures["planted_placed"]
    assert figures["seed"] == 1
    assert any(line.startswith("planted:") for line in lines[:-1])
