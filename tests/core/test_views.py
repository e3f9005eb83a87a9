"""Health, home page and job progress."""

from __future__ import annotations

import pytest

from bumdes_export.core.models import BackgroundJob
from tests.conftest import ROLES


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "in-process"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from bumdes_export.core import health

    monkeypatch.setattr(
        health, "database_status", lambda: {"ok": False, "vendor": "x", "error": "OperationalError"}
    )
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    from bumdes_export.celery import app
    from bumdes_export.core import health

    monkeypatch.setattr(health, "broker_url", lambda: "redis://127.0.0.1:1/0")
    app.conf.task_always_eager = False  # restored by the autouse fixture
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_home_page_greets_every_role(as_role, role):
    response = as_role(role).get("/")
    assert response.status_code == 200
    assert b"BUMDes" in response.content


@pytest.mark.django_db
def test_api_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_job_progress_is_visible_to_its_owner_and_ministry_only(
    client, ministry, officer_sultra, officer_sulteng
):
    job = BackgroundJob.objects.create(kind="test", created_by=officer_sultra, total=10, progress=5)
    assert client.get(f"/jobs/{job.pk}/").status_code == 401
    client.force_login(officer_sulteng)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(officer_sultra)
    assert client.get(f"/jobs/{job.pk}/").json()["percent"] == 50
    client.force_login(ministry)
    assert client.get(f"/jobs/{job.pk}/").json()["status"] == "pending"
