"""How a compiled kernel's first call fares after a deploy, for the benchmarks' ``cold_first_call_s``.

A deploy on a machine where nothing has run the kernels yet: a fresh on-disk cache of compiled
functions (``NUMBA_CACHE_DIR``, a new temporary folder), the release step
(``manage.py compile_kernels``, timed), then a fresh process started the way the portal starts
one (importing ``bumdes_export.wsgi``, which readies it, as gunicorn does; a worker readies
itself the same way on ``worker_process_init``), in which the benchmark's own call is timed
twice: the first call is the cold one, the second the warm one of that process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


#: How each kind of process readies itself as the portal starts it.
STARTS = {
    # gunicorn imports the WSGI module, which readies the process (``core.warmup``).
    "web": "import bumdes_export.wsgi  # noqa: F401\n",
    # A Celery worker process: Django set up, then ``worker_process_init``'s handlers.
    "worker": (
        "import django, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'bumdes_export.settings')\n"
        "django.setup()\n"
        "from celery.signals import worker_process_init\n"
        "import matchmaking.matching.tasks  # noqa: F401 - connects its handler\n"
        "worker_process_init.send(sender=None)\n"
    ),
}


def measure(call: str, start: str = "web", timeout: float = 600) -> dict[str, float]:
    """Run ``call`` (Python statements defining ``run()``, the benchmark's call, and preparing
    its input) cold and warm in a fresh process of kind ``start`` (``STARTS``) after the release
    step, and return ``release_seconds``, ``process_ready_s``, ``cold_first_call_s`` and
    ``warm_call_s``."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if start == "web":
            # The web process's other warm-up steps read the database (the dashboard's ledger):
            # an empty one of its own, so that a benchmark or a test writes nothing elsewhere.
            env["DATABASE_URL"] = f"sqlite:///{Path(cache) / 'empty.sqlite3'}"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "compile_kernels"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        release = time.perf_counter() - started
        probe = (
            "import json, time\n"
            "started = time.perf_counter()\n"
            f"{STARTS[start]}"
            "ready = time.perf_counter() - started\n"
            f"{call}\n"
            "started = time.perf_counter(); run(); first = time.perf_counter() - started\n"
            "started = time.perf_counter(); run(); second = time.perf_counter() - started\n"
            "print(json.dumps({'process_ready_s': ready, 'cold_first_call_s': first,"
            " 'warm_call_s': second}))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return {"release_seconds": round(release, 2), **{k: round(v, 3) for k, v in figures.items()}}
