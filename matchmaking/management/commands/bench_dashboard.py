"""``python manage.py bench_dashboard``: the dashboard's speed at national scale.

1. Loads the reference data if it is missing, then generates, reproducibly (``--seed``),
   ``--bumdes`` BUMDes in real desa (provinces skewed; one province with none, two where none
   is verified yet) in every status, ``--products`` products in every status with their
   status changes (``HistoryEntry`` transitions), certificates and match scores,
   ``--organisations`` organisations (exporters, aggregators, buyers, platforms, service
   providers), ``--deals`` deals from every channel (inquiries, sample requests, offers on
   buying requests, forum meetings, deals made outside the portal) at every stage with one
   ``DealStep`` per stage reached, dated in order, ``--shipments`` shipments on the deals at
   the first and repeat shipment stages, a few hundred service requests
   (``--service-requests``) and ministry targets per province and year that some provinces
   miss. Written with ``COPY``; every row hangs off a BUMDes, organisation or forum marked
   ``MARKER`` (or the bench user), and ``_clean`` deletes them all.
   Then counts the dashboard's tallies (``matchmaking.oversight.tallies.refresh_all``, what the
   hourly task and the change events keep in a running portal; ``tallies_seconds``), which
   writes the shipments' ledger (``matchmaking.oversight.ledger``) with them. They are
   data, not a cache: the cold requests below find them counted, as a restarted portal would.
2. Serves the portal with gunicorn (``--workers``, 3 by default; ``DEBUG=0``, static files
   collected into a temporary directory as in production) and signs in as a ministry user
   it creates (the login form for the pages, ``POST /api/v1/auth/token/`` for the API).
3. Times four views with seeded random province and period filters: ``dashboard``
   (``/dashboard/?year=&shipped_from=&shipped_until=``), ``province``
   (``/dashboard/provinces/<code>/?...``), ``funnel`` (``/api/v1/dashboard/funnel/?region=``,
   the country or a province: the funnel takes no period) and ``shipments`` (``/api/v1/dashboard/shipments/?group=&shipped_from=
   &shipped_until=&region=``), and as a yardstick ``inbox`` (``/notifications/``, the lightest
   page a signed-in user opens: what the clients and the machine cost any page; every request
   but the first warm): ``--requests`` requests each, first with 1 client, then with
   ``--clients`` (10) threads. Every (view, clients) phase starts from cleared caches (Django's
   cache and the shared cache, which hold the dashboard's kept shipment totals and page parts)
   and a restarted gunicorn. A request is **cold** when
   no request with the same URL had completed before it started (the first of each distinct
   filter; with 10 clients also its concurrent twins), **warm** otherwise. About one request
   in three brings a new filter, so any prefix of a phase holds both kinds.
4. Keeps the whole command within ``--budget`` seconds (20 minutes by default, the deletion
   included): each phase gets an equal share of what is left and sends no request that would
   not end within it (judged by the phase's median so far; the 1-client median times the queue
   before the first answer), except its first; the report says which phases were cut short
   and how many requests they made. At national scale the slow views are cut short.

The summary goes to standard output with, last, one JSON object: ``p50_ms_<view>_<cold|warm>``
and ``p95_ms_<view>_<cold|warm>`` with 10 clients, the same with 1 client under
``..._1client``, request counts, ``errors``, ``requests``, the scale and the load average at
start and end. PostgreSQL only (``make bench`` uses ``BENCH_DATABASE_URL``)::

    python manage.py bench_dashboard                  # generate, measure, delete
    python manage.py bench_dashboard --keep           # keep the data (and the bench user) ...
    python manage.py bench_dashboard --reuse          # ... measure them again
    python manage.py bench_dashboard --clean          # delete kept data and stop
    python manage.py bench_dashboard --products 30000 --bumdes 6000 --organisations 2000 \\
        --deals 5000 --shipments 10000                # a tenth of the scale
"""

from __future__ import annotations

import bisect
import http.client
import io
import itertools
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bumdes_export.accounts.models import Role, User
from bumdes_export.reference.models import CertificateType, Country, ExportGateway, HsCode, Region
from exporters.models import Service
from matchmaking.deals.models import MANUAL_STAGES, STAGE_ORDER, DealStage, LostReason
from matchmaking.management.commands.bench_matching import (
    CHAPTERS,
    FORMS,
    TOP_MARKETS,
    _copy,
    zipf_weights,
)
from matchmaking.oversight import ledger, tallies
from matchmaking.oversight.models import RegionTally
from products.catalogue.selectors import forget_shared_cache, shared_cache
from products.management.commands.bench_catalogue import free_port, percentile
from products.models import Product

MARKER = "bench-dashboard"  # Bumdes.business_units, Organisation.description, Forum.description
BENCH_USER = "bench-dashboard"
ROOT = Path(settings.BASE_DIR)
VIEWS = ("inbox", "shipments", "funnel", "province", "dashboard")  # measured in this order
REPORT_ORDER = ("dashboard", "province", "funnel", "shipments", "inbox")
#: The yardstick: the lightest page a signed-in user opens (the notifications inbox), measured
#: like the dashboard's views, shows what the clients and the machine cost any page.
YARDSTICK_URL = "/notifications/"
NEW_FILTER_SHARE = 0.35  # of a phase's requests, how many bring a filter not asked before
SHIPMENT_GROUPS = (
    "chapter",
    "heading",
    "destination",
    "province",
    "month",
    "bumdes",
    "organisation",
)
DAY = timedelta(days=1)
HISTORY_DAYS = 1100  # the registry's age: products and deals spread over three years

BUMDES_STATUSES = (("verified", 0.70), ("submitted", 0.10), ("draft", 0.14), ("returned", 0.06))
# Products of a verified BUMDes, and of one not verified yet.
PRODUCT_STATUSES = (
    ("export_ready", 0.43),
    ("verified", 0.20),
    ("submitted", 0.12),
    ("draft", 0.15),
    ("returned", 0.10),
)
EARLY_PRODUCT_STATUSES = (("draft", 0.55), ("submitted", 0.35), ("returned", 0.10))
ORGANISATION_KINDS = (
    ("exporter", 0.45),
    ("aggregator", 0.18),
    ("buyer", 0.27),
    ("platform", 0.05),
    ("service", 0.05),
)
TRADING_KINDS = ("exporter", "aggregator", "buyer")
CHANNELS = (
    ("inquiry", 0.35),
    ("sample_request", 0.15),
    ("offer", 0.15),
    ("forum_meeting", 0.10),
    ("outside", 0.25),
)
# Where deals stand (shipment stages follow --shipments: see _deal_plan).
OPEN_STAGES = (
    (DealStage.INTEREST, 0.30),
    (DealStage.SAMPLE_SENT, 0.12),
    (DealStage.LOI_MOU, 0.10),
    (DealStage.CONTRACT, 0.08),
    (DealStage.LOST, 0.18),
)
FIRST_SHIPMENT_SHARE = 0.12
REPEAT_SHIPMENT_SHARE = 0.10
# Days from the step before (sample sent, letter of intent, contract, first shipment).
STEP_GAPS = {
    DealStage.SAMPLE_SENT: (7, 40),
    DealStage.LOI_MOU: (10, 60),
    DealStage.CONTRACT: (10, 90),
    DealStage.FIRST_SHIPMENT: (15, 120),
}
SERVICE_STATUSES = (
    ("requested", 0.15),
    ("accepted", 0.15),
    ("declined", 0.10),
    ("in_progress", 0.15),
    ("completed", 0.40),
    ("cancelled", 0.05),
)
UNITS = (("kg", 0.80), ("ton", 0.08), ("l", 0.06), ("piece", 0.06))
FORUM_SLOTS_PER_DAY = 14


def _pick(rng: random.Random, table) -> str:
    """A value from ``((value, share), ...)``."""
    roll, total = rng.random(), 0.0
    for value, share in table:
        total += share
        if roll < total:
            return value
    return table[-1][0]


def _at(day: date, rng: random.Random) -> datetime:
    """A moment of office hours on ``day`` (UTC, Indonesian office hours)."""
    return datetime.combine(day, clock(1 + rng.randrange(8), rng.randrange(60)), tzinfo=UTC)


def _blank(names: str) -> dict[str, str]:
    """Text columns written empty."""
    return dict.fromkeys(names.split(), "")


def _bytea(blob: bytes) -> str:
    """A bytea value in COPY's text format."""
    return "\\\\x" + blob.hex()


@dataclass
class Products:
    """What the deal generator needs of the generated products (parallel lists)."""

    ids: list[int] = field(default_factory=list)
    bumdes: list[int] = field(default_factory=list)  # BUMDes id
    hs: list[str] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    price: list[float] = field(default_factory=list)  # USD per kg or litre
    ready: dict[int, date] = field(default_factory=dict)  # index -> day it became export-ready
    verified: dict[int, date] = field(default_factory=dict)  # index -> verified (not yet ready)


