"""bluesky: tracking air-pollution action plans from the published document to the monthly ranking."""

from .celery import app as celery_app

__all__ = ["celery_app"]
