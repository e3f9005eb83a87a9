"""Run the periodic jobs of CELERY_BEAT_SCHEDULE in the embedded mode, where no beat runs.

``make run`` starts it beside the web server. With a broker, use ``celery -A bumdes_export beat``.
"""

from __future__ import annotations

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from bumdes_export.celery import app


class Command(BaseCommand):
    help = "Run periodic jobs in-process (embedded mode only; production uses Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once: bool = False, **options):
        app.loader.import_default_modules()  # register every app's tasks, as a worker does
        schedule = settings.CELERY_BEAT_SCHEDULE
        next_run = {name: 0.0 for name in schedule}
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"scheduler: {len(schedule)} periodic jobs")
        while not stopping:
            now = time.monotonic()
            for name, entry in schedule.items():
                if now >= next_run[name]:
                    try:
                        result = app.tasks[entry["task"]].apply().get()
                        self.stdout.write(f"scheduler: {name} -> {result}")
                    except Exception as exc:  # keep the other jobs running
                        self.stderr.write(f"scheduler: {name} failed: {exc}")
                    next_run[name] = now + float(entry["schedule"])
            if once:
                return
            time.sleep(1)
