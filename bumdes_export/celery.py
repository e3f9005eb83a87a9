"""The Celery application. Workers and beat start with ``celery -A bumdes_export ...``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bumdes_export.settings")

app = Celery("bumdes_export")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
