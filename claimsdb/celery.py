"""The Celery app: configured from Django settings (the CELERY_* names), tasks autodiscovered.

With no REDIS_URL, settings turn on `task_always_eager`, so `.delay()` runs the task in-process
and the embedded default needs no broker.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "claimsdb.settings")

app = Celery("claimsdb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
