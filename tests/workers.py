"""Real Celery workers for the tests that play the operator: started on a private queue, in
their own process group (so that a kill takes the pool processes too), killed or stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import ROOT

# The worker sends follow-up tasks (the merge) to its default queue: make that the private one.
BOOT = """
import sys
from bumdes_export.celery import app
queue, name = sys.argv[1], sys.argv[2]
app.conf.task_default_queue = queue
app.worker_main([
    "worker", "-Q", queue, "-c", "2", "--pool", "prefork", "-l", "info",
    "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
])
"""


class Worker:
    """A ``celery worker`` in its own process group, so that a kill takes its children too."""

    def __init__(self, queue: str, name: str, log: Path, **env: str):
        db = connection.settings_dict
        self.name = name
        self.log = log.open("w")  # noqa: SIM115 - open while the worker lives, closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOOT, queue, name],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": (
                    f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}"
                    f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
                ),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
                "PYTHONPATH": str(ROOT),
                **env,
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 90) -> None:
        from bumdes_export.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"worker {self.name} exited with {self.process.returncode}")
            if app.control.ping(destination=[f"{self.name}@{socket.gethostname()}"], timeout=1):
                return
        pytest.fail(f"worker {self.name} did not answer within {timeout} s")

    def kill(self) -> None:
        """SIGKILL to the worker and its pool processes: no chance to acknowledge anything."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        self.log.close()


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
