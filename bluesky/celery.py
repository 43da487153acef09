"""The Celery app. Job modules are called ``jobs.py`` (``tasks/`` is the plans' app).

The worker and beat write heartbeats, and a worker starts by removing the temporary files of
workers that died (bluesky/heartbeats.py) and by loading the URLconf (bluesky/warmup.py).
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluesky.settings")

app = Celery("bluesky")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")


@signals.worker_init.connect
def _worker_init(**kwargs):
    import django

    django.setup()  # does nothing if Celery's Django fixup ran first
    from . import heartbeats, warmup

    heartbeats.use_own_temp_folder()
    # The jobs' links (the bell's notices of a reminder run) need the URLconf: imported once here, before the
    # pool forks, not by the first job that reverses a URL (1–2 s of a city's reminder run).
    warmup.load_urlconf()


@signals.worker_ready.connect
def _worker_ready(**kwargs):
    from . import heartbeats

    heartbeats.start_heartbeat("worker")


@signals.worker_shutdown.connect
def _worker_shutdown(**kwargs):
    from . import heartbeats

    heartbeats.stop_heartbeat("worker")


@signals.beat_init.connect
def _beat_init(**kwargs):
    from . import heartbeats

    heartbeats.start_heartbeat("beat")
