"""Readiness of the services the portal depends on, for /healthz."""

from __future__ import annotations

from django.db import connection
from kombu import Connection

from bumdes_export.celery import app
from bumdes_export.core.jobs import tasks_in_process


def database_status() -> dict[str, object]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_url() -> str:
    return app.conf.broker_url


def broker_status() -> dict[str, object]:
    if tasks_in_process():
        return {"ok": True, "mode": "in-process"}

    try:
        with Connection(broker_url(), connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "broker"}
