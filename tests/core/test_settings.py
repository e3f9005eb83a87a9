"""Configuration: the embedded default, bad values stopping start-up, a clean production check."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Gm2pQw9Lz4Rt8Vb1Nc6Yh3Jk5Df0Sa-production-test-key-7Uo2Ie9Wq4",
    "ALLOWED_HOSTS": "portal.kemendesa.go.id",
    "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
}
CONFIG_VARS = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "REDIS_URL",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
]


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "bumdes_export.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_is_sqlite_console_mail_and_in_process_tasks():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND, s.CELERY_TASK_ALWAYS_EAGER, "
        "s.DEBUG, s.LANGUAGE_CODE)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.mail.backends.console.EmailBackend",
        "True",
        "True",
        "id",
    ]


def test_a_broker_url_turns_off_in_process_tasks():
    result = run_django(
        "from django.conf import settings as s; print(s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.stdout.split() == ["False", "redis://127.0.0.1:6379/3"]


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        (
            {"DATABASE_URL": "mysql://root@localhost/portal"},
            "DATABASE_URL must point at PostgreSQL or SQLite",
        ),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"CELERY_BROKER_URL": "amqp://guest@localhost//"}, "must be a redis://"),
        ({"SECURE_HSTS_SECONDS": "a year"}, "SECURE_HSTS_SECONDS must be a whole number"),
        ({"EMAIL_URL": "pigeon://coop"}, "EMAIL_URL is not a valid email URL"),
        ({"DEBUG": "0", "ALLOWED_HOSTS": "x.id"}, "SECRET_KEY must be set"),
        ({"DEBUG": "0", "SECRET_KEY": PRODUCTION["SECRET_KEY"]}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(env, message):
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_mode_passes_the_deploy_check_with_secure_defaults():
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    secure = run_django(
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)",
        **PRODUCTION,
    )
    assert secure.stdout.split() == ["True", "True", "True", "True"]


def test_demo_data_is_refused_in_production_mode():
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARS}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data"],
        cwd=ROOT,
        env={**clean, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "refuses to run in production mode" in result.stderr
