"""URLs of the bell's notifications and the reminder channels, under /jobs/ (their old home; links stay valid)."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.notifications, name="list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("preferences/", views.preferences, name="preferences"),
]
