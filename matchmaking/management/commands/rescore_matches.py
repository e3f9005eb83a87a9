"""``python manage.py rescore_matches``: rescore every product-organisation pair.

Plans the chunks and sends them to the workers (in the embedded mode, without a broker, they
run here, one after the other), then follows the run until the last result is committed,
printing progress. ``--no-wait`` returns as soon as the chunks are sent.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from matchmaking.matching import chunks, runs, tasks
from matchmaking.matching.models import MatchRun


class Command(BaseCommand):
    help = "Rescore every product against every organisation, fanned out over the workers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--chunk", type=int, default=chunks.CHUNK_PRODUCTS, help="products per chunk"
        )
        parser.add_argument("--no-wait", action="store_true", help="do not follow the run")

    def handle(self, *args, chunk: int, no_wait: bool, **options):
        started = time.perf_counter()
        run = tasks.start_full_run(chunk_products=max(1, chunk))
        self.stdout.write(
            f"Full rescore #{run.pk}: {run.products:,} products in {run.chunks_total} chunks."
        )
        if no_wait:
            return
        shown = -1
        while True:
            run.refresh_from_db()
            done = runs.progress(run)["chunks_done"]
            if done != shown:
                self.stdout.write(f"  {done} / {run.chunks_total} chunks")
                shown = done
            if run.status in (MatchRun.Status.DONE, MatchRun.Status.FAILED):
                break
            time.sleep(0.5)
        self.stdout.write(
            f"{run.get_status_display()}: {run.candidate_pairs:,} candidate pairs, "
            f"{run.rows_written:,} rows written in {time.perf_counter() - started:.1f} s."
        )
