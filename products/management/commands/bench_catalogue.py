"""``python manage.py bench_catalogue``: how fast the public catalogue answers, at scale.

Generates, reproducibly (``random.Random(seed)``), ``--products`` products (300,000 by default)
in BUMDes across real desa of every province, 30 % of them export-ready, with realistic names
in Indonesian and English, HS codes, forms, harvest calendars and certificates. They are
written with ``COPY`` (the registry's services are skipped: this measures reading), then the
catalogue is rebuilt (``products.catalogue.services.refresh_all``). It then serves the portal
with gunicorn (``--workers``, 3 by default; ``DEBUG=0``) on the same database, warms up, and
replays a fixed, seeded mix of ``--requests`` ``GET /api/v1/catalogue/`` requests (free text in
both languages, typos, facet filters, orderings, pages 1 to 5) first with 1 client, then with
10 concurrent clients (threads, ``http.client``), timing each request. It prints a table and,
as its last line, one JSON object: products, export_ready, p50_ms_1, p95_ms_1, p50_ms_10,
p95_ms_10, requests_per_s_10, errors and more.

PostgreSQL only::

    psql -h 127.0.0.1 -U postgres -c 'create database bumdes_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bumdes_bench
    python manage.py migrate && python manage.py load_reference_data
    python manage.py bench_catalogue            # generate, measure, delete what it generated
    python manage.py bench_catalogue --keep     # keep the data ...
    python manage.py bench_catalogue --reuse    # ... and measure again without generating

The catalogue caches facet counts by catalogue version and filters (never pages); the rebuild
before measuring starts a new version, so the 1-client run starts cold, while the 10-client run
replays the same mix and finds the counts the 1-client run made. ``--no-cache`` turns that
cache off in the served portal (every request counts its facets) to show the uncached figures.
The mix is drawn from ``--seed`` (the warm-up from another seed); pages it asks for exist.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bumdes_export.reference.models import CertificateType, HsCode, Region
from products.catalogue import selectors
from products.catalogue import services as catalogue
from products.catalogue.models import CatalogueEntry
from products.catalogue.serializers import CatalogueParams
from products.models import ALL_MONTHS, Product
from products.services import BUMDES_FIELDS, PRODUCT_FIELDS

MARKER = "bench-catalogue"  # in Bumdes.business_units: what this command generated


def _column(field: str) -> str:
    """The table column of an edited field (a foreign key's ``_id``)."""
    return {"village": "village_id", "hs_code": "hs_code_id"}.get(field, field)


# The columns written for generated rows: the fields editors set (``products.services``), then
# what the registry sets itself.
BUMDES_COLUMNS = [_column(f) for f in BUMDES_FIELDS] + [
    "photo",
    "status",
    "return_reason",
    "created_at",
    "updated_at",
]
PRODUCT_COLUMNS = [_column(f) for f in PRODUCT_FIELDS] + [
    "capacity_base",
    "base_unit",
    "status",
    "return_reason",
    "readiness_score",
    "version",
    "export_ready_at",
    "created_at",
    "updated_at",
    "bumdes_id",
]
PRODUCTS_PER_BUMDES = 10
EXPORT_READY_SHARE = 0.30
ROOT = Path(settings.BASE_DIR)

# (HS subheading, Indonesian names, English names, forms, units, certificates, harvest months)
COMMODITIES = [
    (
        "030633",
        ["Kepiting bakau hidup", "Kepiting soka", "Rajungan hidup"],
        ["Live mud crab", "Soft-shell crab", "Live blue swimming crab"],
        ["live"],
        ["kg", "ton"],
        ["health-fish", "haccp"],
        range(1, 13),
    ),
    (
        "160510",
        ["Daging rajungan pasteurisasi"],
        ["Pasteurised crab meat"],
        ["processed"],
        ["kg"],
        ["haccp", "halal", "bpom-md"],
        range(1, 13),
    ),
    (
        "030617",
        ["Udang vaname beku", "Udang windu beku"],
        ["Frozen whiteleg shrimp", "Frozen tiger prawn"],
        ["frozen"],
        ["kg", "ton"],
        ["health-fish", "haccp"],
        range(1, 13),
    ),
    (
        "030819",
        ["Teripang kering"],
        ["Dried sea cucumber"],
        ["dried"],
        ["kg"],
        ["health-fish"],
        range(3, 11),
    ),
    (
        "121221",
        ["Rumput laut kering", "Rumput laut Eucheuma"],
        ["Dried seaweed", "Dried Eucheuma seaweed"],
        ["dried"],
        ["ton", "kg"],
        ["phytosanitary", "sni"],
        range(1, 13),
    ),
    (
        "090111",
        ["Kopi robusta biji", "Kopi arabika biji", "Kopi liberika"],
        ["Green robusta coffee", "Green arabica coffee beans", "Liberica coffee beans"],
        ["dried"],
        ["kg", "ton"],
        ["phytosanitary", "organic", "coo-form-e"],
        range(5, 10),
    ),
    (
        "090121",
        ["Kopi sangrai", "Kopi bubuk"],
        ["Roasted coffee", "Ground roasted coffee"],
        ["processed"],
        ["kg", "pack"],
        ["halal", "pirt", "bpom-md"],
        range(1, 13),
    ),
    (
        "180100",
        ["Kakao biji fermentasi", "Biji kakao"],
        ["Fermented cocoa beans", "Cocoa beans"],
        ["dried"],
        ["kg", "ton"],
        ["phytosanitary", "sni", "organic"],
        range(4, 12),
    ),
    (
        "090510",
        ["Vanili kering", "Polong vanili"],
        ["Cured vanilla beans", "Vanilla pods"],
        ["dried"],
        ["kg"],
        ["phytosanitary", "organic"],
        range(6, 11),
    ),
    (
        "080132",
        ["Kacang mete kupas", "Kacang mete"],
        ["Shelled cashew nuts", "Cashew kernels"],
        ["dried", "processed"],
        ["kg", "ton"],
        ["phytosanitary", "halal", "sni"],
        range(8, 13),
    ),
    (
        "110630",
        ["Tepung pisang", "Tepung pisang kepok"],
        ["Banana flour", "Kepok banana flour"],
        ["processed"],
        ["kg", "pack"],
        ["halal", "pirt", "bpom-md"],
        range(1, 13),
    ),
    (
        "110620",
        ["Tepung mocaf"],
        ["Modified cassava flour"],
        ["processed"],
        ["kg", "sack"],
        ["halal", "sni"],
        range(1, 13),
    ),
    (
        "170290",
        ["Gula aren", "Gula semut"],
        ["Palm sugar", "Granulated palm sugar"],
        ["processed"],
        ["kg", "pack"],
        ["halal", "organic", "pirt"],
        range(1, 13),
    ),
    (
        "151319",
        ["Minyak kelapa murni"],
        ["Virgin coconut oil"],
        ["processed"],
        ["l", "bottle"],
        ["halal", "bpom-md"],
        range(1, 13),
    ),
    (
        "080111",
        ["Kelapa parut kering"],
        ["Desiccated coconut"],
        ["dried"],
        ["kg", "ton"],
        ["halal", "haccp"],
        range(1, 13),
    ),
    (
        "040900",
        ["Madu hutan", "Madu kelulut"],
        ["Wild forest honey", "Stingless bee honey"],
        ["processed"],
        ["kg", "bottle"],
        ["halal", "bpom-md"],
        range(3, 9),
    ),
    (
        "090710",
        ["Cengkeh kering"],
        ["Dried cloves"],
        ["dried"],
        ["kg", "ton"],
        ["phytosanitary"],
        range(7, 11),
    ),
    ("090811", ["Pala biji"], ["Whole nutmeg"], ["dried"], ["kg"], ["phytosanitary"], range(1, 13)),
    (
        "090411",
        ["Lada hitam", "Lada putih"],
        ["Black pepper", "White pepper"],
        ["dried"],
        ["kg"],
        ["phytosanitary", "sni"],
        range(6, 10),
    ),
    (
        "091011",
        ["Jahe merah", "Jahe emprit"],
        ["Red ginger", "Small ginger"],
        ["fresh", "dried"],
        ["kg", "ton"],
        ["phytosanitary"],
        range(1, 13),
    ),
    (
        "071490",
        ["Umbi porang", "Chip porang"],
        ["Konjac tubers", "Konjac chips"],
        ["fresh", "dried"],
        ["ton", "kg"],
        ["phytosanitary"],
        range(4, 9),
    ),
    (
        "081090",
        ["Salak pondoh"],
        ["Snake fruit"],
        ["fresh"],
        ["kg", "box"],
        ["phytosanitary"],
        range(11, 13),
    ),
    (
        "080450",
        ["Manggis segar"],
        ["Fresh mangosteen"],
        ["fresh"],
        ["kg", "box"],
        ["phytosanitary", "coo-form-e"],
        range(1, 4),
    ),
    (
        "460212",
        ["Anyaman rotan", "Keranjang rotan"],
        ["Rattan basketwork", "Rattan baskets"],
        ["processed"],
        ["piece", "dozen"],
        ["coo", "sni"],
        range(1, 13),
    ),
    (
        "440290",
        ["Arang tempurung kelapa"],
        ["Coconut shell charcoal"],
        ["processed"],
        ["ton", "sack"],
        ["coo", "sni"],
        range(1, 13),
    ),
    (
        "030199",
        ["Ikan kerapu hidup"],
        ["Live grouper"],
        ["live"],
        ["kg"],
        ["health-fish"],
        range(1, 13),
    ),
]
QUALITIES_ID = ["", "premium", "grade A", "super", "pilihan", "organik", "asli", "kualitas ekspor"]
QUALITIES_EN = ["", "premium", "grade A", "super", "select", "organic", "genuine", "export grade"]
BUMDES_WORDS = [
    "Mina",
    "Sejahtera",
    "Makmur",
    "Maju",
    "Bersama",
    "Mandiri",
    "Tani",
    "Bahari",
    "Lestari",
    "Sentosa",
    "Jaya",
    "Harapan",
    "Karya",
    "Sumber",
    "Rezeki",
    "Mulia",
    "Abadi",
    "Berkah",
    "Gemilang",
    "Sakti",
    "Mekar",
    "Bina",
    "Usaha",
    "Tunas",
    "Lembah",
    "Pesisir",
    "Hijau",
]
FIRST_NAMES = [
    "Andi",
    "Wa Ode",
    "La Ode",
    "Siti",
    "Made",
    "Yohanes",
    "Fransiska",
    "Dewi",
    "Agus",
    "Rahmat",
    "Nurul",
    "Yusuf",
    "Maria",
    "Ketut",
    "Hendra",
    "Sri",
]
LAST_NAMES = [
    "Lamba",
    "Sitti",
    "Pratama",
    "Wijaya",
    "Hasan",
    "Tandi",
    "Sinaga",
    "Rumbiak",
    "Kalalo",
    "Nggolo",
    "Saputra",
    "Daeng",
    "Manurung",
    "Lestari",
    "Salim",
]
# Free text people type, in both languages, with a few typos.
QUERIES = [
    "kepiting",
    "crab",
    "kepiting bakau",
    "mud crab",
    "rajungan",
    "kopi",
    "coffee",
    "kopi robusta",
    "arabica",
    "vanili",
    "vanilla",
    "tepung pisang",
    "banana flour",
    "rumput laut",
    "seaweed",
    "kakao",
    "cocoa",
    "mete",
    "cashew",
    "madu",
    "honey",
    "gula aren",
    "palm sugar",
    "lada",
    "pepper",
    "cengkeh",
    "cloves",
    "udang",
    "shrimp",
    "rotan",
    "rattan",
    "porang",
    "konjac",
    "minyak kelapa",
    "coconut oil",
    "teripang",
    "sea cucumber",
    "jahe",
    "ginger",
    "organik",
    "premium",
    "sulawesi",
    "flores",
    "papua",
    "maluku",
    "kepting",
    "cofee",
    "vanila",
    "seawed",
    "banana",
    "frozen shrimp",
    "dried",
    "grouper",
    "charcoal",
]
ORDERINGS = ["relevance", "relevance", "newest", "capacity"]
UNIT_KG = {"kg": 1, "ton": 1000, "g": 0.001, "quintal": 100}
UNIT_L = {"l": 1, "ml": 0.001}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _csv(rows) -> io.StringIO:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["\\N" if v is None else v for v in row])
    out.seek(0)
    return out


