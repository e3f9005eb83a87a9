"""``python manage.py bench_matching``: the match scoring engine at national scale.

1. Loads the reference data if it is missing, then generates, reproducibly (``--seed``),
   ``--products`` products in BUMDes across real desa (provinces and HS chapters skewed like
   the real registry: a few chapters such as fish, coffee, spices and oils hold most products),
   with certificates, past export markets, capacities and harvest calendars; and ``--exporters``
   organisations with HS interests (chapters, headings, subheadings), destination markets,
   required certificates, volumes and preferred provinces and gateways. Written with ``COPY``.
2. Starts ``--workers`` Celery workers (one process each) on ``REDIS_URL`` (the local Redis by
   default) and a private queue, and waits until they answer (they compile the kernel as they
   start).
3. Full rescore, timed from its start to the commit of the last result (``end_to_end_s``).
4. Kernel speed in this process: every candidate pair scored again by the compiled kernel on
   two threads (``kernel_pairs_per_s``), and a sample scored pair by pair by the plain Python
   specification, which must agree exactly (``reference_speedup``).
5. Incremental: ``--edits`` edits of one product each, one at a time; for each, the time from
   its commit until ``/api/v1/products/{id}/matches/`` reports the new version.

Logs go to standard error; the report to standard output, the last line one JSON object.
PostgreSQL only (``make bench`` uses the database of ``BENCH_DATABASE_URL``). Generated rows
are marked and deleted at the end unless ``--keep``; ``--reuse`` measures kept data again.
"""

from __future__ import annotations

import io
import json
import os
import random
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import F
from rest_framework.test import APIClient

from bumdes_export.accounts.models import Role, User
from bumdes_export.celery import app
from bumdes_export.reference.models import CertificateType, Country, ExportGateway, HsCode, Region
from matchmaking.management import cold_start
from matchmaking.matching import chunks, engine, features, runs, scoring, tasks
from matchmaking.matching.models import MatchRun
from products import events
from products.models import Product

MARKER = "bench-matching"
PRODUCTS_PER_BUMDES = 10
ROOT = Path(settings.BASE_DIR)

# Chapters of village products, most common first (fish, crustaceans, coffee and spices, fruit,
# oils, cocoa, cereals and flours, essential oils, wood, crafts, textiles ...).
CHAPTERS = [
    "03",
    "09",
    "08",
    "15",
    "07",
    "18",
    "12",
    "11",
    "33",
    "44",
    "46",
    "16",
    "20",
    "21",
    "10",
    "19",
    "17",
    "13",
    "14",
    "04",
    "06",
    "05",
    "23",
    "24",
    "52",
    "53",
    "57",
    "63",
    "94",
    "40",
    "01",
    "02",
    "22",
    "41",
    "42",
    "43",
    "47",
    "48",
    "50",
    "51",
    "56",
    "58",
    "60",
    "61",
    "62",
    "65",
    "67",
    "68",
    "69",
    "70",
    "71",
    "92",
    "95",
    "96",
]
TOP_MARKETS = [
    "HK",
    "CN",
    "JP",
    "US",
    "SG",
    "MY",
    "KR",
    "AU",
    "NL",
    "DE",
    "SA",
    "AE",
    "TW",
    "TH",
    "VN",
    "IN",
    "GB",
    "FR",
    "IT",
    "CA",
]
FORMS = ["live", "fresh", "frozen", "dried", "processed"]


