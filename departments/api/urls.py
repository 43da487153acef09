"""API routes of the departments app (registered on the router in bluesky/api/urls.py)."""

from . import views

routes = [("units", views.UnitViewSet, "unit")]
