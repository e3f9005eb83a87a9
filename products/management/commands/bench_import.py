"""``python manage.py bench_import [--rows N] [--seed S] [--keep]``: the bulk import's figures.

Builds, reproducibly (``random.Random(seed)``), ``rows / 2`` existing products in BUMDes across
real desa of several provinces, then a CSV in the import template with ``rows / 2`` updates of
them and ``rows / 2`` new products (half in those BUMDes, half in new BUMDes of other villages),
in the variants people write (codes with and without dots, Indonesian and plain numbers, padded
and mixed-case names). It runs the dry run (timed on its own) and the commit through the same
code as ``import_products`` (``seconds`` is the commit alone), checks the counts and prints a
summary; the last line is one JSON object (rows, created, updated, seconds, rows_per_s,
dry_run_seconds, suggested_columns, suggested, peak_rss_mb, database).
``--without-suggested-columns`` writes the same rows without kode_hs, bentuk and satuan, as
ministry lists come: existing products are found by name, new ones get the suggested code, form
and unit (not accepted: they are imported with the values to confirm). What it created is deleted unless ``--keep``.

Meant for PostgreSQL::

    psql -h 127.0.0.1 -U postgres -c 'create database bumdes_bench'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bumdes_bench
    python manage.py migrate && python manage.py load_reference_data
    python manage.py bench_import

Query logging is turned off for the run (as in production, ``DEBUG=0``).
"""

from __future__ import annotations

import csv
import json
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from bumdes_export.reference.models import HsCode, Region
from bumdes_export.reference.services import load_all
from products.imports import columns, services
from products.imports.models import ProductImport
from products.models import Bumdes, HistoryEntry, Product

