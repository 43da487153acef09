"""URLs of the jobs' pages, under /jobs/: notifications, channel choice, weekly notices, monthly rankings."""
from django.urls import path

from . import views_jobs as views

app_name = "jobs"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("preferences/", views.preferences, name="preferences"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/download/", views.notice_download, name="notice_download"),
    path("rankings/", views.ranking_list, name="rankings"),
    path("rankings/<int:year>-<int:month>/", views.ranking_detail, name="ranking"),
    path("rankings/<int:year>-<int:month>/download/", views.ranking_download, name="ranking_download"),
]
