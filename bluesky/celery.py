"""The Celery app. Job modules are called ``jobs.py`` (``tasks/`` is the plans' app)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluesky.settings")

app = Celery("bluesky")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
