"""WSGI entry point (gunicorn ``bluesky.wsgi:application``, and runserver through WSGI_APPLICATION).

The worker loads its URLconf and templates and freezes its start-up heap
before the first request: see bluesky/warmup.py.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluesky.settings")

application = get_wsgi_application()

from bluesky.warmup import warm_up  # noqa: E402 — needs the settings configured above

warm_up()
