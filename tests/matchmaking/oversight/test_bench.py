"""``manage.py bench_dashboard``: refuses SQLite; on PostgreSQL runs end to end at a tiny scale."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from bumdes_export.accounts.models import User
from exporters.models import Organisation
from matchmaking.deals.models import Deal, Shipment
from matchmaking.forums.models import Forum
from matchmaking.oversight.models import ProvinceTarget
from products.models import Bumdes, Product
from tests.conftest import needs_services

pytestmark = pytest.mark.django_db

VIEWS = ("dashboard", "province", "funnel", "shipments", "inbox")


def test_the_benchmark_refuses_sqlite(regions):
    if connection.vendor != "sqlite":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench_dashboard", products=10, bumdes=2, organisations=2, deals=2)


@pytest.mark.services
def test_the_benchmark_runs_end_to_end_on_postgresql(transactional_db, regions):
    needs_services("the dashboard benchmark needs PostgreSQL")
    out = io.StringIO()
    call_command(
        "bench_dashboard",
        products=400,
        bumdes=80,
        organisations=60,
        deals=80,
        shipments=120,
        service_requests=12,
        requests=6,
        clients=3,
        workers=2,
        stdout=out,
    )
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["errors"] == 0
    assert (figures["products"], figures["bumdes"], figures["organisations"]) == (400, 80, 60)
    assert figures["deals"] == 80 and figures["shipments"] == 120
    assert figures["service_requests"] == 12 and figures["history_entries"] > 0
    assert figures["requests"] == 2 * 5 * 6  # nothing cut short at this scale
    for view in VIEWS:
        for suffix in ("", "_1client"):
            assert figures[f"requests_{view}{suffix}"] == 6
            assert figures[f"n_{view}_cold{suffix}"] >= 1
            assert figures[f"p50_ms_{view}_cold{suffix}"] > 0
            assert figures[f"p95_ms_{view}_cold{suffix}"] > 0
            assert f"p50_ms_{view}_warm{suffix}" in figures
            assert f"p95_ms_{view}_warm{suffix}" in figures
    # With one client every request is cold or warm, and the repeats are warm.
    for view in ("dashboard", "province", "funnel", "shipments"):
        cold, warm = figures[f"n_{view}_cold_1client"], figures[f"n_{view}_warm_1client"]
        assert cold + warm == 6 and warm >= 1
    # The yardstick asks for one page: the first request is cold, the rest warm.
    assert (figures["n_inbox_cold_1client"], figures["n_inbox_warm_1client"]) == (1, 5)
    for key in (
        "load_1m_start",
        "load_1m_end",
        "generate_seconds",
        "tallies_seconds",
        "total_seconds",
    ):
        assert key in figures
    # Cleaned up without --keep.
    assert not Product.objects.exists() and not Bumdes.objects.exists()
    assert not Organisation.objects.exists() and not Deal.objects.exists()
    assert not Shipment.objects.exists() and not Forum.objects.exists()
    assert not ProvinceTarget.objects.exists()
    assert not User.objects.filter(username="bench-dashboard").exists()
