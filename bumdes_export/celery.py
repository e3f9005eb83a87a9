"""The Celery application. Workers and beat start with ``celery -A bumdes_export ...``."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bumdes_export.settings")

app = Celery("bumdes_export")
app.config_from_object("django.conf:settings", namespace="CELERY")


def task_packages() -> list[str]:
    """Every installed app and each of its domain packages that has a ``tasks`` module
    (``matchmaking.forums``, ``products.imports`` ...): each package registers its own tasks."""
    # Called by Celery once Django is set up; this module is imported before that (from
    # ``bumdes_export/__init__.py``), when the app registry cannot be imported yet.
    from django.apps import apps

    packages = []
    for config in apps.get_app_configs():
        packages.append(config.name)
        root = Path(config.path)
        for tasks_module in sorted(root.glob("*/**/tasks.py")):
            relative = tasks_module.parent.relative_to(root)
            if "migrations" not in relative.parts:
                packages.append(".".join([config.name, *relative.parts]))
    return packages


app.autodiscover_tasks(task_packages)