class Command(BaseCommand):
    help = "Measure the catalogue API at scale on PostgreSQL (generates its own data)."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300_000)
        parser.add_argument("--requests", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=20240817)
        parser.add_argument("--workers", type=int, default=3)
        parser.add_argument("--clients", type=int, default=10)
        parser.add_argument("--warmup", type=int, default=200, help="warm-up requests")
        parser.add_argument("--keep", action="store_true", help="keep the generated data")
        parser.add_argument(
            "--reuse", action="store_true", help="reuse generated data if it is there"
        )
        parser.add_argument("--no-cache", action="store_true", help="serve without the facet cache")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_catalogue measures PostgreSQL: set DATABASE_URL to a PostgreSQL "
                "database (see `python manage.py help bench_catalogue`)."
            )
        if not Region.objects.filter(level=4, kind="desa").exists():
            raise CommandError("No villages: run `python manage.py load_reference_data` first.")
        settings.DEBUG = False  # no query log while generating
        products, seed = options["products"], options["seed"]
        timings: dict[str, float] = {}
        generated = self._count()
        if options["reuse"] and generated == products:
            self._say(f"Reusing {generated:,} generated products.")
        else:
            if generated:
                self._say(f"Deleting {generated:,} products of an earlier run …")
                self._clean()
            started = time.perf_counter()
            self._generate(random.Random(seed), products)
            timings["generate_seconds"] = time.perf_counter() - started
        started = time.perf_counter()
        listed = catalogue.refresh_all(on_progress=self._progress)
        timings["refresh_seconds"] = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CatalogueEntry._meta.db_table}")
        self._say(
            f"Catalogue rebuilt: {listed:,} export-ready products in "
            f"{timings['refresh_seconds']:.1f} s."
        )
        total = Product.objects.count()
        mix = self._mix(random.Random(seed + 1), options["requests"])
        warmup = self._mix(random.Random(seed + 2), options["warmup"])
        try:
            figures = self._measure(mix, warmup, options)
        finally:
            if not options["keep"]:
                self._say("Deleting the generated data (--keep keeps it) …")
                self._clean()
                catalogue.refresh_all()
        result = {
            "products": total,
            "export_ready": listed,
            **figures,
            "requests": len(mix),
            "workers": options["workers"],
            "clients": options["clients"],
            "facet_cache": not options["no_cache"],
            "database": "postgresql",
            **{k: round(v, 1) for k, v in timings.items()},
        }
        self._table(result)
        self.stdout.write(json.dumps(result))

    # --- Output ------------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _progress(self, done: int, total: int) -> None:
        if done == total or done % 20_000 < 2000:
            self._say(f"  catalogue: {done:,} / {total:,}")

    def _table(self, r: dict) -> None:
        self._say("")
        self._say(
            f"products {r['products']:,}  export-ready {r['export_ready']:,}  "
            f"requests {r['requests']}  gunicorn workers {r['workers']}  "
            f"facet cache {'on' if r['facet_cache'] else 'off'}"
        )
        self._say(
            f"{'clients':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>8}"
        )
        for n, tag in ((1, "1"), (r["clients"], "10")):
            self._say(
                f"{n:>8} {r[f'p50_ms_{tag}']:>8} {r[f'p95_ms_{tag}']:>8} "
                f"{r[f'p99_ms_{tag}']:>8} {r[f'max_ms_{tag}']:>8} "
                f"{r[f'requests_per_s_{tag}']:>8}"
            )
        self._say(f"targets: p95 <= 100 ms with 1 client, <= 300 ms with 10; errors {r['errors']}")

    # --- Data --------------------------------------------------------------------------------

    def _bumdes_ids(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM products_bumdes WHERE business_units = %s", [MARKER])
            return [row[0] for row in cursor.fetchall()]

    def _count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM products_product p JOIN products_bumdes b "
                "ON b.id = p.bumdes_id WHERE b.business_units = %s",
                [MARKER],
            )
            return cursor.fetchone()[0]

    def _clean(self) -> None:
        ids = self._bumdes_ids()
        if not ids:
            return
        products = "SELECT id FROM products_product WHERE bumdes_id = ANY(%s)"
        with connection.cursor() as cursor:
            for table in ("products_catalogueentry", "products_certificate"):
                cursor.execute(f"DELETE FROM {table} WHERE product_id IN ({products})", [ids])
            cursor.execute("DELETE FROM products_product WHERE bumdes_id = ANY(%s)", [ids])
            cursor.execute("DELETE FROM products_bumdes WHERE id = ANY(%s)", [ids])
        catalogue.bump_version()

    def _copy_rows(self, table: str, columns: list[str], rows: list[dict]) -> None:
        """``_copy`` of rows given as ``{column: value}``."""
        self._copy(table, columns, ([row[column] for column in columns] for row in rows))

    def _copy(self, table: str, columns: list[str], rows) -> None:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(sql, _csv(rows))

    def _generate(self, rng: random.Random, count: int) -> None:
        known_hs = set(
            HsCode.objects.filter(code__in=[c[0] for c in COMMODITIES]).values_list(
                "code", flat=True
            )
        )
        commodities = [c for c in COMMODITIES if c[0] in known_hs]
        certificate_ids = dict(CertificateType.objects.values_list("code", "id"))
        villages = list(
            Region.objects.filter(level=4, kind="desa", retired_at__isnull=True)
            .order_by("code")
            .values_list("code", "name")
        )
        n_bumdes = -(-count // PRODUCTS_PER_BUMDES)
        if n_bumdes > len(villages):
            raise CommandError(f"{count:,} products need {n_bumdes:,} villages.")
        chosen = rng.sample(villages, n_bumdes)
        now = datetime.now(UTC)
        self._say(f"Generating {n_bumdes:,} BUMDes and {count:,} products …")
        bumdes_rows = []
        for code, village in chosen:
            words = rng.sample(BUMDES_WORDS, 2)
            person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            digits = "".join(str(rng.randrange(10)) for _ in range(13))
            bumdes_rows.append(
                {
                    "name": f"BUMDes {words[0]} {words[1]} {village}"[:200],
                    "kind": "bumdes",
                    "village_id": code,
                    "year_founded": rng.randrange(2015, 2025),
                    "legal_status": "legal_entity",
                    "legal_certificate_number": f"AHU-{digits[:6]}.AH.01.33",
                    "nib": digits,
                    "npwp": digits + "00",
                    "business_units": MARKER,
                    "manager_name": person,
                    "contact_phone": f"+62 8{digits[:10]}",
                    "contact_whatsapp": f"+62 8{digits[3:13]}",
                    "contact_email": f"bumdes{digits[:8]}@desa.example.id",
                    "address": f"Jalan Desa {village} No. {rng.randrange(1, 99)}",
                    "description": "",
                    "photo": "",
                    "status": "verified",
                    "return_reason": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        self._copy_rows("products_bumdes", BUMDES_COLUMNS, bumdes_rows)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, village_id FROM products_bumdes WHERE business_units = %s", [MARKER]
            )
            bumdes_of = dict((village, pk) for pk, village in cursor.fetchall())
        product_rows, plans = [], {}
        statuses = ["draft", "submitted", "verified", "returned"]
        made = 0
        for code, village in chosen:
            bumdes_id = bumdes_of[code]
            for commodity in rng.sample(commodities, min(PRODUCTS_PER_BUMDES, len(commodities))):
                if made == count:
                    break
                made += 1
                hs, names_id, names_en, forms, units, certs, season = commodity
                variant = rng.randrange(len(names_id))
                quality = rng.randrange(len(QUALITIES_ID))
                name_id = f"{names_id[variant]} {QUALITIES_ID[quality]}".strip()
                name_en = f"{names_en[variant]} {QUALITIES_EN[quality]}".strip()
                form, unit = rng.choice(forms), rng.choice(units)
                capacity = rng.choice([5, 10, 20, 50, 100, 250, 500, 1000, 2000, 5000])
                if unit == "ton":
                    capacity = max(1, capacity // 100)
                factor = UNIT_KG.get(unit) or UNIT_L.get(unit)
                base = round(capacity * factor, 3) if factor else None
                base_unit = "kg" if unit in UNIT_KG else "l" if unit in UNIT_L else ""
                months = 0
                for month in season:
                    months |= 1 << (month - 1)
                if rng.random() < 0.2:
                    months = ALL_MONTHS
                ready = rng.random() < EXPORT_READY_SHARE
                status = "export_ready" if ready else rng.choice(statuses)
                created = now - timedelta(days=rng.randrange(30, 900))
                ready_at = created + timedelta(days=rng.randrange(1, 29)) if ready else None
                description_id = (
                    f"{names_id[variant]} dari desa {village}, dikelola BUMDes. "
                    f"Kapasitas {capacity} {unit} per bulan, dikemas sesuai permintaan pembeli."
                )
                description_en = (
                    f"{names_en[variant]} from the village of {village}, run by its BUMDes. "
                    f"Capacity {capacity} {unit} a month, packed to the buyer's order."
                )
                product_rows.append(
                    {
                        "name_id": name_id,
                        "name_en": name_en,
                        "description_id": description_id,
                        "description_en": description_en,
                        "hs_code_id": hs,
                        "national_code": "",
                        "form": form,
                        "unit": unit,
                        "capacity_per_month": capacity,
                        "capacity_base": base,
                        "base_unit": base_unit,
                        "available_months": months,
                        "min_order": max(1, capacity // 10),
                        "price": round(rng.uniform(0.5, 40), 2),
                        "currency": "USD",
                        "incoterm": rng.choice(["FOB", "CIF", "EXW"]),
                        "packaging": rng.choice(
                            ["karung 50 kg", "kardus 10 kg", "vacuum pack 1 kg", ""]
                        ),
                        "shelf_life_days": rng.choice([None, 30, 90, 180, 365]),
                        "status": status,
                        "return_reason": "Lengkapi foto produk." if status == "returned" else "",
                        "readiness_score": (
                            rng.randrange(60, 101) if ready else rng.randrange(10, 90)
                        ),
                        "version": 1,
                        "export_ready_at": ready_at,
                        "created_at": created,
                        "updated_at": created,
                        "bumdes_id": bumdes_id,
                    }
                )
                held = [c for c in certs if rng.random() < 0.55 and c in certificate_ids]
                if held:
                    plans[(bumdes_id, name_id.lower(), hs)] = held
        self._copy_rows("products_product", PRODUCT_COLUMNS, product_rows)
        del product_rows
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.id, p.bumdes_id, lower(p.name_id), p.hs_code_id FROM products_product p"
                " JOIN products_bumdes b ON b.id = p.bumdes_id WHERE b.business_units = %s",
                [MARKER],
            )
            product_ids = {(b, n, h): pk for pk, b, n, h in cursor.fetchall()}
        today = date.today()
        certificate_rows = []
        for key, held in plans.items():
            for code in held:
                expired = rng.random() < 0.1
                start = today - timedelta(days=rng.randrange(30, 700))
                until = (
                    today - timedelta(days=rng.randrange(1, 30))
                    if expired
                    else (today + timedelta(days=rng.randrange(30, 900)))
                )
                certificate_rows.append(
                    [
                        f"{code.upper()}/{rng.randrange(10**6):06d}",
                        "Instansi penerbit",
                        start,
                        until,
                        "",
                        now,
                        None,
                        certificate_ids[code],
                        product_ids[key],
                    ]
                )
        self._copy(
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
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE products_bumdes")
            cursor.execute("ANALYZE products_product")
            cursor.execute("ANALYZE products_certificate")
        self._say(
            f"  {len(bumdes_rows):,} BUMDes, {count:,} products, "
            f"{len(certificate_rows):,} certificates written."
        )

    # --- Requests ----------------------------------------------------------------------------

    def _mix(self, rng: random.Random, n: int) -> list[str]:
        """A fixed mix of catalogue queries: text, facets, both, browsing; pages 1 to 5."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT province_code, count(*) FROM products_catalogueentry GROUP BY 1")
            provinces = [p for p, _ in cursor.fetchall()]
            cursor.execute("SELECT hs_chapter FROM products_catalogueentry GROUP BY 1")
            chapters = [c for (c,) in cursor.fetchall()]
        provinces = provinces or ["74"]
        chapters = chapters or ["03"]
        certificates = ["halal", "phytosanitary", "health-fish", "sni", "organic", "bpom-md"]
        facets = {
            "province": lambda: rng.choice(provinces),
            "hs_chapter": lambda: rng.choice(chapters),
            "form": lambda: rng.choice(["live", "fresh", "frozen", "dried", "processed"]),
            "certificate": lambda: rng.choice(certificates),
            "disadvantaged": lambda: rng.choice(["true", "false"]),
            "available_this_month": lambda: "true",
        }
        urls, pages = [], {}
        for _ in range(n):
            kind = rng.random()
            params: dict[str, str] = {}
            if kind < 0.35 or 0.70 <= kind < 0.85:  # free text (alone, or with facets)
                params["q"] = rng.choice(QUERIES)
            if kind >= 0.35:  # facet filters
                for name in rng.sample(list(facets), rng.choice([1, 1, 2])):
                    params[name] = facets[name]()
            if kind >= 0.85:  # browsing: no filter at all, or one
                params = {} if rng.random() < 0.5 else params
            ordering = rng.choice(ORDERINGS)
            if ordering != "relevance":
                params["ordering"] = ordering
            page = min(rng.choice([1, 1, 1, 2, 2, 3, 4, 5]), self._pages(params, pages))
            if page > 1:
                params["page"] = str(page)
            urls.append(f"/api/v1/catalogue/?{urlencode(params)}")
        return urls

    @staticmethod
    def _pages(params: dict[str, str], known: dict) -> int:
        """How many pages the query has (so the mix asks for pages that exist)."""
        key = tuple(sorted((k, v) for k, v in params.items() if k != "ordering"))
        if key not in known:
            checked = CatalogueParams(data=params)
            checked.is_valid(raise_exception=True)
            # Not cached: the measured server must count for itself.
            known[key] = selectors.search(checked.query(), use_cache=False).num_pages
        return known[key]

    def _measure(self, mix: list[str], warmup: list[str], options) -> dict:
        port = free_port()
        db = connection.settings_dict
        env = {
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
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        if options["no_cache"]:
            env["CATALOGUE_FACET_CACHE_SECONDS"] = "0"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "bumdes_export.wsgi",
            "--workers",
            str(options["workers"]),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ]
        self._say(f"Starting gunicorn ({options['workers']} workers) on 127.0.0.1:{port} …")
        server = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            self._wait(port, server)
            self._say(f"Warming up ({len(warmup)} requests) …")
            self._run(port, warmup, clients=3)
            self._say(f"Measuring {len(mix)} requests with 1 client …")
            one = self._run(port, mix, clients=1)
            clients = options["clients"]
            self._say(f"Measuring {len(mix)} requests with {clients} clients …")
            many = self._run(port, mix, clients=clients)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        return {
            "p50_ms_1": one["p50"],
            "p95_ms_1": one["p95"],
            "p99_ms_1": one["p99"],
            "max_ms_1": one["max"],
            "requests_per_s_1": one["rps"],
            "p50_ms_10": many["p50"],
            "p95_ms_10": many["p95"],
            "p99_ms_10": many["p99"],
            "max_ms_10": many["max"],
            "requests_per_s_10": many["rps"],
            "errors": one["errors"] + many["errors"],
        }

    def _wait(self, port: int, server: subprocess.Popen) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn exited with {server.returncode}")
            try:
                status, _ = self._get(port, "/api/v1/catalogue/?page_size=1")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise CommandError("gunicorn did not answer within 60 s")

    @staticmethod
    def _get(port: int, url: str, conn: http.client.HTTPConnection | None = None):
        conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", url, headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read()
        return response.status, body

    def _run(self, port: int, urls: list[str], *, clients: int) -> dict:
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        position = iter(range(len(urls)))

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while True:
                with lock:
                    index = next(position, None)
                if index is None:
                    break
                url = urls[index]
                started = time.perf_counter()
                try:
                    status, body = self._get(port, url, conn)
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, body = 0, str(error).encode()
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if status != 200:
                        errors.append(f"{status} {url} {body[:200]!r}")
            conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        for error in errors[:5]:
            self.stderr.write(f"  error: {error}")
        return {
            "p50": round(statistics.median(latencies), 1) if latencies else 0.0,
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "max": round(max(latencies, default=0.0), 1),
            "rps": round(len(latencies) / wall, 1) if wall else 0.0,
            "errors": len(errors),
        }
