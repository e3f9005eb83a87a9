"""``python manage.py bench_hs_suggest [--repeat N]``: how well and how fast HS codes are
suggested.

Asks ``GET /api/v1/hs-codes/suggest/?q=NAME`` (through Django's test client, in process: the
view, the serializer, the selector) for every name of the labelled list
(``bumdes_export/reference/suggestions/evaluation/names.csv``) and counts a name right at the
top (``top1``) or among the three suggestions (``top3``) when a code its label accepts is there.
First it checks that no name of the list appears in anything the suggester reads (and stops if
one does). The index is built before the clock starts (``build_seconds`` says how long that
took); each name is asked ``--repeat`` times and ``p95_ms`` is over all of those answers.

The last line is one JSON object: names, top1, top3, p95_ms, p50_ms, build_seconds, database.
Runs on any database (the index lives in memory); ``make bench`` runs it on PostgreSQL.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from bumdes_export.reference.models import HsCode
from bumdes_export.reference.suggestions import evaluation
from bumdes_export.reference.suggestions import index as hs_index


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Command(BaseCommand):
    help = "Measure the HS suggestions against the labelled list (JSON last line)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--repeat", type=int, default=3, help="Answers per name (timing).")

    def handle(self, *args, repeat: int, **options) -> None:
        if not HsCode.objects.filter(level=6).exists():
            raise CommandError("No HS codes: run `python manage.py load_reference_data` first.")
        names = evaluation.labelled_names()
        start = time.perf_counter()
        hs_index.forget()
        hs_index.current()
        build_seconds = time.perf_counter() - start
        found = evaluation.contaminated(names, evaluation.suggester_texts())
        if found:
            for name, text in found[:20]:
                self.stderr.write(f"  {name!r} appears in {text!r}")
            raise CommandError(f"{len(found)} names of the list appear in the suggester's data.")

        client = Client(HTTP_ACCEPT_LANGUAGE="id")
        timings: list[float] = []
        top1 = top3 = 0
        misses = []
        with override_settings(DEBUG=False, HS_SUGGEST_CHECK_SECONDS=60):
            for labelled in names:
                for _ in range(repeat):
                    began = time.perf_counter()
                    response = client.get("/api/v1/hs-codes/suggest/", {"q": labelled.name})
                    timings.append((time.perf_counter() - began) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{labelled.name!r}: HTTP {response.status_code}")
                codes = [r["code"] for r in response.json()["results"]]
                if codes and labelled.accepts(codes[0]):
                    top1 += 1
                if any(labelled.accepts(code) for code in codes[:3]):
                    top3 += 1
                else:
                    misses.append((labelled.name, labelled.accepted, codes))
        count = len(names)
        self.stdout.write(f"{count} names, {count * repeat} answers; not among the three:")
        for name, accepted, codes in misses:
            self.stdout.write(f"  {name}: {' '.join(accepted)} (suggested {' '.join(codes)})")
        result = {
            "names": count,
            "top1": round(top1 / count, 3),
            "top3": round(top3 / count, 3),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "p50_ms": round(percentile(timings, 0.5), 1),
            "build_seconds": round(build_seconds, 2),
            "database": connection.vendor,
        }
        self.stdout.write(json.dumps(result))
