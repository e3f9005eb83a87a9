"""``manage.py compile_kernels`` (the release step) compiles or loads both kernels and says how
long each took; web processes ready the scheduler before their first request."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command


def test_the_release_step_readies_both_kernels():
    out = StringIO()
    call_command("compile_kernels", stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert set(figures) == {"matching_seconds", "scheduling_seconds"}
    # (already compiled in this process: well under a millisecond, rounded to 0)
    assert all(isinstance(seconds, float) and seconds >= 0 for seconds in figures.values())


def test_web_processes_ready_the_scheduler():
    from bumdes_export.core import warmup
    from matchmaking.forums import scheduling

    assert scheduling.warm_up in warmup.STEPS
