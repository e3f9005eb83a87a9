from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from bumdes_export.reference import services


class Command(BaseCommand):
    help = (
        "Load (or update) the national reference data: Kemendagri regions, disadvantaged "
        "regencies, HS 2022 codes with Indonesian terms, countries and export gateways. "
        "Idempotent: a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wilayah",
            type=Path,
            help="a regions CSV (kode,nama; plain or .gz) instead of the shipped edition",
        )
        parser.add_argument(
            "--edition",
            help="the decree that the regions file follows, e.g. 'Kepmendagri 100.1.1-6117/2022'",
        )

    def handle(self, *args, wilayah=None, edition=None, **options):
        started = time.perf_counter()
        for result in services.load_all(wilayah=wilayah, edition=edition):
            summary = ", ".join(f"{k} {v}" for k, v in result.as_dict().items() if k != "dataset")
            self.stdout.write(f"{result.dataset}: {summary}")
        self.stdout.write(
            self.style.SUCCESS(f"reference data loaded in {time.perf_counter() - started:.1f} s")
        )
