"""API routes of the tasks app (registered on the one router in bluesky/api/urls.py)."""

from . import views

routes = [
    ("plans", views.PlanViewSet, "plan"),
    ("chapters", views.ChapterViewSet, "chapter"),
    ("tasks", views.TaskViewSet, "task"),
    ("measures", views.MeasureViewSet, "measure"),
    ("assignments", views.AssignmentViewSet, "assignment"),
    ("progress-updates", views.ProgressUpdateViewSet, "progressupdate"),
]
