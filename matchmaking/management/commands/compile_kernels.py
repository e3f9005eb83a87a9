"""``python manage.py compile_kernels``: compile the portal's Numba kernels (the match scores
and the meeting scheduler) into their on-disk cache, so that no web process or worker compiles
them on a first request. The ``release`` step of the Procfile runs it after each deploy; on a
machine where they are compiled already it loads them and ends in about a second."""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the Numba kernels into their on-disk cache (the release step runs it)."

    def handle(self, *args, **options):
        from matchmaking.forums import scheduling
        from matchmaking.matching import engine

        figures = {}
        for name, warm_up in (("matching", engine.warm_up), ("scheduling", scheduling.warm_up)):
            started = time.perf_counter()
            warm_up()
            figures[f"{name}_seconds"] = round(time.perf_counter() - started, 3)
        self.stdout.write(json.dumps(figures))
