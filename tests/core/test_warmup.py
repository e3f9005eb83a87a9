"""A web process is ready before its first request: importing the WSGI module imports the URL
patterns with every view module and compiles the base template."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_module_readies_the_process_before_any_request():
    probe = (
        "import sys, bumdes_export.wsgi\n"
        "from django.template import engines\n"
        "print('matchmaking.forums.views' in sys.modules, 'matchmaking.oversight.views' in sys.modules)\n"
        "loader = engines['django'].engine.template_loaders[0]\n"
        "print(any('base.html' in str(key) for key in getattr(loader, 'get_template_cache', {})))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_the_apps_steps_run_and_one_that_fails_does_not_stop_the_process(monkeypatch, caplog):
    from bumdes_export.core import warmup

    ran = []
    monkeypatch.setattr(warmup, "STEPS", [])

    def broken():
        raise ConnectionError("database away")

    warmup.register(broken)
    warmup.register(lambda: ran.append("after"))
    warmup.register(broken)  # once, however often registered
    warmup.warm_up()
    assert ran == ["after"]
    assert len(warmup.STEPS) == 2
    assert "Getting ready failed: broken" in caplog.text


def test_matchmaking_reads_the_dashboards_ledger_as_a_process_starts(db):
    from bumdes_export.core import warmup
    from matchmaking.oversight import ledger, shipments, tallies

    assert shipments.prepare in warmup.STEPS
    ledger.forget()
    tallies.refresh_all()
    warmup.warm_up()
    assert ledger._held is not None and len(ledger._held[1].day) == 0  # no shipment yet
    ledger.forget()


def test_urls_can_be_reversed_and_the_dashboard_compiled_without_waiting(db):
    from django.urls import get_resolver
    from django.utils import translation

    from bumdes_export.core import warmup

    assert "matchmaking/oversight/dashboard.html" in warmup.TEMPLATES
    warmup.warm_up()
    resolver = get_resolver()
    for code in ("id", "en"):
        with translation.override(code):
            assert code in resolver._reverse_dict  # built for each language already
            _prefix, oversight = resolver.namespace_dict["oversight"]
            assert code in oversight._reverse_dict  # and in each namespace