PREFIX = "BENCH "
PRODUCTS_PER_BUMDES = 10
PROVINCES = ("71", "72", "73", "74", "75", "76")  # the Sulawesi provinces
CHAPTERS = ("03", "07", "08", "09", "12", "16", "18", "20", "21")
FORMS = ("hidup", "segar", "beku", "kering", "olahan", "live", "frozen")
UNITS = ("kg", "kuintal", "ton", "liter", "buah", "pak", "karung")
MONTHS = ("", "1-3,7,12", "Jan-Mar", "Nov-Feb", "semua", "4-9")
WORDS = (
    "Kepiting",
    "Udang",
    "Rumput laut",
    "Kopi",
    "Kakao",
    "Cengkeh",
    "Pala",
    "Kelapa",
    "Gula aren",
    "Madu",
    "Ikan",
    "Teripang",
    "Kacang mete",
    "Vanili",
    "Lada",
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def number(rng: random.Random, value: int) -> str:
    """The same quantity as people write it: 12.000 / 12000 / 12.000,5 / 12000.5."""
    style = rng.randrange(4)
    if style == 0:
        return f"{value:,}".replace(",", ".")
    if style == 1:
        return str(value)
    if style == 2:
        return f"{value:,}".replace(",", ".") + ",5"
    return f"{value}.5"


def spelled(rng: random.Random, name: str) -> str:
    """A name as a spreadsheet may hold it: padded, upper- or lower-case."""
    style = rng.randrange(4)
    if style == 0:
        return f"  {name} "
    if style == 1:
        return name.upper()
    if style == 2:
        return name.lower()
    return name


def code(rng: random.Random, village: str) -> str:
    return village if rng.randrange(2) else village.replace(".", "")


def hs(rng: random.Random, value: str) -> str:
    return f"{value[:4]}.{value[4:]}" if rng.randrange(2) else value


class Command(BaseCommand):
    help = "Measure the bulk product import on this database (PostgreSQL recommended)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="rows of the file (even)")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--keep", action="store_true", help="keep the data it created")
        parser.add_argument(
            "--without-suggested-columns",
            action="store_true",
            help="leave out kode_hs, bentuk and satuan, as ministry lists do: the portal "
            "suggests them from the names (same rows otherwise)",
        )

    def handle(self, *args, rows: int, seed: int, keep: bool, **options):
        if rows < 20:
            raise CommandError("--rows must be at least 20.")
        self.without_suggested = options.get("without_suggested_columns", False)
        with override_settings(DEBUG=False):
            self._run(rows - rows % 2, seed, keep)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _run(self, rows: int, seed: int, keep: bool) -> None:
        rng = random.Random(seed)
        self._reference()
        self._clean(quiet=False)
        half = rows // 2
        workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
        product_import = None
        try:
            started = time.perf_counter()
            villages, spare, subheadings = self._choices(rng, half)
            existing = self._existing(rng, villages, subheadings, half)
            self._say(
                f"existing data: {half:,} products in {len(villages):,} BUMDes "
                f"({time.perf_counter() - started:.1f} s)"
            )
            started = time.perf_counter()
            path = workdir / f"bench-{rows}.csv"
            self._write_file(rng, path, existing, villages, spare, subheadings, half)
            self._say(
                f"file: {path.name}, {rows:,} rows, {path.stat().st_size / 2**20:.1f} MB "
                f"({time.perf_counter() - started:.1f} s)"
            )
            rss_before = peak_rss_mb()
            del existing

            product_import = services.record_file(path)
            started = time.perf_counter()
            services.check(product_import)
            dry_run = time.perf_counter() - started
            if product_import.status != ProductImport.Status.VALIDATED:
                raise CommandError(
                    f"the dry run rejected the file: {product_import.error} "
                    f"{product_import.report[:3]}"
                )
            self._say(
                f"dry run: {dry_run:.2f} s — {product_import.created:,} to create, "
                f"{product_import.updated:,} to update, {product_import.rejected} rejected, "
                f"{product_import.suggested:,} with suggestions"
            )
            products_before = Product.objects.count()
            history_before = HistoryEntry.objects.count()
            started = time.perf_counter()
            services.commit_checked(product_import)
            seconds = time.perf_counter() - started
            peak = peak_rss_mb()
            product_import.refresh_from_db()
            created, updated = product_import.created, product_import.updated
            problems = []
            if product_import.status != ProductImport.Status.DONE:
                problems.append(f"status {product_import.status}: {product_import.error}")
            if (created, updated) != (half, half):
                problems.append(f"expected {half} created and {half} updated")
            if Product.objects.count() - products_before != created:
                problems.append("the product count did not grow by the created rows")
            history = HistoryEntry.objects.count() - history_before
            if history != created + updated + product_import.bumdes_created:
                problems.append(f"{history} history entries written")
            if problems:
                raise CommandError("; ".join(problems))
            self._say(
                f"commit: {seconds:.2f} s — {created:,} created, {updated:,} updated, "
                f"{product_import.bumdes_created:,} new BUMDes, {history:,} history entries, "
                f"{rows / seconds:,.0f} rows/s"
            )
            self._say(
                f"peak RSS: {peak:.0f} MB (after building the data, before the import: "
                f"{rss_before:.0f} MB); database: {connection.vendor}"
            )
            result = {
                "rows": rows,
                "created": created,
                "updated": updated,
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds),
                "dry_run_seconds": round(dry_run, 2),
                "suggested_columns": not self.without_suggested,
                "suggested": product_import.suggested,
                "peak_rss_mb": round(peak),
                "database": connection.vendor,
            }
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            if not keep:
                if product_import is not None:
                    product_import.file.delete(save=False)
                    ProductImport.objects.filter(pk=product_import.pk).delete()
                self._clean(quiet=True)
        self._say(json.dumps(result))

    def _reference(self) -> None:
        if not Region.objects.filter(level=4).exists() or not HsCode.objects.exists():
            self._say("loading the reference data (regions, HS codes) ...")
            load_all()

    def _clean(self, *, quiet: bool) -> None:
        """Delete every BUMDes whose name starts with the bench prefix, with its products."""
        bumdes = Bumdes.objects.filter(name__istartswith=PREFIX)
        if not bumdes.exists():
            return
        started = time.perf_counter()
        with transaction.atomic():
            ids = bumdes.values("id")
            HistoryEntry.objects.filter(bumdes_id__in=ids).delete()
            products = Product.objects.filter(bumdes_id__in=ids)
            for through in (Product.exported_to.through, Product.target_markets.through):
                through.objects.filter(product__in=products).delete()
            products.delete()
            bumdes.delete()
        if not quiet:
            self._say(f"removed the data of an earlier run ({time.perf_counter() - started:.1f} s)")

    def _choices(self, rng: random.Random, half: int):
        n_bumdes = max(half // PRODUCTS_PER_BUMDES, 1)
        desa = Region.objects.filter(level=4, kind="desa", retired_at__isnull=True)
        chosen = [c for c in desa.values_list("code", flat=True) if c[:2] in PROVINCES]
        if len(chosen) < 1.5 * n_bumdes:
            chosen = list(desa.values_list("code", flat=True))
        chosen.sort()
        if len(chosen) < 1.5 * n_bumdes:
            raise CommandError("not enough villages in the reference data for this many rows")
        picked = rng.sample(chosen, n_bumdes + n_bumdes // 2)
        subheadings = sorted(
            c
            for c in HsCode.objects.filter(level=6).values_list("code", flat=True)
            if c[:2] in CHAPTERS
        )
        return picked[:n_bumdes], picked[n_bumdes:], subheadings

    def _existing(self, rng, villages, subheadings, half) -> list[tuple[str, str, str, str]]:
        """Insert the existing BUMDes and products directly; return their keys."""
        bumdes = [
            Bumdes(name=f"{PREFIX}{rng.choice(WORDS)} {i:05d}", village_id=village)
            for i, village in enumerate(villages)
        ]
        Bumdes.objects.bulk_create(bumdes, batch_size=2000)
        if bumdes[0].pk is None:  # a database that does not return ids from bulk inserts
            ids = dict(Bumdes.objects.filter(name__startswith=PREFIX).values_list("name", "id"))
            for item in bumdes:
                item.pk = ids[item.name]
        keys = []
        batch = []
        for i in range(half):
            owner = bumdes[i % len(bumdes)]
            name = f"{rng.choice(WORDS)} {i:06d}"
            subheading = rng.choice(subheadings)
            batch.append(
                Product(
                    bumdes_id=owner.pk,
                    name_id=name,
                    hs_code_id=subheading,
                    form="fresh",
                    unit="kg",
                    capacity_per_month=100,
                    capacity_base=100,
                    base_unit="kg",
                    price=1,
                )
            )
            keys.append((owner.village_id, owner.name, name, subheading))
            if len(batch) == 5000:
                Product.objects.bulk_create(batch)
                batch = []
        Product.objects.bulk_create(batch)
        return keys

    def _write_file(self, rng, path, existing, villages, spare, subheadings, half) -> None:
        names = columns.COLUMN_NAMES
        written = names
        if self.without_suggested:
            written = [n for n in names if n not in columns.SUGGESTED_COLUMNS]
        rows: list[list[str]] = []
        for village, bumdes, name, subheading in existing:  # updates: capacity and price change
            rows.append(
                self._row(
                    rng,
                    names,
                    village,
                    bumdes,
                    name,
                    subheading,
                    capacity=rng.randrange(200, 90000),
                )
            )
        bumdes_names = {v: n for v, n, _p, _h in existing}
        new_bumdes = {v: f"{PREFIX}Baru {i:05d}" for i, v in enumerate(spare)}
        for i in range(half):
            if i % 2 == 0:
                village = villages[(i // 2) % len(villages)]
                bumdes = bumdes_names[village]
            else:
                village = spare[(i // 2) % len(spare)]
                bumdes = new_bumdes[village]
            rows.append(
                self._row(
                    rng,
                    names,
                    village,
                    bumdes,
                    f"{rng.choice(WORDS)} baru {i:06d}",
                    rng.choice(subheadings),
                    capacity=rng.randrange(1, 90000),
                    new=True,
                )
            )
        rng.shuffle(rows)
        if written is not names:
            keep = [names.index(n) for n in written]
            rows = [[row[i] for i in keep] for row in rows]
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(written)
            writer.writerows(rows)

    @staticmethod
    def _row(rng, names, village, bumdes, name, subheading, *, capacity, new=False) -> list[str]:
        cells = {
            "kode_desa": code(rng, village),
            "nama_bumdes": spelled(rng, bumdes),
            "nama_produk": spelled(rng, name),
            "kode_hs": hs(rng, subheading),
            "kapasitas_per_bulan": number(rng, capacity),
            "harga": number(rng, rng.randrange(2, 500)),
        }
        if new:
            cells |= {
                "nama_produk_en": f"{name} (export grade)",
                "bentuk": rng.choice(FORMS),
                "satuan": rng.choice(UNITS),
                "bulan_tersedia": rng.choice(MONTHS),
                "minimal_order": number(rng, rng.randrange(1, 500)),
                "mata_uang": rng.choice(("USD", "IDR")),
                "incoterm": rng.choice(("FOB", "CIF", "EXW")),
                "kemasan": rng.choice(("", "Karung 50 kg", "Kotak styrofoam")),
                "deskripsi": "Produk unggulan desa",
            }
        return [cells.get(column, "") for column in names]