def zipf_weights(n: int, s: float) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write(
            "\t".join("\\N" if v is None else str(v).replace("\t", " ") for v in row) + "\n"
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def rss_mb(pid: int | None = None) -> float:
    """Peak resident memory of a process (this one by default), in MB."""
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Command(BaseCommand):
    help = "Measure the match scoring engine on PostgreSQL with real workers (own data)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300_000)
        parser.add_argument("--exporters", type=int, default=20_000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--edits", type=int, default=200)
        parser.add_argument("--sample", type=int, default=300, help="products for the reference")
        parser.add_argument("--chunk", type=int, default=None, help="products per chunk")
        parser.add_argument("--seed", type=int, default=20241117)
        parser.add_argument("--keep", action="store_true", help="keep the generated data")
        parser.add_argument("--reuse", action="store_true", help="reuse kept data of this size")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_matching measures PostgreSQL: set DATABASE_URL to a PostgreSQL database."
            )
        settings.DEBUG = False
        if not Region.objects.filter(level=4).exists():
            self._log("Loading the reference data …")
            call_command("load_reference_data", stdout=io.StringIO())
        seed = options["seed"]
        n_products, n_exporters = options["products"], options["exporters"]
        generated = self._counts()
        if options["reuse"] and generated == (n_products, n_exporters):
            self._log(f"Reusing {n_products:,} products and {n_exporters:,} organisations.")
        else:
            self._clean()
            started = time.perf_counter()
            self._generate(random.Random(seed), n_products, n_exporters)
            self._log(f"Generated in {time.perf_counter() - started:.1f} s.")
        workers = self._start_workers(options["workers"])
        try:
            figures = self._full_rescore(options["chunk"])
            figures.update(self._kernel(options["sample"], random.Random(seed + 1)))
            figures.update(self._cold_start())
            figures.update(self._incremental(options["edits"], random.Random(seed + 2)))
            figures["peak_rss_mb"] = round(max([rss_mb()] + [rss_mb(w.pid) for w in workers]), 1)
        finally:
            self._stop_workers(workers)
            if not options["keep"]:
                self._log("Deleting the generated data (--keep keeps it) …")
                self._clean()
        result = {
            "products": n_products,
            "exporters": n_exporters,
            **figures,
            "workers": options["workers"],
            "kernel_threads": 2,
            "database": "postgresql",
            "seed": seed,
        }
        self._report(result)
        self.stdout.write(json.dumps(result))

    # --- output ------------------------------------------------------------------------------

    def _log(self, text: str) -> None:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def _report(self, r: dict) -> None:
        out = self.stdout.write
        out(f"products {r['products']:,}  organisations {r['exporters']:,}  workers {r['workers']}")
        out(f"candidate pairs        {r['candidate_pairs']:,}")
        out(f"full rescore           {r['end_to_end_s']} s  (target <= 60 s)")
        out(f"rows written           {r['rows_written']:,}")
        out(
            f"kernel                 {r['kernel_pairs_per_s'] / 1e6:,.1f} M pairs/s on 2 threads"
            "  (target >= 100 M)"
        )
        out(f"reference speed-up     {r['reference_speedup']:,.0f}x  (sample scores equal)")
        out(
            f"incremental            p50 {r['incremental_p50_ms']} ms, "
            f"p95 {r['incremental_p95_ms']} ms over {r['edits']} edits  (target p95 <= 250 ms)"
        )
        out(f"peak memory            {r['peak_rss_mb']} MB  (target < 2048 MB)")

    # --- data --------------------------------------------------------------------------------

    def _counts(self) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM products_product p JOIN products_bumdes b "
                "ON b.id = p.bumdes_id WHERE b.business_units = %s",
                [MARKER],
            )
            products = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM exporters_organisation WHERE description = %s", [MARKER]
            )
            return products, cursor.fetchone()[0]

    def _clean(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM products_bumdes WHERE business_units = %s", [MARKER])
            bumdes = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT id FROM exporters_organisation WHERE description = %s", [MARKER])
            orgs = [row[0] for row in cursor.fetchall()]
            if not bumdes and not orgs:
                return
            self._log("Deleting generated data of an earlier run …")
            products = "SELECT id FROM products_product WHERE bumdes_id = ANY(%s)"
            for table in (
                "matchmaking_productmatches",
                "matchmaking_exportermatch",
                "matchmaking_matchdismissal",
                "products_catalogueentry",
                "products_certificate",
                "products_product_exported_to",
                "products_product_target_markets",
                "products_historyentry",
            ):
                cursor.execute(f"DELETE FROM {table} WHERE product_id IN ({products})", [bumdes])
            cursor.execute("DELETE FROM products_product WHERE bumdes_id = ANY(%s)", [bumdes])
            cursor.execute("DELETE FROM products_bumdes WHERE id = ANY(%s)", [bumdes])
            for table in (
                "exporters_organisation_hs_interests",
                "exporters_organisation_destination_markets",
                "exporters_organisation_preferred_provinces",
                "exporters_organisation_preferred_gateways",
                "matchmaking_exportermatch",
                "matchmaking_exportermatchstate",
                "matchmaking_matchdismissal",
            ):
                cursor.execute(f"DELETE FROM {table} WHERE organisation_id = ANY(%s)", [orgs])
            cursor.execute("DELETE FROM exporters_organisation WHERE id = ANY(%s)", [orgs])
            cursor.execute("DELETE FROM matchmaking_pendingrescore")

    def _generate(self, rng: random.Random, n_products: int, n_exporters: int) -> None:
        now = datetime.now(UTC)
        subheadings: dict[str, list[str]] = {}
        for code in HsCode.objects.filter(level=6).values_list("code", flat=True):
            subheadings.setdefault(code[:2], []).append(code)
        chapters = [c for c in CHAPTERS if c in subheadings]
        chapter_w = zipf_weights(len(chapters), 1.1)
        # Within a chapter, a few subheadings are common (Zipf over a seeded shuffle).
        sub_order = {}
        for chapter in chapters:
            codes = sorted(subheadings[chapter])
            rng.shuffle(codes)
            sub_order[chapter] = (codes, zipf_weights(len(codes), 1.2))
        provinces = list(
            Region.objects.filter(level=1, retired_at__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        rng.shuffle(provinces)
        province_w = zipf_weights(len(provinces), 0.8)
        villages: dict[str, list[str]] = {}
        for code in Region.objects.filter(
            level=4, kind="desa", retired_at__isnull=True
        ).values_list("code", flat=True):
            villages.setdefault(code.split(".")[0], []).append(code)
        provinces = [p for p in provinces if villages.get(p)]
        province_w = province_w[: len(provinces)]
        n_bumdes = -(-n_products // PRODUCTS_PER_BUMDES)
        self._log(f"Generating {n_bumdes:,} BUMDes, {n_products:,} products …")
        used: set[str] = set()
        bumdes_rows = []
        for i in range(n_bumdes):
            province = rng.choices(provinces, province_w)[0]
            village = rng.choice(villages[province])
            while village in used and len(used) < sum(len(v) for v in villages.values()):
                village = rng.choice(villages[rng.choices(provinces, province_w)[0]])
            used.add(village)
            bumdes_rows.append(
                [
                    f"BUMDes Bench {i}",
                    "bumdes",
                    2018,
                    "legal_entity",
                    "",
                    "",
                    "",
                    MARKER,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "verified",
                    "",
                    now,
                    now,
                    village,
                ]
            )
        _copy(
            "products_bumdes",
            [
                "name",
                "kind",
                "year_founded",
                "legal_status",
                "legal_certificate_number",
                "nib",
                "npwp",
                "business_units",
                "manager_name",
                "contact_phone",
                "contact_whatsapp",
                "contact_email",
                "address",
                "description",
                "photo",
                "status",
                "return_reason",
                "created_at",
                "updated_at",
                "village_id",
            ],
            bumdes_rows,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM products_bumdes WHERE business_units = %s ORDER BY id", [MARKER]
            )
            bumdes_ids = [row[0] for row in cursor.fetchall()]
        product_rows = []
        for i in range(n_products):
            chapter = rng.choices(chapters, chapter_w)[0]
            codes, weights = sub_order[chapter]
            hs = rng.choices(codes, weights)[0]
            form = rng.choice(FORMS)
            capacity = rng.choice([10, 50, 100, 250, 500, 1000, 2000, 5000, 10000, 50000])
            unit_kg = rng.random() < 0.9
            ready = rng.random() < 0.3
            status = "export_ready" if ready else rng.choice(["draft", "submitted", "verified"])
            months = rng.getrandbits(12) | (1 << rng.randrange(12))
            if rng.random() < 0.3:
                months = (1 << 12) - 1
            product_rows.append(
                [
                    f"Produk {hs} {i}",
                    f"Product {hs} {i}",
                    "",
                    "",
                    "",
                    form,
                    "kg" if unit_kg else "piece",
                    capacity,
                    capacity if unit_kg else None,
                    "kg" if unit_kg else "",
                    months,
                    None,
                    None,
                    "USD",
                    "FOB",
                    "",
                    None,
                    status,
                    "",
                    rng.randrange(60, 101) if ready else rng.randrange(0, 80),
                    1,
                    now if ready else None,
                    now,
                    now,
                    bumdes_ids[i // PRODUCTS_PER_BUMDES],
                    hs,
                ]
            )
        _copy(
            "products_product",
            [
                "name_id",
                "name_en",
                "description_id",
                "description_en",
                "national_code",
                "form",
                "unit",
                "capacity_per_month",
                "capacity_base",
                "base_unit",
                "available_months",
                "min_order",
                "price",
                "currency",
                "incoterm",
                "packaging",
                "shelf_life_days",
                "status",
                "return_reason",
                "readiness_score",
                "version",
                "export_ready_at",
                "created_at",
                "updated_at",
                "bumdes_id",
                "hs_code_id",
            ],
            product_rows,
        )
        del product_rows
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id FROM products_product p JOIN products_bumdes b ON b.id = p.bumdes_id "
                "WHERE b.business_units = %s ORDER BY p.id",
                [MARKER],
            )
            product_ids = [row[0] for row in cursor.fetchall()]
        certificates = dict(CertificateType.objects.values_list("code", "id"))
        certificate_codes = sorted(certificates)
        countries = [c for c in TOP_MARKETS if Country.objects.filter(code=c).exists()]
        today = date.today()
        certificate_rows, exported_rows = [], []
        for pk in product_ids:
            for code in certificate_codes:
                if rng.random() < 0.08:
                    certificate_rows.append(
                        [
                            f"{code.upper()}/{pk}",
                            "",
                            today - timedelta(days=100),
                            today + timedelta(days=rng.randrange(-30, 700)),
                            "",
                            now,
                            None,
                            certificates[code],
                            pk,
                        ]
                    )
            if rng.random() < 0.1:
                for country in rng.sample(countries, rng.randrange(1, 3)):
                    exported_rows.append([pk, country])
        _copy(
            "products_certificate",
            [
                "number",
                "issuer",
                "valid_from",
                "valid_until",
                "document",
                "created_at",
                "lapse_handled_at",
                "type_id",
                "product_id",
            ],
            certificate_rows,
        )
        _copy("products_product_exported_to", ["product_id", "country_id"], exported_rows)
        self._log(f"  {len(certificate_rows):,} certificates, {len(exported_rows):,} past markets.")
        # Organisations.
        self._log(f"Generating {n_exporters:,} organisations …")
        gateways = list(ExportGateway.objects.values_list("code", flat=True))
        kinds = ["exporter"] * 5 + ["aggregator"] * 2 + ["buyer"] * 3 + ["platform"]
        org_rows = []
        for i in range(n_exporters):
            kind = rng.choice(kinds)
            verified = rng.random() < 0.9
            required = [
                code
                for code in certificate_codes
                if rng.random() < (0.12 if code.startswith("coo") else 0.06)
            ]
            org_rows.append(
                [
                    f"Bench Organisation {i}",
                    kind,
                    "ID" if kind != "buyer" else rng.choice(countries),
                    "",
                    "",
                    None,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    MARKER,
                    "[]",
                    "[]",
                    "verified" if verified else "pending",
                    now if verified else None,
                    None,
                    "",
                    now,
                    rng.choice([None, 0, 100, 500, 1000, 5000, 20000]),
                    rng.choice([None, 10000, 100000, 1000000]),
                    json.dumps(required),
                    "[]",
                    1,
                    now,
                    now,
                ]
            )
        _copy(
            "exporters_organisation",
            [
                "legal_name",
                "kind",
                "country_id",
                "nib",
                "npwp",
                "province_id",
                "address",
                "contact_name",
                "contact_email",
                "contact_phone",
                "website",
                "logo",
                "description",
                "languages",
                "services",
                "status",
                "verified_at",
                "verified_by_id",
                "rejection_reason",
                "privacy_consent_at",
                "min_order_kg",
                "max_volume_kg_per_month",
                "required_certificates",
                "incoterms",
                "version",
                "created_at",
                "updated_at",
            ],
            org_rows,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM exporters_organisation WHERE description = %s ORDER BY id", [MARKER]
            )
            org_ids = [row[0] for row in cursor.fetchall()]
        interests, markets, prefs, gws = [], [], [], []
        for pk in org_ids:
            codes = set()
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                chapter = rng.choices(chapters, chapter_w)[0]
                sub = rng.choices(*sub_order[chapter])[0]
                level = rng.random()
                codes.add(sub if level < 0.25 else sub[:4] if level < 0.8 else chapter)
            interests += [[pk, code] for code in sorted(codes)]
            markets += [[pk, c] for c in rng.sample(countries, rng.choice([0, 1, 1, 2, 3]))]
            if rng.random() < 0.2:
                prefs += [[pk, p] for p in rng.sample(provinces, rng.randrange(1, 4))]
            if rng.random() < 0.15:
                gws += [[pk, g] for g in rng.sample(gateways, rng.randrange(1, 3))]
        _copy("exporters_organisation_hs_interests", ["organisation_id", "hscode_id"], interests)
        _copy(
            "exporters_organisation_destination_markets", ["organisation_id", "country_id"], markets
        )
        _copy("exporters_organisation_preferred_provinces", ["organisation_id", "region_id"], prefs)
        _copy(
            "exporters_organisation_preferred_gateways",
            ["organisation_id", "exportgateway_id"],
            gws,
        )
        with connection.cursor() as cursor:
            for table in (
                "products_bumdes",
                "products_product",
                "products_certificate",
                "products_product_exported_to",
                "exporters_organisation",
                "exporters_organisation_hs_interests",
            ):
                cursor.execute(f"ANALYZE {table}")
        self._log(f"  {len(interests):,} HS interests, {len(markets):,} destination markets.")

    # --- workers -----------------------------------------------------------------------------

    def _start_workers(self, count: int) -> list[subprocess.Popen]:
        broker = (
            os.environ.get("REDIS_URL") or settings.CELERY_BROKER_URL or "redis://127.0.0.1:6379/0"
        )
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        queue = f"bench-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker,
            "CELERY_RESULT_BACKEND": "",
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "PYTHONPATH": str(ROOT),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
        }
        app.conf.broker_url = broker
        app.conf.task_always_eager = False
        app.conf.task_default_queue = queue
        settings.CELERY_TASK_ALWAYS_EAGER = False
        log_dir = ROOT / "var"
        log_dir.mkdir(exist_ok=True)
        workers = []
        for n in range(count):
            log = (log_dir / f"bench-worker-{n}.log").open("w")
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "bumdes_export",
                        "worker",
                        "-Q",
                        queue,
                        "--pool",
                        "solo",
                        "-l",
                        "info",
                        "-n",
                        f"{queue}-{n}@%h",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        names = [f"{queue}-{n}@{socket.gethostname()}" for n in range(count)]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if any(w.poll() is not None for w in workers):
                raise CommandError("A Celery worker exited; see var/bench-worker-*.log.")
            answered = app.control.ping(destination=names, timeout=1) or []
            if len(answered) == count:
                break
        else:
            raise CommandError("The Celery workers did not answer within 120 s.")
        self._log(f"{count} workers on {broker} (queue {queue}).")
        return workers

    def _stop_workers(self, workers: list[subprocess.Popen]) -> None:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()

    # --- measurements ------------------------------------------------------------------------

    def _full_rescore(self, chunk: int | None) -> dict:
        self._log("Full rescore …")
        started = time.perf_counter()
        run = tasks.start_full_run(chunk_products=chunk or chunks.CHUNK_PRODUCTS)
        shown = -1
        while True:
            run.refresh_from_db()
            if run.status == MatchRun.Status.DONE:
                break
            if run.status == MatchRun.Status.FAILED:
                raise CommandError("The full rescore failed.")
            done = runs.progress(run)["chunks_done"]
            if done != shown:
                self._log(
                    f"  {done} / {run.chunks_total} chunks ({time.perf_counter() - started:.1f} s)"
                )
                shown = done
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        self._log(f"  done in {seconds:.1f} s: {run.candidate_pairs:,} pairs.")
        return {
            "candidate_pairs": run.candidate_pairs,
            "end_to_end_s": round(seconds, 1),
            "rows_written": run.rows_written,
            "chunks": run.chunks_total,
        }

    def _cold_start(self) -> dict:
        """The largest chunk's kernel call as the first of a fresh worker process after a
        deploy's release step, beside its second (``matchmaking.management.cold_start``); the
        chunk and the organisations are read before the clock starts."""
        self._log("Cold start: the release step, then a fresh worker's first chunk …")
        figures = cold_start.measure(
            "from matchmaking.matching import chunks, engine, features\n"
            "ctx = engine.context()\n"
            "chapter, first, last, _n = max(chunks.plan_chunks(), key=lambda c: c[3])\n"
            "pt = features.load_product_table(ctx.lexicon, chapter=chapter, id_range=(first, last))\n"
            "def run():\n"
            "    engine.run_kernel(pt, ctx.exporters, ctx.weights)\n",
            start="worker",
        )
        self._log(
            f"  release step {figures['release_seconds']} s; worker ready in "
            f"{figures['process_ready_s']} s; first chunk {figures['cold_first_call_s']} s, "
            f"the next {figures['warm_call_s']} s."
        )
        return {
            "cold_first_call_s": figures["cold_first_call_s"],
            "warm_chunk_call_s": figures["warm_call_s"],
            "cold_worker_ready_s": figures["process_ready_s"],
            "release_seconds": figures["release_seconds"],
        }

    def _kernel(self, sample: int, rng: random.Random) -> dict:
        self._log("Kernel: loading every chunk of products …")
        ctx = engine.context()
        et, w = ctx.exporters, ctx.weights
        tables = [
            features.load_product_table(ctx.lexicon, chapter=chapter, id_range=(first, last))
            for chapter, first, last, _count in chunks.plan_chunks()
        ]
        engine.warm_up()
        # The chunks of a full run, on two threads (the kernel releases the GIL), biggest first
        # from a shared queue so both finish together; each thread keeps its own results.
        order = sorted(
            range(len(tables)),
            key=lambda i: (
                -len(tables[i])
                * int(et.ch_end[int(tables[i].chapter[0])] - et.ch_start[int(tables[i].chapter[0])])
                if len(tables[i])
                else 0
            ),
        )
        W = engine.weights_array(w)
        pairs = [0, 0]
        lock = threading.Lock()
        # Each thread's organisation lists, allocated before the clock starts; emptied per chunk.
        lists = [
            engine.KernelResult(
                0,
                *(np.zeros(1, dtype=np.int64) for _ in range(4)),
                np.zeros((len(et), engine.ORGANISATION_KEEP), dtype=np.int64),
                np.zeros((len(et), engine.ORGANISATION_KEEP), dtype=np.int64),
                np.zeros((len(et), engine.ORGANISATION_KEEP, 6), dtype=np.int64),
                np.zeros(len(et), dtype=np.int64),
            )
            for _ in range(2)
        ]

        def work(k: int) -> None:
            r = lists[k]
            while True:
                with lock:
                    if not order:
                        return
                    i = order.pop(0)
                pt = tables[i]
                if not len(pt):
                    continue
                n = len(pt)
                r.ex_n[:] = 0
                r.top_e = np.zeros((n, scoring.PRODUCT_TOP), dtype=np.int64)
                r.top_s = np.zeros((n, scoring.PRODUCT_TOP), dtype=np.int64)
                r.top_c = np.zeros((n, scoring.PRODUCT_TOP, 6), dtype=np.int64)
                r.top_n = np.zeros(n, dtype=np.int64)
                pairs[k] += engine.score_chunk(pt, et, W, 0, n, int(pt.chapter[0]), r)
                engine.fill_exporter_components(pt, et, W, r)

        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(k,)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - started
        total = sum(pairs)
        kernel_rate = total / seconds if seconds else 0.0
        self._log(f"  {total:,} pairs in {seconds:.2f} s on 2 threads.")
        every_id = np.concatenate([t.ids for t in tables]).tolist()
        loaded = features.load_products(
            ctx.lexicon, ids=rng.sample(every_id, min(sample, len(every_id)))
        )
        # The plain specification on a sample: same scores, pair by pair, and its speed.
        picked = loaded
        exporters = list(ctx.features.values())
        by_chapter: dict[str, list] = {}
        for e in exporters:
            for ch in et.chapters.get(e.id, []):
                by_chapter.setdefault(ch, []).append(e)
        started = time.perf_counter()
        expected = {}
        ref_pairs = 0
        floor = w.min_score * 10
        for p in picked:
            row = []
            for e in by_chapter.get(p.hs_code[:2], []):
                s = scoring.score_pair(p, e, w)
                ref_pairs += 1
                if s.score and s.score >= floor:
                    row.append((e.id, s.score, s.components))
            row.sort(key=lambda item: (-item[1], item[0]))
            expected[p.id] = row[: scoring.PRODUCT_TOP]
        ref_seconds = time.perf_counter() - started
        small = features.product_table(picked)
        r = engine.run_kernel(small, et, w)
        for i in range(len(small)):
            got = [
                (
                    int(et.ids[r.top_e[i, k]]),
                    int(r.top_s[i, k]),
                    tuple(int(c) for c in r.top_c[i, k]),
                )
                for k in range(int(r.top_n[i]))
            ]
            if got != expected[int(small.ids[i])]:
                raise CommandError(f"Kernel and reference disagree on product {small.ids[i]}.")
        reference_rate = ref_pairs / ref_seconds if ref_seconds else 0.0
        self._log(
            f"  reference: {ref_pairs:,} pairs in {ref_seconds:.2f} s, same scores as the kernel."
        )
        return {
            "kernel_pairs": total,
            "kernel_seconds": round(seconds, 3),
            "kernel_pairs_per_s": round(kernel_rate),
            "reference_pairs": ref_pairs,
            "reference_pairs_per_s": round(reference_rate),
            "reference_speedup": round(kernel_rate / reference_rate, 1) if reference_rate else 0.0,
        }

    def _incremental(self, edits: int, rng: random.Random) -> dict:
        self._log(f"Incremental: {edits} edits, one at a time …")
        user, _created = User.objects.get_or_create(
            username="bench-matching", defaults={"role": Role.MINISTRY}
        )
        client = APIClient()
        client.force_authenticate(user)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id FROM products_product p JOIN products_bumdes b ON b.id = p.bumdes_id "
                "WHERE b.business_units = %s",
                [MARKER],
            )
            ids = [row[0] for row in cursor.fetchall()]
        latencies = []
        for _ in range(edits):
            pk = rng.choice(ids)
            capacity = rng.choice([10, 100, 1000, 5000, 20000])
            committed: list[float] = []
            with transaction.atomic():
                Product.objects.filter(pk=pk).update(
                    capacity_per_month=capacity,
                    capacity_base=capacity,
                    readiness_score=rng.randrange(40, 101),
                    version=F("version") + 1,
                )
                version = Product.objects.values_list("version", flat=True).get(pk=pk)
                transaction.on_commit(lambda mark=committed: mark.append(time.perf_counter()))
                events.announce_product(pk, version)
            deadline = time.perf_counter() + 30
            while True:
                response = client.get(f"/api/v1/products/{pk}/matches/")
                if response.status_code == 200 and response.json()["product_version"] == version:
                    break
                if time.perf_counter() > deadline:
                    raise CommandError(f"Product {pk} version {version} was not scored in 30 s.")
            latencies.append((time.perf_counter() - committed[0]) * 1000)
        user.delete()
        self._log(
            f"  p50 {statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms"
        )
        return {
            "edits": edits,
            "incremental_p50_ms": round(statistics.median(latencies), 1),
            "incremental_p95_ms": round(percentile(latencies, 0.95), 1),
            "incremental_max_ms": round(max(latencies), 1),
        }