@dataclass
class Phase:
    """One (view, clients) run: every request's URL, start, end (monotonic) and status."""

    view: str
    clients: int
    planned: int
    records: list[tuple[str, float, float, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    capped: bool = False
    wall: float = 0.0

    def split(self) -> tuple[list[float], list[float]]:
        done: dict[str, float] = {}
        for url, _start, end, _status in self.records:
            done[url] = min(end, done.get(url, end))
        cold, warm = [], []
        for url, start, end, _status in self.records:
            (cold if start < done[url] else warm).append((end - start) * 1000)
        return cold, warm


class Command(BaseCommand):
    help = "Measure the dashboard's views on PostgreSQL at national scale (generates its data)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300_000)
        parser.add_argument("--bumdes", type=int, default=60_000)
        parser.add_argument("--organisations", type=int, default=20_000)
        parser.add_argument("--deals", type=int, default=50_000)
        parser.add_argument("--shipments", type=int, default=100_000)
        parser.add_argument("--service-requests", type=int, default=400)
        parser.add_argument("--requests", type=int, default=200, help="per view and client count")
        parser.add_argument("--clients", type=int, default=10)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
        parser.add_argument(
            "--budget", type=float, default=1200, help="seconds for the whole command"
        )
        parser.add_argument(
            "--shared-cache",
            default=None,
            help="SHARED_CACHE_URL of the served portal (default: the environment's, else the "
            "local Redis, database 3, when it answers, else the database's cache table)",
        )
        parser.add_argument("--seed", type=int, default=20261207)
        parser.add_argument("--keep", action="store_true", help="keep the generated data")
        parser.add_argument("--reuse", action="store_true", help="reuse kept data of this size")
        parser.add_argument("--clean", action="store_true", help="delete kept data and stop")

    # --- the run -----------------------------------------------------------------------------

    def handle(self, *args, **options):
        started = time.monotonic()
        load_start = os.getloadavg()
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_dashboard measures PostgreSQL: set DATABASE_URL to a PostgreSQL database "
                "(see `python manage.py help bench_dashboard`)."
            )
        settings.DEBUG = False  # no query log while generating
        shared = self._shared_cache_url(options["shared_cache"])
        settings.SHARED_CACHE_URL = os.environ["SHARED_CACHE_URL"] = shared
        forget_shared_cache()
        if options["clean"]:
            self._say("Deleting the generated data …")
            self._clean()
            self._say("Generated data deleted.")
            return
        if not Region.objects.filter(level=Region.Level.VILLAGE).exists():
            self._say("Loading the reference data …")
            call_command("load_reference_data", stdout=io.StringIO())
        sizes = {
            "products": options["products"],
            "bumdes": options["bumdes"],
            "organisations": options["organisations"],
            "deals": options["deals"],
            "shipments": options["shipments"],
        }
        if min(sizes.values()) < 1 or sizes["products"] < sizes["bumdes"] // 20:
            raise CommandError("Give at least one of each (and some products per BUMDes).")
        timings: dict[str, float] = {}
        seed = options["seed"]
        user, password = self._user()
        if options["reuse"] and self._sizes() == sizes:
            self._say("Reusing the generated data of an earlier run (--reuse).")
        else:
            if any(self._sizes().values()):
                self._say("Deleting the data of an earlier run …")
            self._clean(keep_user=True)
            began = time.perf_counter()
            self._generate(random.Random(seed), user, options)
            timings["generate_seconds"] = round(time.perf_counter() - began, 1)
            self._say(f"Generated in {timings['generate_seconds']} s.")
        if options["reuse"] and RegionTally.objects.filter(code="").exists():
            self._say("Reusing the tallies counted by an earlier run (--reuse).")
            # Kept with the tallies (an earlier run's code may have counted without it).
            ledger.refresh()
        else:
            # What the hourly task and the change events keep in a running portal.
            self._say("Counting the dashboard's tallies (every regency, then the provinces) …")
            began = time.perf_counter()
            tallies.refresh_all()
            timings["tallies_seconds"] = round(time.perf_counter() - began, 1)
            self._say(f"Counted in {timings['tallies_seconds']} s.")
        scale = self._scale()
        others = scale.pop("_other_products")
        if others:
            self._say(
                f"Note: the database holds {others:,} products besides the generated ones "
                "(another benchmark's kept data?); the views count them too."
            )
        # What deleting will take, kept back from the measuring budget.
        reserve = 0.0 if options["keep"] else 15 + 75 * scale["products"] / 300_000
        deadline = started + options["budget"] - reserve
        began = time.perf_counter()
        try:
            phases = self._measure(user, password, random.Random(seed + 1), deadline, options)
        finally:
            timings["measure_seconds"] = round(time.perf_counter() - began, 1)
            if not options["keep"]:
                self._say("Deleting the generated data (--keep keeps it) …")
                began = time.perf_counter()
                self._clean()
                timings["clean_seconds"] = round(time.perf_counter() - began, 1)
        load_end = os.getloadavg()
        result = self._figures(phases, options["clients"])
        result.update(scale)
        result.update(
            {
                "workers": options["workers"],
                "clients": options["clients"],
                "requests_per_phase": options["requests"],
                "seed": seed,
                "database": "postgresql",
                "shared_cache": "redis" if shared else "database",
                **timings,
                "total_seconds": round(time.monotonic() - started, 1),
                "load_1m_start": round(load_start[0], 2),
                "load_5m_start": round(load_start[1], 2),
                "load_1m_end": round(load_end[0], 2),
                "load_5m_end": round(load_end[1], 2),
            }
        )
        self._table(phases, result)
        self.stdout.write(json.dumps(result))

    @staticmethod
    def _shared_cache_url(given: str | None) -> str:
        """The shared cache the served portal uses: as given, else as the environment says,
        else the local Redis (its database 3, emptied between phases) when it answers."""
        if given is not None:
            return given
        if os.environ.get("SHARED_CACHE_URL"):
            return os.environ["SHARED_CACHE_URL"]
        try:
            with socket.create_connection(("127.0.0.1", 6379), timeout=1):
                return "redis://127.0.0.1:6379/3"
        except OSError:
            return ""

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    # --- figures -----------------------------------------------------------------------------

    @staticmethod
    def _figures(phases: list[Phase], clients: int) -> dict:
        result: dict = {"errors": sum(len(p.errors) for p in phases)}
        result["requests"] = sum(len(p.records) for p in phases)
        for phase in phases:
            suffix = "" if phase.clients == clients and clients != 1 else "_1client"
            cold, warm = phase.split()
            for kind, values in (("cold", cold), ("warm", warm)):
                key = f"{phase.view}_{kind}{suffix}"
                result[f"p50_ms_{key}"] = round(statistics.median(values), 1) if values else None
                result[f"p95_ms_{key}"] = round(percentile(values, 0.95), 1) if values else None
                result[f"n_{key}"] = len(values)
            result[f"requests_{phase.view}{suffix}"] = len(phase.records)
            result[f"errors_{phase.view}{suffix}"] = len(phase.errors)
            result[f"capped_{phase.view}{suffix}"] = phase.capped
            result[f"requests_per_s_{phase.view}{suffix}"] = (
                round(len(phase.records) / phase.wall, 2) if phase.wall else 0.0
            )
        return result

    def _table(self, phases: list[Phase], r: dict) -> None:
        say = self._say
        say("")
        say(
            f"products {r['products']:,} ({r['products_export_ready']:,} export-ready)  "
            f"BUMDes {r['bumdes']:,}  organisations {r['organisations']:,}  "
            f"deals {r['deals']:,} ({r['deal_steps']:,} steps)  shipments {r['shipments']:,}  "
            f"service requests {r['service_requests']:,}"
        )
        say(
            f"gunicorn workers {r['workers']}; load average {r['load_1m_start']} at start, "
            f"{r['load_1m_end']} at end"
        )
        say(
            f"{'view':<10} {'clients':>7} {'requests':>8} {'cold n':>6} {'p50':>8} {'p95':>8} "
            f"{'warm n':>6} {'p50':>8} {'p95':>8} {'req/s':>6} {'errors':>6}"
        )
        ordered = sorted(phases, key=lambda p: (REPORT_ORDER.index(p.view), p.clients))
        for phase in ordered:
            cold, warm = phase.split()

            def ms(values: list[float], share: float) -> str:
                if not values:
                    return "-"
                value = statistics.median(values) if share == 0.5 else percentile(values, share)
                return f"{value:.0f}"

            note = "  (cut short by the time budget)" if phase.capped else ""
            say(
                f"{phase.view:<10} {phase.clients:>7} {len(phase.records):>8} {len(cold):>6} "
                f"{ms(cold, 0.5):>8} {ms(cold, 0.95):>8} {len(warm):>6} {ms(warm, 0.5):>8} "
                f"{ms(warm, 0.95):>8} "
                f"{len(phase.records) / phase.wall if phase.wall else 0:>6.1f} "
                f"{len(phase.errors):>6}{note}"
            )
        capped = [p for p in ordered if p.capped]
        if capped:
            say(
                "Cut short by the time budget (requests made of those planned): "
                + ", ".join(
                    f"{p.view} with {p.clients} client{'s' if p.clients > 1 else ''} "
                    f"{len(p.records)} of {p.planned}"
                    for p in capped
                )
            )
        say("times in ms; targets: cold p95 <= 300 ms, warm p95 <= 100 ms, 0 errors")
        say(f"errors {r['errors']}, requests {r['requests']}")

    # --- data: counts and cleaning -----------------------------------------------------------

    def _sizes(self) -> dict[str, int]:
        scale = self._scale()
        return {k: scale[k] for k in ("products", "bumdes", "organisations", "deals", "shipments")}

    def _scale(self) -> dict[str, int]:
        """What the generated data hold (joins from the marked rows: no OR of subqueries, which
        PostgreSQL cannot hash at this size)."""
        ours = (
            "FROM products_product p JOIN products_bumdes b ON b.id = p.bumdes_id "
            "WHERE b.business_units = %(m)s"
        )
        deals = "FROM matchmaking_deal d JOIN products_product p ON p.id = d.product_id "
        deals += "JOIN products_bumdes b ON b.id = p.bumdes_id WHERE b.business_units = %(m)s"
        queries = {
            "bumdes": "SELECT count(*) FROM products_bumdes WHERE business_units = %(m)s",
            "products": f"SELECT count(*) {ours}",
            "products_export_ready": f"SELECT count(*) {ours} AND p.status = 'export_ready'",
            "history_entries": (
                "SELECT count(*) FROM products_historyentry h JOIN products_bumdes b "
                "ON b.id = h.bumdes_id WHERE b.business_units = %(m)s"
            ),
            "organisations": "SELECT count(*) FROM exporters_organisation WHERE description = %(m)s",
            "deals": f"SELECT count(*) {deals}",
            "deal_steps": (
                "SELECT count(*) FROM matchmaking_dealstep s JOIN matchmaking_deal d "
                "ON d.id = s.deal_id JOIN products_product p ON p.id = d.product_id "
                "JOIN products_bumdes b ON b.id = p.bumdes_id WHERE b.business_units = %(m)s"
            ),
            "shipments": (
                "SELECT count(*) FROM matchmaking_shipment s JOIN matchmaking_deal d "
                "ON d.id = s.deal_id JOIN products_product p ON p.id = d.product_id "
                "JOIN products_bumdes b ON b.id = p.bumdes_id WHERE b.business_units = %(m)s"
            ),
            "inquiries": (
                "SELECT count(*) FROM matchmaking_inquiry i JOIN products_product p "
                "ON p.id = i.product_id JOIN products_bumdes b ON b.id = p.bumdes_id "
                "WHERE b.business_units = %(m)s"
            ),
            "offers": (
                "SELECT count(*) FROM matchmaking_offer o JOIN products_product p "
                "ON p.id = o.product_id JOIN products_bumdes b ON b.id = p.bumdes_id "
                "WHERE b.business_units = %(m)s"
            ),
            "forum_meetings": (
                "SELECT count(*) FROM matchmaking_meeting m JOIN matchmaking_forum f "
                "ON f.id = m.forum_id WHERE f.description = %(m)s"
            ),
            "service_requests": (
                "SELECT count(*) FROM matchmaking_servicerequest r JOIN products_product p "
                "ON p.id = r.product_id JOIN products_bumdes b ON b.id = p.bumdes_id "
                "WHERE b.business_units = %(m)s"
            ),
            "_other_products": (
                "SELECT count(*) FROM products_product p JOIN products_bumdes b "
                "ON b.id = p.bumdes_id WHERE b.business_units <> %(m)s"
            ),
        }
        with connection.cursor() as cursor:
            out = {}
            for name, sql in queries.items():
                cursor.execute(sql, {"m": MARKER})
                out[name] = cursor.fetchone()[0]
        return out

    def _clean(self, keep_user: bool = False) -> None:
        """Delete every row the command generated: what hangs off the marked BUMDes,
        organisations and forums, and the bench user's targets (and the user). The ids are
        gathered into temporary tables first, so that each delete is one hashed semi-join."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM products_bumdes WHERE business_units = %(m)s) "
                "+ (SELECT count(*) FROM exporters_organisation WHERE description = %(m)s) "
                "+ (SELECT count(*) FROM matchmaking_forum WHERE description = %(m)s) "
                "+ (SELECT count(*) FROM matchmaking_provincetarget t JOIN accounts_user u "
                "ON u.id = t.set_by_id WHERE u.username = %(u)s)",
                {"m": MARKER, "u": BENCH_USER},
            )
            if cursor.fetchone()[0]:
                for name, sql in ID_SETS:
                    cursor.execute(f"DROP TABLE IF EXISTS {name}")
                    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {sql}", {"m": MARKER})
                    cursor.execute(f"ANALYZE {name}")
                for table, column, ids in CLEAN:
                    cursor.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT id FROM {ids})")
                cursor.execute(
                    "DELETE FROM matchmaking_provincetarget WHERE set_by_id IN "
                    "(SELECT id FROM accounts_user WHERE username = %s)",
                    [BENCH_USER],
                )
                for name, _sql in ID_SETS:
                    cursor.execute(f"DROP TABLE {name}")
        tallies.refresh_all()  # what is left, counted again
        if not keep_user:
            User.objects.filter(username=BENCH_USER).delete()

    def _user(self) -> tuple[User, str]:
        """The ministry account the requests sign in with (a fresh password each run)."""
        password = secrets.token_urlsafe(24)
        user, _created = User.objects.get_or_create(
            username=BENCH_USER,
            defaults={"email": f"{BENCH_USER}@bench.invalid", "role": Role.MINISTRY},
        )
        user.role, user.is_active, user.region = Role.MINISTRY, True, None
        # Hashed as the served portal checks it (Django's default hasher), whatever hashers
        # this process was given (the tests use a fast one the portal does not accept).
        user.password = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())
        user.save()
        return user, password

    # --- data: generation --------------------------------------------------------------------

    @staticmethod
    def _ids(table: str, count: int) -> list[int]:
        """``count`` ids drawn from the table's own sequence (rows are written with them)."""
        if count <= 0:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def _write(table: str, rows: Iterable[dict[str, Any]], **same: Any) -> None:
        """``COPY`` rows given as ``{column: value}`` (the same columns in the same order in
        every row), each with the columns of ``same`` too. Columns left out get their default
        (an id from the table's sequence, ``NULL``)."""
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return
        fixed = list(same.values())
        _copy(
            table,
            [*first, *same],
            ([*row.values(), *fixed] for row in itertools.chain([first], rows)),
        )

    def _generate(self, rng: random.Random, user: User, options) -> None:
        now = datetime.now(UTC)
        today = now.date()
        first_day = today - timedelta(days=HISTORY_DAYS)
        n_bumdes, n_products = options["bumdes"], options["products"]
        # Reference data.
        provinces = list(
            Region.objects.filter(level=Region.Level.PROVINCE, retired_at__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        villages: dict[str, list[str]] = {}
        for code in (
            Region.objects.filter(level=Region.Level.VILLAGE, kind="desa", retired_at__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        ):
            villages.setdefault(code[:2], []).append(code)
        with_villages = [p for p in provinces if villages.get(p)]
        if not with_villages:
            raise CommandError("No villages: run `python manage.py load_reference_data` first.")
        subheadings: dict[str, list[str]] = {}
        for code in HsCode.objects.filter(level=6).values_list("code", flat=True):
            subheadings.setdefault(code[:2], []).append(code)
        chapters = [c for c in CHAPTERS if c in subheadings]
        chapter_cum = list(itertools.accumulate(zipf_weights(len(chapters), 1.1)))
        sub_order = {}
        for chapter in chapters:
            codes = sorted(subheadings[chapter])
            rng.shuffle(codes)
            sub_order[chapter] = (codes, list(itertools.accumulate(zipf_weights(len(codes), 1.2))))
        certificates = dict(CertificateType.objects.values_list("code", "id"))

        def hs_code() -> str:
            chapter = chapters[bisect.bisect(chapter_cum, rng.random() * chapter_cum[-1])]
            codes, cum = sub_order[chapter]
            return codes[min(bisect.bisect(cum, rng.random() * cum[-1]), len(codes) - 1)]

        # Provinces: skewed like the registry. The three with the fewest villages (the newest)
        # lag behind: one has no BUMDes yet, in the two others none is verified yet.
        order = list(with_villages)
        rng.shuffle(order)
        weight = dict(zip(order, zipf_weights(len(order), 0.8), strict=True))
        smallest = sorted(with_villages, key=lambda code: (len(villages[code]), code))
        empty = smallest[:1] if len(smallest) > 3 else []
        lagging = set(smallest[1:3]) if len(smallest) > 3 else set()
        for code in empty:
            weight[code] = 0.0

        # BUMDes: distinct villages drawn with the province weights (Efraimidis-Spirakis).
        self._say(f"Generating {n_bumdes:,} BUMDes and {n_products:,} products …")
        keyed = [
            (rng.random() ** (1 / weight[p]), v)
            for p in with_villages
            if weight[p] > 0
            for v in villages[p]
        ]
        keyed.sort(reverse=True)
        chosen = [v for _k, v in keyed[:n_bumdes]]
        while len(chosen) < n_bumdes:  # more BUMDes than villages: several in some villages
            chosen.append(keyed[rng.randrange(len(keyed))][1])
        bumdes_ids = self._ids("products_bumdes", n_bumdes)
        bumdes_status, bumdes_created, rows = [], [], []
        for i, (pk, village) in enumerate(zip(bumdes_ids, chosen, strict=True)):
            status = _pick(rng, BUMDES_STATUSES)
            if village[:2] in lagging and status == "verified":
                status = "submitted"
            created = first_day - timedelta(days=rng.randrange(0, 200))
            bumdes_status.append(status)
            bumdes_created.append(created)
            digits = f"{rng.randrange(10**13):013d}"
            rows.append(
                {
                    "id": pk,
                    "name": f"BUMDes Bench {i} {village}",
                    "village_id": village,
                    "year_founded": rng.randrange(2015, 2025),
                    "legal_status": rng.choice(
                        ["legal_entity", "legal_entity", "name_registered", "not_yet"]
                    ),
                    "nib": digits if rng.random() < 0.7 else "",
                    "npwp": digits + "00" if rng.random() < 0.6 else "",
                    "manager_name": f"Pengelola {i}",
                    "address": f"Desa {village}",
                    "status": status,
                    "return_reason": "Lengkapi dokumen badan hukum."
                    if status == "returned"
                    else "",
                    "created_at": _at(created, rng),
                    "updated_at": _at(created, rng),
                }
            )
        self._write(
            "products_bumdes",
            rows,
            kind="bumdes",
            business_units=MARKER,
            **_blank("legal_certificate_number contact_phone contact_whatsapp contact_email"),
            **_blank("description photo"),
        )

        # Products, with their status changes (written a slice at a time).
        bumdes_cum = list(itertools.accumulate(rng.lognormvariate(0, 0.8) for _ in range(n_bumdes)))
        product_ids = self._ids("products_product", n_products)
        products = Products(ids=product_ids)
        rows, history, matched, held = [], [], [], []
        for i, pk in enumerate(product_ids):
            b = i if i < n_bumdes else bisect.bisect(bumdes_cum, rng.random() * bumdes_cum[-1])
            b = min(b, n_bumdes - 1)
            table = PRODUCT_STATUSES if bumdes_status[b] == "verified" else EARLY_PRODUCT_STATUSES
            status = _pick(rng, table)
            hs = hs_code()
            unit = _pick(rng, UNITS)
            chain = STATUS_CHAINS[status]
            # The moment of each change, in order, ending before today.
            gaps = [rng.randrange(1, 45) for _ in chain]
            span = (today - bumdes_created[b]).days - 2
            created_day = bumdes_created[b] + timedelta(
                days=rng.randrange(1, max(2, span - sum(gaps)))
            )
            created = _at(created_day, rng)
            moments, moment = [], created
            for gap in gaps:
                moment = min(moment + timedelta(days=gap, hours=rng.randrange(8)), now - DAY)
                moments.append(moment)
            if chain and rng.random() < 0.2:  # imported in its status: no changes recorded
                created = moments[-1] - timedelta(hours=1)
            else:
                history += [
                    {
                        "at": at,
                        "from_status": source,
                        "to_status": target,
                        "bumdes_id": bumdes_ids[b],
                        "product_id": pk,
                    }
                    for (source, target), at in zip(chain, moments, strict=True)
                ]
            capacity = rng.choice([10, 50, 100, 250, 500, 1000, 2000, 5000, 10000])
            factor = {"kg": 1, "ton": 1000, "l": 1}.get(unit)
            price = round(rng.uniform(0.5, 40), 2)
            rows.append(
                {
                    "id": pk,
                    "bumdes_id": bumdes_ids[b],
                    "name_id": f"Produk {hs} {i}",
                    "name_en": f"Product {hs} {i}",
                    "description_id": "Produk desa." if rng.random() < 0.8 else "",
                    "description_en": "A village product." if rng.random() < 0.6 else "",
                    "hs_code_id": hs,
                    "form": rng.choice(FORMS),
                    "unit": unit,
                    "capacity_per_month": capacity,
                    "capacity_base": capacity * factor if factor else None,
                    "base_unit": "l" if unit == "l" else "kg" if factor else "",
                    "available_months": rng.getrandbits(12) | 1 << rng.randrange(12),
                    "min_order": max(1, capacity // 10),
                    "price": price if rng.random() < 0.85 else None,
                    "incoterm": rng.choice(["FOB", "CIF", "EXW"]),
                    "packaging": rng.choice(["karung 50 kg", "kardus 10 kg", ""]),
                    "shelf_life_days": rng.choice([None, 90, 180, 365]),
                    "status": status,
                    "return_reason": "Lengkapi foto produk." if status == "returned" else "",
                    "readiness_score": (
                        rng.randrange(60, 101)
                        if status == "export_ready"
                        else rng.randrange(10, 90)
                    ),
                    "export_ready_at": moments[-1] if status == "export_ready" else None,
                    "created_at": created,
                    "updated_at": moments[-1] if chain else created,
                }
            )
            products.bumdes.append(bumdes_ids[b])
            products.hs.append(hs)
            products.unit.append(unit)
            products.price.append(price)
            reached = (moments[-1] if chain else created).date()
            if status == "export_ready":
                products.ready[i] = reached
            elif status == "verified":
                products.verified[i] = reached
            if status in ("verified", "export_ready"):
                matched.append(i)
                if rng.random() < 0.45:
                    held.append(i)
            if len(rows) == 50_000 or i == n_products - 1:
                self._write("products_product", rows, national_code="", currency="USD", version=1)
                rows = []
        self._write("products_historyentry", history, kind="transition", changes="{}", note="")
        self._say(f"  {len(history):,} status changes.")
        del history
        rows = []
        for i in held:
            for code in rng.sample(
                sorted(certificates), min(len(certificates), rng.choice([1, 2]))
            ):
                start = today - timedelta(days=rng.randrange(30, 700))
                rows.append(
                    {
                        "number": f"{code.upper()}/{product_ids[i]}",
                        "valid_from": start,
                        "valid_until": start + timedelta(days=rng.randrange(60, 1500)),
                        "type_id": certificates[code],
                        "product_id": product_ids[i],
                    }
                )
        self._write(
            "products_certificate", rows, issuer="Instansi penerbit", document="", created_at=now
        )
        self._say(f"  {len(rows):,} certificates.")
        trading, providers = self._organisations(rng, options["organisations"], provinces)
        # Match scores of verified and export-ready products (a good one for about half).
        rows = []
        for i in matched:
            score = rng.randrange(200, 960)
            entry = struct.pack(
                "<ih6h", rng.choice(trading), score, *(rng.randrange(0, 200) for _ in range(6))
            )
            rows.append(
                {"product_id": product_ids[i], "best_score": score, "entries": _bytea(entry)}
            )
        self._write(
            "matchmaking_productmatches",
            rows,
            product_version=1,
            weights_version=1,
            size=1,
            computed_at=now,
        )
        self._deals(rng, user, products, trading, providers, options)
        self._targets(rng, user, provinces, today)
        with connection.cursor() as cursor:
            for table in ANALYZED:
                cursor.execute(f"ANALYZE {table}")

    def _organisations(
        self, rng: random.Random, count: int, provinces: list[str]
    ) -> tuple[list[int], list[int]]:
        """The organisations; the ids of the verified trading ones and of the providers."""
        self._say(f"Generating {count:,} organisations …")
        first_day = date.today() - timedelta(days=HISTORY_DAYS)
        ids = self._ids("exporters_organisation", count)
        trading, providers, rows = [], [], []
        for i, pk in enumerate(ids):
            kind = _pick(rng, ORGANISATION_KINDS)
            verified = rng.random() < 0.9
            offers_services = kind in ("service", "platform")
            if kind in TRADING_KINDS and verified:
                trading.append(pk)
            if offers_services:
                providers.append(pk)
            created = _at(first_day - timedelta(days=rng.randrange(1, 300)), rng)
            services = rng.sample(list(Service.values), rng.randrange(1, 4))
            rows.append(
                {
                    "id": pk,
                    "legal_name": f"Bench Organisation {i}",
                    "kind": kind,
                    "country_id": self._country(rng) if kind == "buyer" else "ID",
                    "province_id": (
                        rng.choice(provinces) if kind != "buyer" and rng.random() < 0.7 else None
                    ),
                    "services": json.dumps(sorted(services) if offers_services else []),
                    "status": "verified" if verified else "pending",
                    "verified_at": created if verified else None,
                    "privacy_consent_at": created,
                    "created_at": created,
                    "updated_at": created,
                }
            )
        self._write(
            "exporters_organisation",
            rows,
            description=MARKER,
            languages='["id", "en"]',
            required_certificates="[]",
            incoterms='["FOB"]',
            version=1,
            **_blank("nib npwp address contact_name contact_email contact_phone website logo"),
            rejection_reason="",
        )
        return trading or ids[:1], providers or ids[-1:]

    def _country(self, rng: random.Random) -> str:
        """A destination abroad, the main markets most often."""
        if not hasattr(self, "_countries"):
            countries = [
                c for c in TOP_MARKETS if c != "ID" and Country.objects.filter(code=c).exists()
            ] or list(Country.objects.exclude(code="ID").values_list("code", flat=True)[:20])
            self._countries = (
                countries,
                list(itertools.accumulate(zipf_weights(len(countries), 0.9))),
            )
        countries, cum = self._countries
        return countries[min(bisect.bisect(cum, rng.random() * cum[-1]), len(countries) - 1)]

    def _deals(
        self,
        rng: random.Random,
        user: User,
        products: Products,
        trading: list[int],
        providers: list[int],
        options,
    ) -> None:
        now = datetime.now(UTC)
        today = now.date()
        n_deals, n_shipments = options["deals"], options["shipments"]
        self._say(f"Generating {n_deals:,} deals and {n_shipments:,} shipments …")
        gateways = list(ExportGateway.objects.values_list("code", flat=True)) or [None]
        headings = set(HsCode.objects.filter(level=4).values_list("code", flat=True))
        ready = sorted(products.ready)
        verified = sorted(products.verified)
        if not ready and not verified:
            raise CommandError("No export-ready or verified product to make deals with.")
        ready = ready or verified
        org_cum = list(itertools.accumulate(rng.lognormvariate(0, 1.2) for _ in trading))

        def organisation() -> int:
            at = bisect.bisect(org_cum, rng.random() * org_cum[-1])
            return trading[min(at, len(trading) - 1)]

        # How many deals ship once, and how many more than once (at least twice each).
        n_first = min(round(FIRST_SHIPMENT_SHARE * n_deals), n_shipments)
        n_repeat = min(round(REPEAT_SHIPMENT_SHARE * n_deals), (n_shipments - n_first) // 2)
        if n_first + n_repeat > n_deals:
            n_first = n_deals - n_repeat
        spare = n_shipments - n_first - 2 * n_repeat
        if n_repeat == 0:
            n_first, spare = min(n_deals, n_shipments), 0
        stages = [DealStage.FIRST_SHIPMENT] * n_first + [DealStage.REPEAT_SHIPMENTS] * n_repeat
        open_total = sum(share for _s, share in OPEN_STAGES)
        stages += [
            _pick(rng, [(s, w / open_total) for s, w in OPEN_STAGES])
            for _ in range(n_deals - len(stages))
        ]
        rng.shuffle(stages)
        # Extra shipments of the repeat deals: a few frequent exporters ship most.
        repeat_weights = [min(rng.paretovariate(1.3), 25.0) for _ in range(n_repeat)]
        total_weight = sum(repeat_weights) or 1.0
        extra = [int(spare * w / total_weight) for w in repeat_weights]
        for k in range(spare - sum(extra)):
            extra[k % max(1, n_repeat)] += 1

        forums = self._forums(rng, user, today)
        pairs: set[tuple[int, int]] = set()
        deals, steps, shipments, inquiries, requests, offers = [], [], [], [], [], []
        forum_deals = []  # (deal index, forum index, product index, organisation)
        repeat_index = skipped = 0
        for pk, stage in zip(self._ids("matchmaking_deal", n_deals), stages, strict=True):
            channel = _pick(rng, CHANNELS)
            forum = rng.randrange(len(forums)) if channel == "forum_meeting" and forums else None
            if channel == "forum_meeting" and forum is None:
                channel = "outside"
            # The stages reached by hand, then the shipments, or the loss, with the days
            # between them.
            lost_after = None
            if stage == DealStage.LOST:
                lost_after = rng.choice(list(MANUAL_STAGES))
            last = lost_after or stage
            reached = [DealStage.INTEREST]
            for s in MANUAL_STAGES[1:]:
                if STAGE_ORDER.index(s) < STAGE_ORDER.index(last):
                    sample = s == DealStage.SAMPLE_SENT and channel != "sample_request"
                    if rng.random() > (0.4 if sample else 0.1):
                        reached.append(s)
                elif s == last:
                    reached.append(s)
            shipped = 0
            if stage == DealStage.FIRST_SHIPMENT:
                shipped = 1
            elif stage == DealStage.REPEAT_SHIPMENTS:
                shipped = 2 + extra[repeat_index]
                repeat_index += 1
            gaps = [rng.randrange(*STEP_GAPS[s]) for s in reached[1:]]
            if shipped:
                gaps.append(rng.randrange(*STEP_GAPS[DealStage.FIRST_SHIPMENT]))
            if lost_after:
                gaps.append(rng.randrange(10, 120))
            # Time to ship again before today, for a deal that ships often.
            needed = timedelta(days=sum(gaps) + min(shipped - 1, 24) * 20 if shipped else sum(gaps))
            # A product ready before the forum (or early enough for the steps to fit).
            pool = verified if channel == "outside" and verified and rng.random() < 0.1 else ready
            found = None
            for attempt in range(60):
                p = pool[rng.randrange(len(pool))]
                since = products.ready.get(p) or products.verified[p]
                if forum is not None and forums[forum]["day"] <= since:
                    if attempt >= 30:  # an early forum, when few products were ready
                        forum, channel = None, "outside"
                    continue
                if attempt < 30 and since + needed >= today:
                    continue
                org = organisation()
                if (p, org) not in pairs:
                    found = p, org, since
                    break
            if found is None:  # every pair taken: a very small scale
                skipped += 1
                continue
            p, org, since = found
            pairs.add((p, org))
            if forum is not None:
                day0 = forums[forum]["day"]
            else:
                latest = max(since, today - needed) if since + needed < today else since
                day0 = min(
                    since + timedelta(days=rng.randint(1, max(1, (latest - since).days))), today
                )
            # Dated in order, squeezed to end by today where they do not fit.
            squeeze = min(1.0, (today - day0).days / sum(gaps)) if sum(gaps) else 1.0
            days, day = [day0], day0
            for gap in gaps:
                day = min(day + timedelta(days=int(gap * squeeze)), today)
                days.append(day)
            # The repeat shipments fall anywhere between the first one and today.
            ship_days = []
            if shipped:
                first = days[len(reached)]
                ship_days = [first] + sorted(
                    first + timedelta(days=rng.randint(0, (today - first).days))
                    for _ in range(shipped - 1)
                )
            for s, on in zip(reached, days, strict=False):
                agreed = s in (DealStage.LOI_MOU, DealStage.CONTRACT) and rng.random() < 0.7
                volume = rng.choice([500, 1000, 5000, 10000, 20000]) if agreed else None
                steps.append(
                    {
                        "deal_id": pk,
                        "stage": s,
                        "occurred_on": on,
                        "volume_kg": volume,
                        "value_usd": round(volume * products.price[p], 2) if volume else None,
                        "destination_id": self._country(rng) if agreed else None,
                        "note": "",
                        "recorded_at": _at(on, rng),
                    }
                )
            closing = []
            if ship_days:
                closing.append((DealStage.FIRST_SHIPMENT, ship_days[0], ""))
            if len(ship_days) > 1:
                closing.append((DealStage.REPEAT_SHIPMENTS, ship_days[1], ""))
            reason = note = ""
            if lost_after:
                reason = rng.choice(list(LostReason.values))
                note = "Pembeli membatalkan pesanan." if reason == LostReason.OTHER else ""
                closing.append((DealStage.LOST, days[-1], note))
            for s, on, text in closing:
                steps.append(
                    {
                        "deal_id": pk,
                        "stage": s,
                        "occurred_on": on,
                        "volume_kg": None,
                        "value_usd": None,
                        "destination_id": None,
                        "note": text,
                        "recorded_at": _at(on, rng),
                    }
                )
            destination = self._country(rng)
            unit = products.unit[p]
            for on in ship_days:
                quantity = rng.choice([200, 500, 1000, 2000, 5000, 10000])
                if unit == "ton":
                    quantity = max(1, quantity // 1000)
                volume = {"ton": quantity * 1000, "kg": quantity, "l": quantity}.get(
                    unit, quantity * rng.choice([1, 2, 5])
                )
                value = round(volume * products.price[p] * rng.uniform(0.8, 1.2), 2) or 1.0
                rate = round(rng.uniform(14_800, 16_600), 2)
                if rng.random() < 0.15:
                    destination = self._country(rng)
                shipments.append(
                    {
                        "deal_id": pk,
                        "shipped_on": on,
                        "hs_code_id": products.hs[p],
                        "quantity": quantity,
                        "unit": unit,
                        "volume": volume,
                        "volume_unit": "l" if unit == "l" else "kg",
                        "value_usd": value,
                        "idr_per_usd": rate,
                        "value_idr": round(value * rate),
                        "destination_id": destination,
                        "gateway_id": rng.choice(gateways),
                        "peb_number": f"PEB-{rng.randrange(10**8):08d}",
                        "recorded_at": _at(on, rng),
                    }
                )
            deal = {
                "id": pk,
                "product_id": products.ids[p],
                "organisation_id": org,
                "channel": channel,
                "stage": stage,
                "lost_reason": reason,
                "lost_note": note,
                "opened_at": _at(day0, rng),
                "updated_at": _at(days[-1], rng),
                "inquiry_id": None,  # an index into inquiries until they are written
                "offer_id": None,  # ... into offers
                "meeting_id": None,
            }
            if channel in ("inquiry", "sample_request"):
                deal["inquiry_id"] = len(inquiries)
                asked = _at(day0 - timedelta(days=rng.randrange(0, 10)), rng)
                status = rng.choice(["answered", "answered", "closed"])
                if channel == "sample_request" and rng.random() < 0.4:
                    status = "sample_sent"
                inquiries.append(
                    {
                        "kind": channel,
                        "subject": f"Permintaan {products.hs[p]}",
                        "status": status,
                        "created_at": asked,
                        "last_activity_at": min(asked + timedelta(days=rng.randrange(1, 20)), now),
                        "closed_at": (
                            min(asked + timedelta(days=30), now) if status == "closed" else None
                        ),
                        "organisation_id": org,
                        "product_id": products.ids[p],
                    }
                )
            elif channel == "offer":
                deal["offer_id"] = len(offers)
                hs = products.hs[p]
                requests.append(
                    {
                        "organisation_id": org,
                        "title": f"Mencari {hs}",
                        "hs_code_id": hs[:4] if hs[:4] in headings else hs,
                        "quantity": rng.choice([1000, 5000, 20000]),
                        "destination_id": self._country(rng),
                        "valid_until": day0 + timedelta(days=30),
                        "created_at": _at(day0 - timedelta(days=rng.randrange(15, 45)), rng),
                        "updated_at": _at(day0, rng),
                    }
                )
                offers.append(
                    {
                        "product_id": products.ids[p],
                        "price": round(products.price[p], 2),
                        "quantity": rng.choice([1000, 5000, 20000]),
                        "created_at": _at(day0 - timedelta(days=rng.randrange(1, 14)), rng),
                        "decided_at": _at(day0, rng),
                    }
                )
            elif channel == "forum_meeting":
                forum_deals.append((len(deals), forum, p, org))
            deals.append(deal)
        # Inquiries that led nowhere (yet): the funnel's "contacted" is larger than its deals.
        for _ in range(len(deals) // 2):
            p = ready[rng.randrange(len(ready))]
            org = organisation()
            if (p, org) in pairs:
                continue
            pairs.add((p, org))
            since = products.ready.get(p) or products.verified[p]
            asked = _at(min(since + timedelta(days=rng.randrange(1, 200)), today), rng)
            status = rng.choice(["open", "answered", "closed"])
            inquiries.append(
                {
                    "kind": rng.choice(["inquiry", "inquiry", "interest"]),
                    "subject": f"Pertanyaan {products.hs[p]}",
                    "status": status,
                    "created_at": asked,
                    "last_activity_at": asked,
                    "closed_at": min(asked + timedelta(days=20), now)
                    if status == "closed"
                    else None,
                    "organisation_id": org,
                    "product_id": products.ids[p],
                }
            )
        # The origins first, then the deals that name them.
        inquiry_ids = self._ids("matchmaking_inquiry", len(inquiries))
        self._write(
            "matchmaking_inquiry",
            ({"id": pk, **row} for pk, row in zip(inquiry_ids, inquiries, strict=True)),
        )
        request_ids = self._ids("matchmaking_buyingrequest", len(requests))
        self._write(
            "matchmaking_buyingrequest",
            ({"id": pk, **row} for pk, row in zip(request_ids, requests, strict=True)),
            description="",
            unit="kg",
            currency="USD",
            incoterm="FOB",
            status="closed",
        )
        offer_ids = self._ids("matchmaking_offer", len(offers))
        self._write(
            "matchmaking_offer",
            (
                {"id": pk, **row, "buying_request_id": request}
                for pk, row, request in zip(offer_ids, offers, request_ids, strict=True)
            ),
            currency="USD",
            incoterm="FOB",
            unit="kg",
            message="",
            status="accepted",
        )
        meetings = self._meetings(rng, forums, forum_deals, products)
        for d, deal in enumerate(deals):
            if deal["inquiry_id"] is not None:
                deal["inquiry_id"] = inquiry_ids[deal["inquiry_id"]]
            if deal["offer_id"] is not None:
                deal["offer_id"] = offer_ids[deal["offer_id"]]
            deal["meeting_id"] = meetings.get(d)
        # Each shipment names where it shipped from (the product's BUMDes and its village) and
        # who bought it (the deal's organisation).
        origin = {
            pk: (bumdes, village)
            for pk, bumdes, village in Product.objects.filter(
                pk__in={deal["product_id"] for deal in deals}
            ).values_list("pk", "bumdes_id", "bumdes__village_id")
        }
        product_of = {deal["id"]: deal["product_id"] for deal in deals}
        organisation_of = {deal["id"]: deal["organisation_id"] for deal in deals}
        for shipment in shipments:
            shipment["bumdes_id"], shipment["village_id"] = origin[product_of[shipment["deal_id"]]]
            shipment["organisation_id"] = organisation_of[shipment["deal_id"]]
        self._write("matchmaking_deal", deals, note="", opened_by_id=user.pk)
        self._write("matchmaking_dealstep", steps, recorded_by_id=user.pk)
        self._write(
            "matchmaking_shipment", shipments, coo_number="", note="", recorded_by_id=user.pk
        )
        self._say(
            f"  {len(deals):,} deals, {len(steps):,} steps, {len(shipments):,} shipments, "
            f"{len(inquiries):,} inquiries, {len(offers):,} offers, {len(meetings):,} forum deals"
            + (f"; {skipped} left out (no product and organisation left)." if skipped else ".")
        )
        self._service_requests(rng, user, deals, products, providers, options["service_requests"])

    def _forums(self, rng: random.Random, user: User, today: date) -> list[dict]:
        """A business-matching forum each quarter of the registry's life (two days each)."""
        days = []
        day = today - timedelta(days=HISTORY_DAYS - 120)
        while day < today - timedelta(days=20):
            days.append(day)
            day += timedelta(days=91)
        forums, rows = [], []
        ids = self._ids("matchmaking_forum", len(days))
        for n, (pk, starts) in enumerate(zip(ids, days, strict=True)):
            forums.append({"id": pk, "day": starts})
            opens = _at(starts - timedelta(days=60), rng)
            rows.append(
                {
                    "id": pk,
                    "name": f"Forum Bisnis Bench {n + 1}",
                    "starts_on": starts,
                    "ends_on": starts + DAY,
                    "registration_opens": opens,
                    "registration_closes": opens + timedelta(days=45),
                    "scheduled_at": opens + timedelta(days=50),
                    "created_at": opens,
                    "updated_at": opens,
                }
            )
        self._write(
            "matchmaking_forum",
            rows,
            description=MARKER,
            venue="Gedung Kementerian Desa, Jakarta",
            online_url="",
            time_zone="Asia/Jakarta",
            meeting_minutes=30,
            status="finished",
            organiser_id=user.pk,
        )
        return forums

    def _meetings(
        self,
        rng: random.Random,
        forums: list[dict],
        forum_deals: list[tuple[int, int, int, int]],
        products: Products,
    ) -> dict[int, int]:
        """Participants (BUMDes with the products they brought, organisations), accepted
        requests and held meetings for the forum deals; the meeting of each deal (by index)."""
        per_forum: dict[int, list] = {}
        for row in forum_deals:
            per_forum.setdefault(row[1], []).append(row)
        slots, tables, participants, brought, requests, meetings = [], [], [], set(), [], []
        meeting_of_deal: dict[int, int] = {}
        for f, rows in per_forum.items():
            forum = forums[f]
            slot_count = 2 * FORUM_SLOTS_PER_DAY
            slot_ids = self._ids("matchmaking_forumslot", slot_count)
            for k, pk in enumerate(slot_ids):
                day = forum["day"] + timedelta(days=k // FORUM_SLOTS_PER_DAY)
                starts = datetime.combine(day, clock(2, 0), tzinfo=UTC) + timedelta(
                    minutes=30 * (k % FORUM_SLOTS_PER_DAY)
                )
                slots.append(
                    {
                        "id": pk,
                        "forum_id": forum["id"],
                        "starts_at": starts,
                        "ends_at": starts + timedelta(minutes=30),
                    }
                )
            table_ids = self._ids("matchmaking_forumtable", -(-len(rows) // slot_count) + 1)
            tables += [
                {"id": pk, "forum_id": forum["id"], "name": f"Meja {k + 1}"}
                for k, pk in enumerate(table_ids)
            ]
            party: dict[tuple[str, int], int] = {}
            placed: dict[tuple[int, int], int] = {}
            for d, _f, p, org in rows:
                keys = (("bumdes", products.bumdes[p]), ("organisation", org))
                for kind, pk in keys:
                    if (kind, pk) not in party:
                        party[kind, pk] = len(participants)
                        registered = _at(forum["day"] - timedelta(days=30), rng)
                        participants.append(
                            {
                                "forum_id": forum["id"],
                                "kind": kind,
                                "bumdes_id": pk if kind == "bumdes" else None,
                                "organisation_id": pk if kind == "organisation" else None,
                                "registered_at": registered,
                                "decided_at": registered + DAY,
                            }
                        )
                bumdes_party, org_party = party[keys[0]], party[keys[1]]
                brought.add((bumdes_party, products.ids[p]))
                if (org_party, bumdes_party) not in placed:
                    k = len(placed)
                    placed[org_party, bumdes_party] = len(meetings)
                    asked = _at(forum["day"] - timedelta(days=rng.randrange(3, 20)), rng)
                    requests.append((forum["id"], org_party, bumdes_party, asked))
                    meetings.append(
                        (slot_ids[k % slot_count], table_ids[k // slot_count], len(requests) - 1)
                    )
                meeting_of_deal[d] = placed[org_party, bumdes_party]
        participant_ids = self._ids("matchmaking_forumparticipant", len(participants))
        self._write("matchmaking_forumslot", slots)
        self._write("matchmaking_forumtable", tables)
        self._write(
            "matchmaking_forumparticipant",
            ({"id": pk, **row} for pk, row in zip(participant_ids, participants, strict=True)),
            status="approved",
            **_blank("note decision_reason time_zone"),
        )
        self._write(
            "matchmaking_forumparticipant_products",
            (
                {"forumparticipant_id": participant_ids[a], "product_id": p}
                for a, p in sorted(brought)
            ),
        )
        request_ids = self._ids("matchmaking_meetingrequest", len(requests))
        self._write(
            "matchmaking_meetingrequest",
            (
                {
                    "id": pk,
                    "forum_id": forum_id,
                    "from_participant_id": participant_ids[a],
                    "to_participant_id": participant_ids[b],
                    "pair": "-".join(
                        str(i) for i in sorted((participant_ids[a], participant_ids[b]))
                    ),
                    "created_at": asked,
                    "answered_at": asked + DAY,
                }
                for pk, (forum_id, a, b, asked) in zip(request_ids, requests, strict=True)
            ),
            status="accepted",
            **_blank("message answer unplaced_reason"),
        )
        meeting_ids = self._ids("matchmaking_meeting", len(meetings))
        self._write(
            "matchmaking_meeting",
            (
                {
                    "id": pk,
                    "forum_id": requests[r][0],
                    "party_a_id": participant_ids[requests[r][1]],
                    "party_b_id": participant_ids[requests[r][2]],
                    "slot_id": slot,
                    "table_id": table,
                    "request_id": request_ids[r],
                }
                for pk, (slot, table, r) in zip(meeting_ids, meetings, strict=True)
            ),
            status="held",
            placed_by="scheduler",
            placed_at=datetime.now(UTC),
        )
        return {d: meeting_ids[m] for d, m in meeting_of_deal.items()}

    def _service_requests(
        self,
        rng: random.Random,
        user: User,
        deals: list[dict],
        products: Products,
        providers: list[int],
        count: int,
    ) -> None:
        """Facilitation asked by either side, most of it on a deal, in every status."""
        now = datetime.now(UTC)
        ready = sorted(products.ready) or sorted(products.verified)
        rows = []
        for _ in range(count):
            deal = rng.choice(deals) if deals and rng.random() < 0.6 else None
            if deal is not None:
                product = deal["product_id"]
                asked_by = deal["organisation_id"] if rng.random() < 0.5 else None
                deal_id = deal["id"] if rng.random() < 0.7 else None
            else:
                product, asked_by, deal_id = products.ids[rng.choice(ready)], None, None
            provider = rng.choice(providers)
            status = _pick(rng, SERVICE_STATUSES)
            created = now - timedelta(
                days=rng.randrange(50, HISTORY_DAYS - 200), hours=rng.randrange(24)
            )
            answered = completed = None
            if status not in ("requested", "cancelled") or (
                status == "cancelled" and rng.random() < 0.5
            ):
                answered = created + timedelta(hours=rng.randrange(2, 200))
            if status == "completed" and answered:
                completed = answered + timedelta(days=rng.randrange(2, 40), hours=rng.randrange(24))
            rows.append(
                {
                    "service": rng.choice(list(Service.values)),
                    "provider_id": provider,
                    "product_id": product,
                    "requesting_organisation_id": asked_by if asked_by != provider else None,
                    "deal_id": deal_id,
                    "status": status,
                    "created_at": created,
                    "updated_at": completed or answered or created,
                    "answered_at": answered,
                    "completed_at": completed,
                }
            )
        self._write(
            "matchmaking_servicerequest",
            rows,
            shipment="",
            description="Bantuan dokumen dan pengiriman untuk ekspor.",
            requested_by_id=user.pk,
        )

    def _targets(self, rng: random.Random, user: User, provinces: list[str], today: date) -> None:
        """Ministry targets for this year and the two before, set where none is: ambitious
        enough that about half the provinces miss them."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT substr(b.village_id, 1, 2), count(DISTINCT b.id) FROM products_bumdes b "
                "JOIN products_product p ON p.bumdes_id = b.id "
                "WHERE p.status = 'export_ready' GROUP BY 1"
            )
            ready = dict(cursor.fetchall())
            cursor.execute("SELECT province_id, year FROM matchmaking_provincetarget")
            taken = set(cursor.fetchall())
        rows = []
        for year in range(today.year - 2, today.year + 1):
            growth = 0.8 + 0.1 * (year - today.year + 2)
            for code in provinces:
                if (code, year) not in taken:
                    target = round(ready.get(code, 0) * rng.uniform(0.6, 1.4) * growth)
                    rows.append(
                        {
                            "province_id": code,
                            "year": year,
                            "export_ready_bumdes": min(max(1, target), 30_000),
                        }
                    )
        self._write("matchmaking_provincetarget", rows, set_at=datetime.now(UTC), set_by_id=user.pk)

    # --- measuring ---------------------------------------------------------------------------

    def _mixes(self, rng: random.Random, count: int) -> dict[str, list[str]]:
        """Each view's seeded sequence of URLs: about ``NEW_FILTER_SHARE`` of them a filter not
        asked before, the rest repeats of earlier ones."""
        today = date.today()
        provinces = list(
            Region.objects.filter(level=Region.Level.PROVINCE, retired_at__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
        years = [today.year - 2, today.year - 1, today.year]
        periods: list[tuple[date | None, date | None]] = [(None, None)] * 4
        for year in years:
            periods.append((date(year, 1, 1), min(date(year, 12, 31), today)))
            for quarter in range(4):
                start = date(year, 3 * quarter + 1, 1)
                if start <= today:
                    end = (date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1)) - DAY
                    periods.append((start, min(end, today)))
        month = date(today.year, today.month, 1)
        following = today + DAY
        for _ in range(24):
            periods.append((month, following - DAY))
            following, month = month, (month - DAY).replace(day=1)
        for days in (30, 90, 365):
            periods.append((today - timedelta(days=days), None))

        def period() -> dict[str, str]:
            start, end = rng.choice(periods)
            out = {}
            if start:
                out["shipped_from"] = start.isoformat()
            if end:
                out["shipped_until"] = end.isoformat()
            return out

        def new_url(view: str) -> str:
            if view == "inbox":
                return YARDSTICK_URL
            if view == "dashboard":
                return f"/dashboard/?{urlencode({'year': rng.choice(years), **period()})}"
            if view == "province":
                code = rng.choice(provinces)
                return f"/dashboard/provinces/{code}/?{urlencode({'year': rng.choice(years), **period()})}"
            if view == "funnel":  # the funnel takes no period: the country or a province
                if rng.random() < 0.5:
                    return "/api/v1/dashboard/funnel/"
                return f"/api/v1/dashboard/funnel/?{urlencode({'region': rng.choice(provinces)})}"
            query = {"group": rng.choice(SHIPMENT_GROUPS), **period()}
            if rng.random() < 0.5:
                query["region"] = rng.choice(provinces)
            return f"/api/v1/dashboard/shipments/?{urlencode(query)}"

        mixes = {}
        for view in VIEWS:
            seen: list[str] = []
            urls = []
            for _ in range(count):
                url = None
                if not seen or rng.random() < NEW_FILTER_SHARE:
                    for _attempt in range(50):
                        candidate = new_url(view)
                        if candidate not in seen:
                            url = candidate
                            seen.append(url)
                            break
                urls.append(url or rng.choice(seen))
            mixes[view] = urls
        return mixes

    def _measure(
        self, user: User, password: str, rng: random.Random, deadline: float, options
    ) -> list[Phase]:
        mixes = self._mixes(rng, options["requests"])
        plan = [(view, clients) for clients in (1, options["clients"]) for view in VIEWS]
        port = free_port()
        static = tempfile.TemporaryDirectory(prefix="bench-dashboard-static-")
        env = self._environment(static.name)
        self._say("Collecting the static files (production serves them hashed) …")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        phases: list[Phase] = []
        server: subprocess.Popen | None = None
        try:
            for n, (view, clients) in enumerate(plan):
                share = (deadline - time.monotonic()) / (len(plan) - n)
                phase_deadline = time.monotonic() + max(share, 1.0)
                if server is not None:
                    self._stop(server)
                cache.clear()
                shared_cache().clear()
                server = self._start(port, env, options["workers"])
                headers = self._sign_in(port, user.username, password, view)
                urls = mixes[view]
                self._say(
                    f"Measuring {view} with {clients} client{'s' if clients > 1 else ''}: "
                    f"{len(urls)} requests, at most {phase_deadline - time.monotonic():.0f} s …"
                )
                phase = Phase(view, clients, len(urls))
                # Until its first answers, a request is expected to take as long as with one
                # client, times the queue in front of the workers.
                alone = [
                    statistics.median([end - start for _u, start, end, _s in p.records])
                    for p in phases
                    if p.view == view and p.records
                ]
                prior = alone[0] * max(1.0, clients / options["workers"]) if alone else 0.0
                self._run(port, urls, clients, headers, phase_deadline, phase, prior)
                phases.append(phase)
        finally:
            if server is not None:
                self._stop(server)
            static.cleanup()
        return phases

    def _environment(self, static_root: str) -> dict[str, str]:
        db = connection.settings_dict
        return {
            **os.environ,
            "DATABASE_URL": (
                f"postgres://{quote(db['USER'] or 'postgres', safe='')}:"
                f"{quote(db['PASSWORD'] or '', safe='')}@"
                f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            # Plain HTTP on the loopback: the cookies travel without TLS.
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }

    def _start(self, port: int, env: dict[str, str], workers: int) -> subprocess.Popen:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bumdes_export.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "600",
            ],
            cwd=ROOT,
            env=env,
        )
        limit = time.monotonic() + 90
        while time.monotonic() < limit:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}")
            try:
                status, _headers, _body = _request(port, "GET", "/login/")
                if status == 200:
                    return server
            except OSError:
                pass
            time.sleep(0.2)
        self._stop(server)
        raise CommandError("gunicorn did not answer within 90 s")

    @staticmethod
    def _stop(server: subprocess.Popen) -> None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    @staticmethod
    def _sign_in(port: int, username: str, password: str, view: str) -> dict[str, str]:
        """Headers of a signed-in ministry user: the session cookie from the login form for
        the pages, an API token for the API."""
        if view in ("funnel", "shipments"):
            body = json.dumps({"username": username, "password": password})
            status, _headers, answer = _request(
                port, "POST", "/api/v1/auth/token/", body, {"Content-Type": "application/json"}
            )
            if status != 200:
                raise CommandError(f"POST /api/v1/auth/token/ answered {status}: {answer[:200]!r}")
            return {
                "Authorization": f"Token {json.loads(answer)['token']}",
                "Accept": "application/json",
            }
        status, headers, page = _request(port, "GET", "/login/")
        cookies = _cookies(headers)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found or "csrftoken" not in cookies:
            raise CommandError(f"GET /login/ answered {status} without a CSRF token")
        form = urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": found.group(1).decode(),
            }
        )
        status, headers, page = _request(
            port,
            "POST",
            "/login/",
            form,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        cookies.update(_cookies(headers))
        if status != 302 or "sessionid" not in cookies:
            raise CommandError(f"Signing in answered {status}: {page[:300]!r}")
        return {"Cookie": f"sessionid={cookies['sessionid']}", "Accept": "text/html"}

    def _run(
        self,
        port: int,
        urls: list[str],
        clients: int,
        headers: dict[str, str],
        deadline: float,
        phase: Phase,
        prior: float,
    ) -> None:
        """Send ``urls`` from ``clients`` threads, one keep-alive connection each. No request
        starts that would not end before ``deadline`` (by the median so far, ``prior`` before
        the first answer), except the first: a phase cut short says so."""
        lock = threading.Lock()
        position = iter(range(len(urls)))
        latencies: list[float] = []

        def client() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
            while True:
                with lock:
                    expected = statistics.median(latencies) if latencies else prior
                    index = next(position, None)
                    if index is None:
                        break
                    if index and time.monotonic() + expected >= deadline:
                        phase.capped = True
                        break
                url = urls[index]
                started = time.monotonic()
                try:
                    conn.request("GET", url, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
                    status, body = 0, str(error).encode()
                ended = time.monotonic()
                with lock:
                    latencies.append(ended - started)
                    phase.records.append((url, started, ended, status))
                    if status != 200:
                        phase.errors.append(f"{status} {url} {body[:200]!r}")
            conn.close()

        began = time.monotonic()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        phase.wall = time.monotonic() - began
        for error in phase.errors[:5]:
            self.stderr.write(f"  error: {error}")


def _request(
    port: int, method: str, url: str, body: str | None = None, headers: dict | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, url, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def _cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


# Statuses a product went through to reach its status: (from, to) per change.
STATUS_CHAINS = {
    "draft": [],
    "submitted": [("draft", "submitted")],
    "returned": [("draft", "submitted"), ("submitted", "returned")],
    "verified": [("draft", "submitted"), ("submitted", "verified")],
    "export_ready": [
        ("draft", "submitted"),
        ("submitted", "verified"),
        ("verified", "export_ready"),
    ],
}
ANALYZED = (
    "products_bumdes",
    "products_product",
    "products_historyentry",
    "products_certificate",
    "exporters_organisation",
    "matchmaking_productmatches",
    "matchmaking_deal",
    "matchmaking_dealstep",
    "matchmaking_shipment",
    "matchmaking_inquiry",
    "matchmaking_buyingrequest",
    "matchmaking_offer",
    "matchmaking_servicerequest",
    "matchmaking_forumparticipant",
    "matchmaking_forumparticipant_products",
    "matchmaking_meetingrequest",
    "matchmaking_meeting",
    "matchmaking_provincetarget",
)

# The ids of the generated rows, gathered into temporary tables (name, query; %(m)s: the marker).
ID_SETS = [
    ("bench_b", "SELECT id FROM products_bumdes WHERE business_units = %(m)s"),
    ("bench_o", "SELECT id FROM exporters_organisation WHERE description = %(m)s"),
    ("bench_f", "SELECT id FROM matchmaking_forum WHERE description = %(m)s"),
    ("bench_p", "SELECT id FROM products_product WHERE bumdes_id IN (SELECT id FROM bench_b)"),
    (
        "bench_d",
        "SELECT id FROM matchmaking_deal WHERE product_id IN (SELECT id FROM bench_p) "
        "UNION SELECT id FROM matchmaking_deal WHERE organisation_id IN (SELECT id FROM bench_o)",
    ),
    (
        "bench_sr",
        "SELECT id FROM matchmaking_servicerequest WHERE product_id IN (SELECT id FROM bench_p) "
        "UNION SELECT id FROM matchmaking_servicerequest "
        "WHERE provider_id IN (SELECT id FROM bench_o) "
        "UNION SELECT id FROM matchmaking_servicerequest "
        "WHERE requesting_organisation_id IN (SELECT id FROM bench_o) "
        "UNION SELECT id FROM matchmaking_servicerequest WHERE deal_id IN (SELECT id FROM bench_d)",
    ),
    (
        "bench_i",
        "SELECT id FROM matchmaking_inquiry WHERE product_id IN (SELECT id FROM bench_p) "
        "UNION SELECT id FROM matchmaking_inquiry WHERE organisation_id IN (SELECT id FROM bench_o)",
    ),
    (
        "bench_br",
        "SELECT id FROM matchmaking_buyingrequest WHERE organisation_id IN (SELECT id FROM bench_o)",
    ),
    ("bench_m", "SELECT id FROM matchmaking_meeting WHERE forum_id IN (SELECT id FROM bench_f)"),
    (
        "bench_mo",
        "SELECT id FROM matchmaking_meetingoutcome WHERE meeting_id IN (SELECT id FROM bench_m)",
    ),
    (
        "bench_fp",
        "SELECT id FROM matchmaking_forumparticipant WHERE forum_id IN (SELECT id FROM bench_f)",
    ),
    (
        "bench_fa",
        "SELECT id FROM matchmaking_forumattendee WHERE participant_id IN (SELECT id FROM bench_fp)",
    ),
]
# (table, column, id set), in an order the foreign keys allow.
CLEAN = [
    ("matchmaking_servicerequestnote", "service_request_id", "bench_sr"),
    ("matchmaking_servicerequest", "id", "bench_sr"),
    ("matchmaking_followup", "deal_id", "bench_d"),
    ("matchmaking_followup", "meeting_id", "bench_m"),
    ("matchmaking_shipment", "deal_id", "bench_d"),
    ("matchmaking_dealstep", "deal_id", "bench_d"),
    ("matchmaking_deal", "id", "bench_d"),
    ("matchmaking_offer", "product_id", "bench_p"),
    ("matchmaking_offer", "buying_request_id", "bench_br"),
    ("matchmaking_buyingrequest", "id", "bench_br"),
    ("matchmaking_inquirymessage", "inquiry_id", "bench_i"),
    ("matchmaking_inquiry", "id", "bench_i"),
    ("matchmaking_meeting_attendees", "meeting_id", "bench_m"),
    ("matchmaking_meeting_attendees", "forumattendee_id", "bench_fa"),
    ("matchmaking_meetingbooking", "meeting_id", "bench_m"),
    ("matchmaking_meetingoutcome_products", "meetingoutcome_id", "bench_mo"),
    ("matchmaking_meetingoutcome", "id", "bench_mo"),
    ("matchmaking_meetingrecord", "meeting_id", "bench_m"),
    ("matchmaking_meeting", "id", "bench_m"),
    ("matchmaking_meetingrequest", "forum_id", "bench_f"),
    ("matchmaking_forumavailability", "participant_id", "bench_fp"),
    ("matchmaking_forumattendee", "id", "bench_fa"),
    ("matchmaking_forumparticipant_products", "forumparticipant_id", "bench_fp"),
    ("matchmaking_forumparticipant", "id", "bench_fp"),
    ("matchmaking_forumslot", "forum_id", "bench_f"),
    ("matchmaking_forumtable", "forum_id", "bench_f"),
    ("matchmaking_forum_co_organisers", "forum_id", "bench_f"),
    ("matchmaking_forum_invited_regions", "forum_id", "bench_f"),
    ("matchmaking_schedulerun", "forum_id", "bench_f"),
    ("matchmaking_forum", "id", "bench_f"),
    *(
        (table, "product_id", "bench_p")
        for table in (
            "matchmaking_productmatches",
            "matchmaking_exportermatch",
            "matchmaking_matchdismissal",
            "matchmaking_shortlistentry",
            "matchmaking_forumparticipant_products",
            "matchmaking_meetingoutcome_products",
            "products_catalogueentry",
            "products_certificate",
            "products_product_exported_to",
            "products_product_target_markets",
            "products_historyentry",
            "products_productphoto",
            "products_contactview",
        )
    ),
    ("products_product", "id", "bench_p"),
    *(
        (table, "bumdes_id", "bench_b")
        for table in (
            "products_bumdes_member_villages",
            "products_bumdesoperator",
            "products_historyentry",
            "products_contactview",
            "products_catalogueentry",
        )
    ),
    ("products_bumdes", "id", "bench_b"),
    *(
        (table, "organisation_id", "bench_o")
        for table in (
            "exporters_organisation_destination_markets",
            "exporters_organisation_hs_interests",
            "exporters_organisation_preferred_gateways",
            "exporters_organisation_preferred_provinces",
            "exporters_membership",
            "exporters_organisationchange",
            "matchmaking_exportermatchstate",
            "matchmaking_exportermatch",
            "matchmaking_matchdismissal",
            "matchmaking_shortlistentry",
        )
    ),
    ("exporters_organisation", "id", "bench_o"),
]
