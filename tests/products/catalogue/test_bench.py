"""``manage.py bench_catalogue``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from products.catalogue.models import CatalogueEntry
from products.models import Product
from tests.conftest import needs_services

pytestmark = pytest.mark.django_db


# --- The benchmark command ----------------------------------------------------------------------


def test_the_benchmark_refuses_sqlite(regions):
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_catalogue", products=10, requests=5)


@pytest.mark.services
def test_the_benchmark_runs_end_to_end_on_postgresql(transactional_db, regions):
    needs_services("the catalogue benchmark needs PostgreSQL")
    out = io.StringIO()
    call_command("bench_catalogue", products=200, requests=30, warmup=6, stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert (figures["products"], figures["errors"]) == (200, 0)
    assert 30 <= figures["export_ready"] <= 90
    assert figures["p95_ms_1"] > 0 and figures["requests_per_s_10"] > 0
    assert not Product.objects.exists()  # cleaned up without --keep
    assert not CatalogueEntry.objects.exists()
