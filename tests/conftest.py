"""Shared fixtures: real reference data, one user per role, API clients, service checks.

Regions come from the real Kemendagri file: every province and regency, and the districts and
villages of Sulawesi Tengah (72) and Sulawesi Tenggara (74), where the demo roles work.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from bumdes_export.reference import services as reference
from bumdes_export.reference.models import Region
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
TEST_PROVINCES = ("72", "74")


def load_test_reference() -> None:
    rows = [
        row
        for row in reference.read_csv(reference.data_path("wilayah.csv.gz"))
        if len(row["kode"]) <= 5 or row["kode"][:2] in TEST_PROVINCES
    ]
    reference.load_regions(
        rows,
        edition=reference.CURRENT_WILAYAH_EDITION,
        coordinates=reference.read_regency_coordinates(
            reference.data_path("regency_coordinates.csv.gz")
        ),
    )
    for name, step in reference.load_steps():
        if name != "regions":
            step()


def _uses_database(item) -> bool:
    return bool(
        item.get_closest_marker("django_db")
        or {"db", "transactional_db", "django_db_reset_sequences"} & set(item.fixturenames)
    )


@pytest.fixture(scope="session", autouse=True)
def _reference_data(request, django_db_blocker):
    """Load the reference data once, before any test, when some test uses the database."""
    if not any(_uses_database(item) for item in request.session.items):
        return
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        load_test_reference()


def reseed_migration_data() -> None:
    """Rows that data migrations seed (certificate types, readiness rules); a flush drops them."""
    import importlib

    from django.apps import apps

    for module in (
        "bumdes_export.reference.migrations.0003_seed_certificate_types",
        "products.migrations.0002_seed_readiness_rules",
        "bumdes_export.reference.migrations.0006_seed_export_documents",
        "products.migrations.0009_seed_commodity_rules",
    ):
        importlib.import_module(module).seed(apps, None)
    importlib.import_module(
        "bumdes_export.reference.migrations.0007_export_document_opens_any_market"
    ).mark_plain_origin(apps, None)


@pytest.fixture
def regions(db):
    """The reference data, reloaded if a transactional test flushed it."""
    if not Region.objects.filter(code="74.02").exists():
        load_test_reference()
        reseed_migration_data()


@pytest.fixture(autouse=True)
def _fast_and_in_process(settings):
    from django.core.cache import cache

    from bumdes_export.celery import app
    from bumdes_export.reference.suggestions import index as hs_suggestions

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "en"
    settings.BACKGROUND_JOBS_IN_THREAD = False  # run embedded-mode jobs synchronously in tests
    settings.HS_SUGGEST_CHECK_SECONDS = 0  # the HS suggestions see each test's own data
    hs_suggestions.forget(examples_only=True)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # Each test starts with an empty process cache (what one test counted is not another's).
    cache.clear()
    yield
    app.conf.task_always_eager = eager


# --- One user per role ----------------------------------------------------------------------


@pytest.fixture
def ministry(regions):
    return UserFactory(username="t-kemendes", ministry=True)


@pytest.fixture
def officer_sultra(regions):
    return UserFactory(username="t-sultra", officer=True, region_id="74")


@pytest.fixture
def officer_sulteng(regions):
    return UserFactory(username="t-sulteng", officer=True, region_id="72")


@pytest.fixture
def officer_konawe(regions):
    return UserFactory(username="t-konawe", officer=True, region_id="74.02")


@pytest.fixture
def exporter(regions):
    return UserFactory(username="t-eksportir")


@pytest.fixture
def operator(regions):
    return UserFactory(username="t-bumdes", operator=True)


ROLES = [
    "anonymous",
    "ministry",
    "officer_sultra",
    "officer_sulteng",
    "officer_konawe",
    "exporter",
    "operator",
]


@pytest.fixture
def as_role(request, client, regions):
    """``as_role("ministry")`` returns a Django test client logged in as that role's user."""

    def login(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return login


@pytest.fixture
def api_as(request, regions):
    """``api_as("exporter")`` returns an APIClient authenticated with that user's token."""

    def make(role: str) -> APIClient:
        from rest_framework.authtoken.models import Token

        api = APIClient()
        if role != "anonymous":
            token, _ = Token.objects.get_or_create(user=request.getfixturevalue(role))
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return make


# --- Real services --------------------------------------------------------------------------


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def needs_services(reason: str) -> None:
    """Skip (or, with REQUIRE_SERVICES=1, fail) unless PostgreSQL and a Redis broker are here."""
    from django.conf import settings
    from django.db import connection

    problems = []
    if connection.vendor != "postgresql":
        problems.append("the test database is not PostgreSQL (set DATABASE_URL)")
    broker = settings.CELERY_BROKER_URL
    if not broker:
        problems.append("no broker (set CELERY_BROKER_URL or REDIS_URL)")
    else:
        from kombu.utils.url import url_to_parts

        parts = url_to_parts(broker)
        if not _reachable(parts.hostname or "127.0.0.1", parts.port or 6379):
            problems.append(f"Redis is not reachable at {broker}")
    if problems:
        message = f"{reason}: " + "; ".join(problems)
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {message}")
        pytest.skip(message)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery worker`` process on the test database and a private queue on Redis."""
    from django.conf import settings
    from django.db import connection

    from bumdes_export.celery import app

    needs_services("real worker tests need PostgreSQL and Redis")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # Tasks the worker sends (a full rescore's merge) go to its private queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "PYTHONPATH": str(ROOT),
    }
    # One log per test process (pytest-xdist runs the suite in several, each with its worker).
    log_path = ROOT / "var" / f"test-worker-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
    log_path.parent.mkdir(exist_ok=True)
    log = log_path.open("w")  # noqa: SIM115 - open for the worker's whole life, closed below
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bumdes_export",
            "worker",
            "-Q",
            queue,
            "-c",
            "2",
            "--pool",
            "prefork",
            "-l",
            "info",
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    app.conf.task_default_queue = queue
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}")
            if app.control.ping(destination=[f"{queue}@{socket.gethostname()}"], timeout=1):
                break
        else:
            pytest.fail("the Celery worker did not answer within 60 s")
        yield {"process": process, "queue": queue}
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        app.conf.task_default_queue = "celery"
        log.close()


@pytest.fixture
def private_queue():
    """Tasks go to a queue of the test's own, for the workers it starts (``tests.workers``)."""
    from bumdes_export.celery import app

    needs_services("tests with workers of their own need PostgreSQL and Redis")
    queue = f"test-own-{uuid.uuid4().hex[:8]}"
    eager, default = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_always_eager, app.conf.task_default_queue = eager, default


@pytest.fixture
def real_worker(celery_worker_process, transactional_db):
    """Send tasks to the real worker (not in-process) for the length of a test."""
    from bumdes_export.celery import app

    app.conf.task_always_eager = False
    yield celery_worker_process
    app.conf.task_always_eager = True
